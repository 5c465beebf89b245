import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { inTransaction, type Db } from '../db/index.ts';
import type { AppContext } from '../http/app.ts';
import { sendProblem } from '../http/errors.ts';
import { respond } from '../http/respond.ts';
import { findChannel } from '../network/index.ts';
import { problem } from '../shared/problem.ts';
import { enterShadow, goLive } from './modes.ts';
import { ingestOutcomes } from './outcomes.ts';
import { daysCsv, reconciliationReport, reportCsv, reportWindow } from './report.ts';
import { ingestStock } from './stock.ts';

const tags = ['shadow'];
const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const ChannelQuery = Type.Object(
  { channel: Type.String({ minLength: 1, maxLength: 64, description: 'The shadow channel, by ID or code' }) },
  { additionalProperties: false },
);
const ReportQuery = Type.Object(
  {
    channel: Type.String({ minLength: 1, maxLength: 64, description: 'The shadow channel, by ID or code' }),
    from: Type.String({ maxLength: 40, description: 'Inclusive: an ISO 8601 date, or date and time' }),
    to: Type.String({ maxLength: 40, description: 'Exclusive; a date includes that whole day (UTC)' }),
    format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])),
    view: Type.Optional(
      Type.Union([Type.Literal('differences'), Type.Literal('days')], {
        description: 'days: drift over time, the count of each kind of difference per day',
      }),
    ),
  },
  { additionalProperties: false },
);
const RECORDS_LIMIT = 32 * 1024 * 1024;
const recordsBody = (description: string) => ({
  content: {
    'application/json': { schema: Type.Array(Type.Unknown(), { description }) },
    'application/x-ndjson': { schema: Type.String({ description: `${description}, one JSON object per line` }) },
  },
});

async function shadowChannel(db: Db, reply: FastifyReply, idOrCode: string) {
  const channel = await findChannel(db, idOrCode);
  if (!channel) return void sendProblem(reply, problem('not_found', `No channel ${idOrCode}.`));
  if (channel.mode !== 'shadow')
    return void sendProblem(reply, problem('channel_not_shadow', `Channel ${idOrCode} is not in shadow mode.`));
  return channel;
}

/** Shadow (parallel-run) mode: docs/shadow-mode.md. */
export function shadowRoutes(app: FastifyInstance, { database: { db } }: AppContext): void {
  const write = { permission: 'shadow:write' } as const;
  app.post<{ Params: Static<typeof IdParams> }>(
    '/channels/:id/shadow',
    {
      config: write,
      schema: {
        tags,
        summary: 'Put a channel in shadow mode: its orders are decided only, beside the legacy system',
        params: IdParams,
      },
    },
    async (request, reply) => respond(reply, await inTransaction(db, (tx) => enterShadow(tx, request.params.id))),
  );
  app.post<{ Params: Static<typeof IdParams> }>(
    '/channels/:id/go-live',
    {
      config: write,
      schema: {
        tags,
        summary: 'Take a shadow channel live',
        description:
          'Refused with 409 `shadow_undecided` (listing them) while a shadow order of the channel has no decision from the legacy system yet.',
        params: IdParams,
      },
    },
    async (request, reply) => respond(reply, await inTransaction(db, (tx) => goLive(tx, request.params.id))),
  );

  app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-ndjson',
      { parseAs: 'string', bodyLimit: RECORDS_LIMIT },
      (_r, body, done) => done(null, body),
    );
    scope.post<{ Querystring: Static<typeof ChannelQuery>; Body: unknown }>(
      '/shadow/outcomes',
      {
        config: write,
        bodyLimit: RECORDS_LIMIT,
        schema: {
          tags,
          summary: "The legacy system's outcomes for a shadow channel's orders",
          description:
            'Records of kind allocation, shipment (external_id, sku, location, quantity), cancellation (sku and quantity, or the whole order), status and money (total, captured, refunded). All or none; a record sent again is kept once.',
          querystring: ChannelQuery,
          body: recordsBody('Outcome records'),
        },
      },
      async (request, reply) => {
        const channel = await shadowChannel(db, reply, request.query.channel);
        if (!channel) return reply;
        return respond(reply, await inTransaction(db, (tx) => ingestOutcomes(tx, channel, request.body)));
      },
    );
    scope.post<{ Body: unknown }>(
      '/shadow/stock',
      {
        config: write,
        bodyLimit: RECORDS_LIMIT,
        schema: {
          tags,
          summary: "The legacy system's stock counts: sku, location, on_hand, as_of",
          body: recordsBody('Stock counts'),
        },
      },
      async (request, reply) => respond(reply, await inTransaction(db, (tx) => ingestStock(tx, request.body))),
    );
  });

  app.get<{ Querystring: Static<typeof ReportQuery> }>(
    '/shadow/reconciliation',
    {
      config: { permission: 'shadow:read' },
      schema: {
        tags,
        summary: "A shadow channel's reconciliation with the legacy system over a window",
        description:
          'Orders on one side only, status, allocation (with Consign’s explanation) and money differences, and stock differences per SKU and location; `view=days` gives the drift per day; `format=csv` the same as CSV.',
        querystring: ReportQuery,
      },
    },
    async (request, reply) => {
      const q = request.query;
      const channel = await shadowChannelOrPast(db, reply, q.channel);
      if (!channel) return reply;
      const window = reportWindow(channel.id, q.from, q.to);
      if (!window.ok) return sendProblem(reply, window.problem);
      const report = await reconciliationReport(db, window.value);
      if (q.format !== 'csv') return q.view === 'days' ? { ...report, differences: undefined } : report;
      return reply.type('text/csv; charset=utf-8').send(q.view === 'days' ? daysCsv(report) : reportCsv(report));
    },
  );
}

/** A channel by ID or code: a report may also be read after the channel went live. */
async function shadowChannelOrPast(db: Db, reply: FastifyReply, idOrCode: string) {
  const channel = await findChannel(db, idOrCode);
  if (!channel) return void sendProblem(reply, problem('not_found', `No channel ${idOrCode}.`));
  return channel;
}
