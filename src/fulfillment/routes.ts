import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { inTransaction, type Db, type Tx } from '../db/index.ts';
import type { AppContext } from '../http/app.ts';
import { sendProblem } from '../http/errors.ts';
import { decodeCursor, encodeCursor } from '../http/pagination.ts';
import { parseValueList } from '../http/query-lists.ts';
import { Count } from '../http/schemas.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { renderPackingSlip, renderPickList } from './documents.ts';
import { countFulfillmentOrders, countQueueSteps, getFulfillmentOrder, listFulfillmentOrders } from './queue.ts';
import { customerArrived, pickedUp, readyForPickup, shipFulfillmentOrder } from './ship.ts';
import { actionable, pickFulfillmentOrder, rejectFulfillmentOrder, simpleStep, type StepContext } from './steps.ts';
import { answerReleaseRequests, fulfillmentStatuses } from '../orders/index.ts';

/** At most this many fulfillment orders on one pick list. */
const MAX_PICK_LIST = 500;
const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const LineQuantities = Type.Array(
  Type.Object(
    { line_id: Type.String({ maxLength: 64 }), quantity: Type.Integer({ minimum: 1, maximum: 1_000_000 }) },
    { additionalProperties: false },
  ),
  { minItems: 1, maxItems: 500 },
);
const Empty = Type.Object({}, { additionalProperties: false });
const RejectBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 500 }) },
  { additionalProperties: false },
);
const PickBody = Type.Object({ shortages: Type.Optional(LineQuantities) }, { additionalProperties: false });
const ShipBody = Type.Object(
  {
    carrier: Type.String({ minLength: 1, maxLength: 60 }),
    service: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
    tracking_number: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    packages: Type.Optional(
      Type.Array(
        Type.Object(
          {
            weight_grams: Type.Optional(Count),
            length_mm: Type.Optional(Count),
            width_mm: Type.Optional(Count),
            height_mm: Type.Optional(Count),
            tracking_number: Type.Optional(Type.String({ maxLength: 100 })),
          },
          { additionalProperties: false },
        ),
        { maxItems: 100 },
      ),
    ),
    lines: Type.Optional(LineQuantities),
    shipped_at: Type.Optional(
      Type.String({
        format: 'date-time',
        description: 'When the parcel left, if earlier than now (not before the order)',
      }),
    ),
  },
  { additionalProperties: false },
);
const ReleaseBody = Type.Object(
  {
    decision: Type.Optional(
      Type.Union([Type.Literal('release'), Type.Literal('refuse')], {
        description: 'release (default): hand the units back for the order change; refuse: keep working on them',
      }),
    ),
  },
  { additionalProperties: false },
);
const PickedUpBody = Type.Object(
  { pickup_code: Type.String({ pattern: '^[0-9]{6}$' }) },
  { additionalProperties: false },
);
const QueueQuery = Type.Object({
  location_id: Type.Optional(Type.String({ maxLength: 64 })),
  status: Type.Optional(
    Type.String({ maxLength: 200, description: `Comma-separated: ${fulfillmentStatuses.join(', ')}` }),
  ),
  order_id: Type.Optional(Type.String({ maxLength: 64 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  sort: Type.Optional(
    Type.Union([Type.Literal('created'), Type.Literal('due')], {
      default: 'created',
      description:
        "created: oldest first; due: the order's SLA running out first (late and at-risk work first), then oldest",
    }),
  ),
});
const WorkQuery = Type.Object({
  location_id: Type.Optional(Type.String({ maxLength: 64 })),
  status: Type.Optional(
    Type.String({ maxLength: 200, description: `Comma-separated: ${fulfillmentStatuses.join(', ')}` }),
  ),
});

function scope(request: FastifyRequest): StepContext {
  const p = request.principal;
  return { actor: p.keyId, locationIds: p.role === 'fulfillment' ? p.locationIds : null };
}

async function act(
  db: Db,
  reply: FastifyReply,
  id: string,
  work: (tx: Tx) => Promise<Result<unknown>>,
  extra?: (value: unknown) => Record<string, unknown>,
) {
  const result = await inTransaction(db, work);
  if (!result.ok) return sendProblem(reply, result.problem);
  return reply.send({ ...(await getFulfillmentOrder(db, id)), ...(extra ? extra(result.value) : {}) });
}

export function fulfillmentRoutes(app: FastifyInstance, { database: { db } }: AppContext): void {
  const tags = ['fulfillment'];
  const write = { permission: 'fulfillment:write' } as const;
  /** The locations a request asks for, within its key's: a problem when it asks for another's. */
  const workScope = (request: FastifyRequest, q: { location_id?: string | undefined; status?: string | undefined }) => {
    const own = scope(request).locationIds;
    const statuses = parseValueList(q.status, fulfillmentStatuses, 'status');
    if (!statuses.ok) return statuses;
    if (own && q.location_id && !own.includes(q.location_id))
      return fail(problem('forbidden', `This key does not work at ${q.location_id}.`));
    return ok({ locationIds: q.location_id ? [q.location_id] : own, status: statuses.value });
  };
  /** The fulfillment order of the request's `:id`, if the key works there; else answers 404. */
  const visible = async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
    const fo = await getFulfillmentOrder(db, request.params.id);
    const own = scope(request).locationIds;
    if (fo && (!own || own.includes(fo.location_id))) return fo;
    sendProblem(reply, problem('not_found', `No fulfillment order ${request.params.id}.`));
    return undefined;
  };
  app.get<{ Querystring: Static<typeof QueueQuery> & { limit: number } }>(
    '/fulfillment-orders',
    {
      config: { permission: 'fulfillment:read' },
      schema: {
        tags,
        summary: "A location's work queue, oldest first (or by SLA), with the total that matches",
        querystring: QueueQuery,
      },
    },
    async (request, reply) => {
      const q = request.query;
      const work = workScope(request, q);
      if (!work.ok) return sendProblem(reply, work.problem);
      const filter = { ...work.value, orderId: q.order_id };
      const rows = await listFulfillmentOrders(db, {
        ...filter,
        sort: q.sort,
        after: decodeCursor<string>(q.cursor, 'string'),
        limit: q.limit + 1,
      });
      const data = rows.slice(0, q.limit);
      return {
        data,
        next_cursor: rows.length > q.limit ? encodeCursor(data.at(-1)!.id) : null,
        total: await countFulfillmentOrders(db, filter),
      };
    },
  );
  app.get<{ Querystring: Static<typeof WorkQuery> }>(
    '/fulfillment-orders/counts',
    {
      config: { permission: 'fulfillment:read' },
      schema: {
        tags,
        summary: 'Work per step at a location (or every location the key works at), and how much is late or at risk',
        querystring: WorkQuery,
      },
    },
    async (request, reply) => {
      const work = workScope(request, { location_id: request.query.location_id });
      if (!work.ok) return sendProblem(reply, work.problem);
      return countQueueSteps(db, work.value);
    },
  );
  app.get<{ Querystring: Static<typeof WorkQuery> }>(
    '/fulfillment-orders/pick-list',
    {
      config: { permission: 'fulfillment:read' },
      schema: {
        tags,
        summary: "A PDF pick list of a location's work (accepted and picking unless status says otherwise)",
        querystring: WorkQuery,
      },
    },
    async (request, reply) => {
      const q = request.query;
      const work = workScope(request, q);
      if (!work.ok) return sendProblem(reply, work.problem);
      if (!q.location_id) return sendProblem(reply, problem('validation_failed', 'location_id is required.'));
      const items = await listFulfillmentOrders(db, {
        locationIds: [q.location_id],
        status: work.value.status ?? ['accepted', 'picking'],
        sort: 'due',
        limit: MAX_PICK_LIST,
      });
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="pick-list-${q.location_id}.pdf"`)
        .send(await renderPickList(db, q.location_id, items));
    },
  );
  app.get<{ Params: { id: string } }>(
    '/fulfillment-orders/:id/packing-slip',
    {
      config: { permission: 'fulfillment:read' },
      schema: { tags, summary: 'The packing slip of one fulfillment order (PDF)', params: IdParams },
    },
    async (request, reply) => {
      const fo = await visible(request, reply);
      if (!fo) return reply;
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="packing-slip-${fo.order_external_id}.pdf"`)
        .send(await renderPackingSlip(db, fo));
    },
  );
  app.get<{ Params: { id: string } }>(
    '/fulfillment-orders/:id',
    {
      config: { permission: 'fulfillment:read' },
      schema: { tags, summary: 'One fulfillment order', params: IdParams },
    },
    async (request, reply) => (await visible(request, reply)) ?? reply,
  );
  const step = (path: string, summary: string, to: 'accepted' | 'packed') =>
    app.post<{ Params: { id: string } }>(
      `/fulfillment-orders/:id/${path}`,
      { config: write, schema: { tags, summary, params: IdParams, body: Type.Optional(Empty) } },
      (request, reply) =>
        act(db, reply, request.params.id, (tx) => simpleStep(tx, request.params.id, to, scope(request))),
    );
  step('accept', 'Accept the work (counts against the daily capacity)', 'accepted');
  step('pack', 'Packed and ready to ship or hand over', 'packed');
  app.post<{ Params: { id: string }; Body: Static<typeof RejectBody> }>(
    '/fulfillment-orders/:id/reject',
    {
      config: write,
      schema: {
        tags,
        summary: 'Reject: the stock is released and the units re-routed elsewhere',
        params: IdParams,
        body: RejectBody,
      },
    },
    (request, reply) =>
      act(db, reply, request.params.id, (tx) =>
        rejectFulfillmentOrder(tx, request.params.id, request.body.reason, scope(request)),
      ),
  );
  app.post<{ Params: { id: string }; Body: Static<typeof PickBody> }>(
    '/fulfillment-orders/:id/pick',
    {
      config: write,
      schema: {
        tags,
        summary: 'Start picking; report shortages to re-route the missing units',
        params: IdParams,
        body: PickBody,
      },
    },
    (request, reply) =>
      act(db, reply, request.params.id, (tx) =>
        pickFulfillmentOrder(tx, request.params.id, request.body?.shortages ?? [], scope(request)),
      ),
  );
  app.post<{ Params: { id: string }; Body: Static<typeof ShipBody> }>(
    '/fulfillment-orders/:id/ship',
    {
      config: write,
      schema: {
        tags,
        summary: 'Ship some or all lines with carrier and tracking; the rest stays open',
        params: IdParams,
        body: ShipBody,
      },
    },
    (request, reply) =>
      act(
        db,
        reply,
        request.params.id,
        (tx) => shipFulfillmentOrder(tx, request.params.id, request.body, scope(request)),
        (v) => ({
          shipment_id: (v as { shipmentId: string }).shipmentId,
        }),
      ),
  );
  app.post<{ Params: { id: string } }>(
    '/fulfillment-orders/:id/ready-for-pickup',
    {
      config: write,
      schema: {
        tags,
        summary: 'Ready at the store: issues the pickup code and notifies the customer',
        params: IdParams,
        body: Type.Optional(Empty),
      },
    },
    (request, reply) =>
      act(
        db,
        reply,
        request.params.id,
        (tx) => readyForPickup(tx, request.params.id, scope(request)),
        (v) => ({
          pickup_code: (v as { pickupCode: string }).pickupCode,
        }),
      ),
  );
  app.post<{ Params: { id: string }; Body: Static<typeof ReleaseBody> }>(
    '/fulfillment-orders/:id/release-for-change',
    {
      config: write,
      schema: {
        tags,
        summary: 'Answer an order change’s request to release accepted or picking work',
        description:
          'The queue shows open requests under `release_requests`. Releasing hands the units back; once every location a change asked has released, the change is confirmed.',
        params: IdParams,
        body: ReleaseBody,
      },
    },
    (request, reply) =>
      act(
        db,
        reply,
        request.params.id,
        async (tx) => {
          const found = await actionable(tx, request.params.id, scope(request), null);
          if (!found.ok) return found;
          return answerReleaseRequests(tx, request.params.id, request.body.decision ?? 'release', scope(request).actor);
        },
        (v) => v as Record<string, unknown>,
      ),
  );
  app.post<{ Params: { id: string } }>(
    '/fulfillment-orders/:id/arrived',
    {
      config: write,
      schema: { tags, summary: 'Curbside: the customer has arrived', params: IdParams, body: Type.Optional(Empty) },
    },
    (request, reply) =>
      act(db, reply, request.params.id, (tx) => customerArrived(tx, request.params.id, scope(request))),
  );
  app.post<{ Params: { id: string }; Body: Static<typeof PickedUpBody> }>(
    '/fulfillment-orders/:id/picked-up',
    {
      config: write,
      schema: {
        tags,
        summary: 'Handed over to the customer (needs the pickup code)',
        params: IdParams,
        body: PickedUpBody,
      },
    },
    (request, reply) =>
      act(db, reply, request.params.id, (tx) =>
        pickedUp(tx, request.params.id, request.body.pickup_code, scope(request)),
      ),
  );
}
