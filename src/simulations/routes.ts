import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../http/app.ts';
import { runCreate } from '../http/idempotency.ts';
import { decodeCursor, page, PageQuery } from '../http/pagination.ts';
import { found } from '../http/respond.ts';
import { INT4_MAX } from '../http/schemas.ts';
import { createSimulation, getSimulation, listChanges, listSimulations, resolveParameters } from './jobs.ts';
import { createOrderSet, getOrderSet, listOrderSets, MAX_SET_ORDERS } from './order-sets.ts';
import { runQueuedSimulations } from './worker.ts';

const Version = Type.Integer({ minimum: 1, maximum: INT4_MAX });
const When = Type.String({ minLength: 10, maxLength: 40, description: 'ISO 8601 date or date-time' });

const CreateSimulation = Type.Object(
  {
    from: Type.Optional({ ...When, description: 'The first instant of the period replayed (not with order_set)' }),
    to: Type.Optional({ ...When, description: 'The end of the period replayed, excluded (not with order_set)' }),
    order_set: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: 'An uploaded order set (POST /v1/routing/order-sets) to replay instead of a period',
      }),
    ),
    channel: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'Only this channel (ID or code)' }),
    ),
    stock_basis: Type.Optional(
      Type.Union([Type.Literal('ledger'), Type.Literal('replay'), Type.Literal('snapshot')], {
        description:
          'ledger (default): each order sees the stock it met, from the ledger; replay: stock at `from`, then each rule set’s own decisions take it; snapshot (an order set’s, and only its): stock at the set’s stock_at, then each rule set’s own decisions take it',
      }),
    ),
    rules_version: Type.Optional({ ...Version, description: 'The saved version to test (usually a draft)' }),
    rules: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), { description: 'Rules to test, given inline instead of a version' }),
    ),
    baseline_version: Type.Optional({
      ...Version,
      description: 'The version to compare with (default: the active one)',
    }),
  },
  { additionalProperties: false },
);
type CreateSimulation = Static<typeof CreateSimulation>;

const UploadOrderSet = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    channel: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'The channel (ID or code) of orders that name none' }),
    ),
    stock_at: Type.Optional({
      ...When,
      description: "The instant whose stock (the ledger's) the set is replayed on; default: now",
    }),
    orders: Type.Array(Type.Unknown(), {
      minItems: 1,
      maxItems: MAX_SET_ORDERS,
      description:
        'The orders (docs/routing-simulation.md): external_id, channel, placed_at, delivery_method, pickup_location, shipping_address, lines of sku, quantity and ship_from_location; each is checked on its own, and its index + 1 is its row in the report',
    }),
  },
  { additionalProperties: false },
);
type UploadOrderSet = Static<typeof UploadOrderSet>;

const Params = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
type Params = Static<typeof Params>;
const ListQuery = Type.Object(PageQuery, { additionalProperties: false });
type ListQuery = Static<typeof ListQuery>;

/** What-if routing on past orders (docs/routing-simulation.md). */
export function simulationRoutes(app: FastifyInstance, { database: { db } }: AppContext): void {
  const tags = ['routing'];
  const read = { permission: 'routing:read' } as const;
  const create = (url: string, summary: string) =>
    app.post<{ Body: CreateSimulation }>(
      url,
      { config: { permission: 'routing:write', idempotent: true }, schema: { tags, summary, body: CreateSimulation } },
      async (request, reply) => {
        const sent = await runCreate(db, request, reply, async (tx) => {
          const parameters = await resolveParameters(tx, request.body);
          if (!parameters.ok) return parameters;
          const simulation = await createSimulation(tx, parameters.value, request.principal.keyId);
          return { ok: true, value: { status: 202, body: simulation } };
        });
        if (reply.statusCode === 202)
          void runQueuedSimulations(db, (error) => request.log.error({ err: error }, 'routing simulation failed'));
        return sent;
      },
    );
  create(
    '/routing/simulations',
    'Replay the orders of a period under draft rules and the active ones (a job: poll GET /v1/routing/simulations/{id})',
  );
  create('/routing/simulate', 'The same as POST /v1/routing/simulations');
  app.post<{ Body: UploadOrderSet }>(
    '/routing/order-sets',
    {
      bodyLimit: 64 * 1024 * 1024,
      config: { permission: 'routing:write', idempotent: true },
      schema: {
        tags,
        summary: 'Upload a set of orders to simulate instead of a period’s, with a validation report',
        description:
          'Each order is checked on its own: a rejected one is listed in `rejected` (row, field, problem) and left out of the set. 400 validation_failed, writing nothing, when no order is valid.',
        body: UploadOrderSet,
      },
    },
    async (request, reply) =>
      runCreate(db, request, reply, async (tx) => {
        const created = await createOrderSet(tx, request.body, request.principal.keyId);
        return created.ok ? { ok: true, value: { status: 201, body: created.value } } : created;
      }),
  );
  app.get<{ Querystring: ListQuery }>(
    '/routing/order-sets',
    { config: read, schema: { tags, summary: 'Uploaded order sets, newest first', querystring: ListQuery } },
    async (request) => {
      const { limit = 50, cursor } = request.query;
      return page(await listOrderSets(db, limit + 1, decodeCursor<string>(cursor, 'string')), limit, (s) => s.id);
    },
  );
  app.get<{ Params: Params }>(
    '/routing/order-sets/:id',
    { config: read, schema: { tags, summary: 'An uploaded order set', params: Params } },
    async (request, reply) => found(reply, await getOrderSet(db, request.params.id), `order set ${request.params.id}`),
  );
  app.get<{ Querystring: ListQuery }>(
    '/routing/simulations',
    {
      config: read,
      schema: { tags, summary: 'Simulations, newest first, without their results', querystring: ListQuery },
    },
    async (request) => {
      const { limit = 50, cursor } = request.query;
      const after = decodeCursor<string>(cursor, 'string');
      return page(await listSimulations(db, limit + 1, after), limit, (s) => s.id);
    },
  );
  app.get<{ Params: Params }>(
    '/routing/simulations/:id',
    {
      config: read,
      schema: {
        tags,
        summary: 'A simulation: its status, progress and, once it succeeded, its figures',
        params: Params,
      },
    },
    async (request, reply) =>
      found(reply, await getSimulation(db, request.params.id), `simulation ${request.params.id}`),
  );
  app.get<{ Params: Params; Querystring: ListQuery }>(
    '/routing/simulations/:id/changes',
    {
      config: read,
      schema: {
        tags,
        summary: 'The orders the draft rules would decide otherwise, in replay order, with both decisions explained',
        params: Params,
        querystring: ListQuery,
      },
    },
    async (request, reply) => {
      if (!(await getSimulation(db, request.params.id)))
        return found(reply, undefined, `simulation ${request.params.id}`);
      const { limit = 50, cursor } = request.query;
      const rows = await listChanges(db, request.params.id, limit + 1, decodeCursor<number>(cursor, 'number') ?? 0);
      const { data, next_cursor } = page(rows, limit, (r) => r.seq);
      return { data: data.map((r) => r.body), next_cursor };
    },
  );
}
