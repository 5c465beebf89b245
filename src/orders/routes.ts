import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { inTransaction, queryOne, type Db } from '../db/index.ts';
import type { AppContext } from '../http/app.ts';
import { sendProblem } from '../http/errors.ts';
import { requestHash, runCreate } from '../http/idempotency.ts';
import { decodeCursor, encodeCursor } from '../http/pagination.ts';
import { parseValueList } from '../http/query-lists.ts';
import { respond } from '../http/respond.ts';
import { Quantity } from '../http/schemas.ts';
import { problem } from '../shared/problem.ts';
import { ok } from '../shared/result.ts';
import { sql } from 'drizzle-orm';
import { cancelOrder } from './cancel-order.ts';
import { changeRoutes } from './changes/routes.ts';
import { holdKinds, holdOrder, releaseHold, type HoldKind } from './holds.ts';
import { countOrders, listOrders, routingDecisions } from './list-orders.ts';
import { placeOrder } from './place-order.ts';
import { withOmittedLocations } from './routing-detail.ts';
import { getOrder } from './read-order.ts';
import { CreateOrder } from './schemas.ts';
import { orderStatuses } from './status.ts';
import { noteAndTagRoutes } from './tag-routes.ts';
import { invalidTags } from './tags.ts';
import { canSeeChannel } from '../auth/index.ts';
import { resolveChannelId } from '../network/index.ts';

const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const CancelBody = Type.Object(
  {
    reason: Type.String({ minLength: 1, maxLength: 500 }),
    lines: Type.Optional(
      Type.Array(
        Type.Object({ line_id: Type.String({ maxLength: 64 }), quantity: Quantity }, { additionalProperties: false }),
        {
          minItems: 1,
          maxItems: 500,
        },
      ),
    ),
  },
  { additionalProperties: false },
);
const HoldBody = Type.Object(
  {
    kind: Type.Union(holdKinds.filter((k) => k !== 'routing').map((k) => Type.Literal(k))),
    reason: Type.String({ minLength: 1, maxLength: 500 }),
  },
  { additionalProperties: false },
);
const ReleaseBody = Type.Object(
  { kind: Type.Optional(Type.Union(holdKinds.map((k) => Type.Literal(k)))) },
  { additionalProperties: false },
);
const RoutingQuery = Type.Object({
  detail: Type.Optional(
    Type.Literal('all', { description: 'all: list the locations each decision left out as holding none of the SKUs' }),
  ),
});

const ListQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  status: Type.Optional(Type.String({ maxLength: 200, description: `Comma-separated: ${orderStatuses.join(', ')}` })),
  channel: Type.Optional(Type.String({ maxLength: 64 })),
  email: Type.Optional(Type.String({ maxLength: 254 })),
  sku: Type.Optional(Type.String({ maxLength: 100 })),
  location_id: Type.Optional(Type.String({ maxLength: 64 })),
  from: Type.Optional(
    Type.String({
      format: 'date-time',
      description: 'Placed at or after; with from or to, the list is newest placed first (else newest created first)',
    }),
  ),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'Placed before' })),
  q: Type.Optional(Type.String({ maxLength: 200, description: 'External ID, customer name or email contains' })),
  tag: Type.Optional(Type.String({ maxLength: 200, description: 'Orders that carry this tag' })),
  needs_attention: Type.Optional(
    Type.Boolean({
      description:
        "Only orders on hold (routing failed is a hold), back-ordered, or unfinished past their channel's SLA",
    }),
  ),
});
type ListQuery = Static<typeof ListQuery> & { limit: number };

/** Reads an order the key may see: channel keys only their own channel's. */
async function visibleOrder(db: Db, request: FastifyRequest, reply: FastifyReply, id: string) {
  const order = await queryOne<{ channel_id: string }>(db, sql`select channel_id from orders where id = ${id}`);
  const principal = request.principal;
  if (!order || !canSeeChannel(principal, order.channel_id)) {
    sendProblem(reply, problem('not_found', `No order ${id}.`));
    return false;
  }
  return true;
}

export function orderRoutes(app: FastifyInstance, { database: { db }, reads }: AppContext): void {
  const tags = ['orders'];
  app.post<{ Body: CreateOrder }>(
    '/orders',
    {
      config: { permission: 'orders:create', idempotent: true },
      schema: {
        tags,
        summary: 'Capture an order and route it in the same transaction',
        description:
          'Idempotent by Idempotency-Key and by (channel, external_id). An order whose authorizations do not cover its total is created on a payment hold.',
        body: CreateOrder,
      },
    },
    (request, reply) => {
      const hash = requestHash('POST', '/v1/orders', request.body);
      const principal = request.principal;
      return runCreate(db, request, reply, async (tx) => {
        const placed = await placeOrder(tx, request.body, {
          requestHash: hash,
          actor: principal.keyId,
          channelOfKey: principal.role === 'channel' ? principal.channelId : null,
        });
        if (!placed.ok) return placed;
        return ok({ status: placed.value.replayed ? 200 : 201, body: placed.value.order ?? placed.value.shadow });
      });
    },
  );

  app.get<{ Querystring: ListQuery }>(
    '/orders',
    {
      config: { permission: 'orders:read' },
      schema: { tags, summary: 'Search all orders across channels, newest first', querystring: ListQuery },
    },
    async (request, reply) => {
      const q = request.query;
      const principal = request.principal;
      const statuses = parseValueList(q.status, orderStatuses, 'status');
      if (!statuses.ok) return sendProblem(reply, statuses.problem);
      const badTag = q.tag === undefined ? undefined : invalidTags([q.tag], () => '/querystring/tag');
      if (badTag) return sendProblem(reply, badTag);
      const before = decodeCursor<string>(q.cursor, 'string');
      const { rows, count } = await reads(request, async (db) => {
        let channelId = q.channel && ((await resolveChannelId(db, q.channel)) ?? q.channel);
        if (principal.role === 'channel') channelId = principal.channelId ?? 'none';
        const filter = {
          status: statuses.value,
          channelId,
          email: q.email,
          sku: q.sku,
          locationId: q.location_id,
          from: q.from,
          to: q.to,
          text: q.q,
          tag: q.tag,
          needsAttention: q.needs_attention,
        };
        return {
          rows: await listOrders(db, { ...filter, before, limit: q.limit + 1 }),
          count: await countOrders(db, filter),
        };
      });
      const data = rows.slice(0, q.limit);
      return { data, next_cursor: rows.length > q.limit ? encodeCursor(data.at(-1)!.id) : null, ...count };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/orders/:id',
    {
      config: { permission: 'orders:read' },
      schema: {
        tags,
        summary: 'The full order: lines, allocations, fulfillment, payments, holds, timeline',
        params: IdParams,
      },
    },
    async (request, reply) => {
      if (!(await visibleOrder(db, request, reply, request.params.id))) return reply;
      return getOrder(db, request.params.id);
    },
  );

  app.get<{ Params: { id: string }; Querystring: Static<typeof RoutingQuery> }>(
    '/orders/:id/routing',
    {
      config: { permission: 'orders:read' },
      schema: {
        tags,
        summary: 'Why the order went where it went: every routing decision with its explanation',
        description:
          'Each explanation lists the locations that held stock of the order (its candidates) and counts the ' +
          'locations of the group that held none (`explanation.omitted`). `detail=all` lists those too.',
        params: IdParams,
        querystring: RoutingQuery,
      },
    },
    async (request, reply) => {
      if (!(await visibleOrder(db, request, reply, request.params.id))) return reply;
      const stored = await routingDecisions(db, request.params.id);
      const decisions =
        request.query.detail === 'all' ? await withOmittedLocations(db, request.params.id, stored) : stored;
      return { order_id: request.params.id, latest: decisions.at(-1) ?? null, decisions };
    },
  );

  app.post<{ Params: { id: string }; Body: Static<typeof CancelBody> }>(
    '/orders/:id/cancel',
    {
      config: { permission: 'orders:manage' },
      schema: { tags, summary: 'Cancel the whole order or some line quantities', params: IdParams, body: CancelBody },
    },
    async (request, reply) => {
      const result = await inTransaction(db, (tx) =>
        cancelOrder(tx, request.params.id, {
          lines: request.body.lines,
          reason: request.body.reason,
          actor: request.principal.keyId,
        }),
      );
      if (!result.ok) return respond(reply, result);
      return getOrder(db, request.params.id);
    },
  );

  app.post<{ Params: { id: string }; Body: Static<typeof HoldBody> }>(
    '/orders/:id/hold',
    {
      config: { permission: 'orders:manage' },
      schema: {
        tags,
        summary: 'Put an order on a manual, payment, fraud or review hold',
        params: IdParams,
        body: HoldBody,
      },
    },
    async (request, reply) => {
      const result = await inTransaction(db, (tx) =>
        holdOrder(tx, request.params.id, request.body.kind as HoldKind, request.body.reason, request.principal.keyId),
      );
      if (!result.ok) return respond(reply, result);
      return getOrder(db, request.params.id);
    },
  );

  app.post<{ Params: { id: string }; Body: Static<typeof ReleaseBody> }>(
    '/orders/:id/release-hold',
    {
      config: { permission: 'orders:manage' },
      schema: {
        tags,
        summary: 'Release holds; fulfillment work starts when none remain',
        params: IdParams,
        body: ReleaseBody,
      },
    },
    async (request, reply) => {
      const result = await inTransaction(db, (tx) =>
        releaseHold(tx, request.params.id, request.body.kind as HoldKind | undefined, request.principal.keyId),
      );
      if (!result.ok) return respond(reply, result);
      return getOrder(db, request.params.id);
    },
  );

  changeRoutes(app, db, visibleOrder);
  noteAndTagRoutes(app, db, visibleOrder);
}
