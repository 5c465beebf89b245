import { Readable } from 'node:stream';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { canTouchLocation } from '../auth/index.ts';
import type { AppContext } from '../http/app.ts';
import { sendProblem } from '../http/errors.ts';
import { runCreate } from '../http/idempotency.ts';
import { NonNegativeQuantity, Sku } from '../http/schemas.ts';
import { problem } from '../shared/problem.ts';
import { ok } from '../shared/result.ts';
import { EXPORT_KINDS, type ExportKind } from './kinds.ts';
import { csvHeader, formatRow, readExportPage, type ExportFormat } from './read.ts';
import { reconcileSnapshot } from './reconcile.ts';

const EXPORT_PAGE_MAX = 10_000;

const ExportParams = Type.Object({
  kind: Type.Union(
    EXPORT_KINDS.map((k) => Type.Literal(k)),
    { description: 'What to export' },
  ),
});
const ExportQuery = Type.Object({
  after: Type.Optional(
    Type.String({
      maxLength: 200,
      description: 'A cursor: a row’s `cursor`, or the `Consign-Next-Cursor` of an earlier page',
    }),
  ),
  since: Type.Optional(
    Type.String({
      maxLength: 40,
      description: 'Without `after`: start at records that happened at or after this date (2026-11-01) or date-time',
    }),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: EXPORT_PAGE_MAX, default: 1000 })),
  format: Type.Optional(Type.Union([Type.Literal('jsonl'), Type.Literal('csv')], { default: 'jsonl' })),
});

const SNAPSHOT_ROWS_MAX = 10_000;
const ReconciliationBody = Type.Object(
  {
    rows: Type.Array(
      Type.Object(
        {
          location_id: Type.String({ minLength: 1, maxLength: 64, description: 'Location ID or code' }),
          sku: Sku,
          on_hand: NonNegativeQuantity,
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: SNAPSHOT_ROWS_MAX },
    ),
    apply: Type.Optional(
      Type.Boolean({
        default: false,
        description: 'Set Consign’s on hand to the snapshot’s (count ledger rows), all lines or none',
      }),
    ),
    reference: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'The snapshot’s document: the ledger rows’ reference' }),
    ),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  },
  { additionalProperties: false },
);

const CONTENT_TYPES: Record<ExportFormat, string> = {
  jsonl: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

/** `GET /v1/exports/{kind}` and `POST /v1/inventory/reconciliations`. Definitions: docs/exports.md. */
export function exportRoutes(app: FastifyInstance, { database: { db } }: AppContext): void {
  app.get<{ Params: Static<typeof ExportParams>; Querystring: Static<typeof ExportQuery> }>(
    '/exports/:kind',
    {
      config: { permission: 'exports:read' },
      schema: {
        tags: ['exports'],
        summary: 'Orders, invoices, credit memos, payments or stock movements after a cursor, as JSON Lines or CSV',
        description:
          'Every record of the kind exactly once, in the order it became visible: each row carries its own `cursor`, and the `Consign-Next-Cursor` header is the page’s last. Resume from any row’s cursor: no row is skipped or repeated, also rows whose transactions commit late. `Consign-Remaining` counts the rows exportable after this page. Column sets: docs/exports.md.',
        params: ExportParams,
        querystring: ExportQuery,
      },
    },
    async (request, reply) => {
      const kind = request.params.kind as ExportKind;
      const format = request.query.format ?? 'jsonl';
      const result = await readExportPage(db, {
        kind,
        after: request.query.after,
        since: request.query.since,
        limit: request.query.limit ?? 1000,
      });
      if (!result.ok) return sendProblem(reply, result.problem);
      const page = result.value;
      function* lines() {
        if (format === 'csv') yield `${csvHeader(kind)}\r\n`;
        for (const row of page.rows) yield `${formatRow(kind, row, format)}${format === 'csv' ? '\r\n' : '\n'}`;
      }
      return reply
        .type(CONTENT_TYPES[format])
        .header('cache-control', 'no-store')
        .header('consign-next-cursor', page.nextCursor)
        .header('consign-remaining', String(page.remaining))
        .header('consign-row-count', String(page.rows.length))
        .send(Readable.from(lines()));
    },
  );

  app.post<{ Body: Static<typeof ReconciliationBody> }>(
    '/inventory/reconciliations',
    {
      bodyLimit: 16 * 1024 * 1024,
      config: { permission: 'inventory:write', idempotent: true },
      schema: {
        tags: ['inventory'],
        summary: 'Compare an ERP/WMS stock snapshot with Consign’s levels; optionally apply it',
        description:
          'Per SKU and location of the snapshot’s locations: `match`, `difference`, `missing_in_consign` (no level in Consign) or `missing_in_snapshot` (a level holding stock that the snapshot leaves out). With `apply: true`, on hand is set to the snapshot’s (zero where the snapshot leaves a level out) through stock counts, each a `count` ledger row with the reason and reference: all of them or none (201). Without, nothing is written (200).',
        body: ReconciliationBody,
      },
    },
    (request, reply) => {
      const body = request.body;
      const apply = body.apply ?? false;
      const denied = [...new Set(body.rows.map((r) => r.location_id))].filter(
        (location) => !canTouchLocation(request.principal, location),
      );
      if (denied.length > 0) {
        return sendProblem(
          reply,
          problem('forbidden', `This key may not reconcile stock at ${denied.join(', ')}.`, { location_ids: denied }),
        );
      }
      return runCreate(db, request, reply, async (tx) => {
        const result = await reconcileSnapshot(tx, {
          rows: body.rows,
          apply,
          reference: body.reference,
          reason: body.reason,
          actor: request.principal.keyId,
        });
        if (!result.ok) return result;
        return ok({ status: apply ? 201 : 200, body: result.value });
      });
    },
  );
}
