import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { inTransaction } from '../db/index.ts';
import type { AppContext } from '../http/app.ts';
import { sendProblem } from '../http/errors.ts';
import { runCreate } from '../http/idempotency.ts';
import { decodeCursor, page, PageQuery } from '../http/pagination.ts';
import { created, found, respond } from '../http/respond.ts';
import { listDeliveries, replayEvents } from './deliveries.ts';
import {
  CreateSubscription,
  deliveryStatuses,
  ReplayRequest,
  UpdateSubscription,
  type DeliveryStatus,
} from './schemas.ts';
import {
  createSubscription,
  getSubscription,
  listSubscriptions,
  notFound,
  rotateSecret,
  updateSubscription,
} from './subscriptions.ts';

const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
type IdParams = { id: string };
type PageQs = { limit: number; cursor?: string };
const tags = ['webhooks'];

const signingNote =
  'Deliveries are POSTs of `{ id, type, timestamp, data }` signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,…`); retried with backoff for about 15 hours, then `dead`.';

export function webhookRoutes(app: FastifyInstance, { database: { db } }: AppContext): void {
  // Admin only for now (secrets and arbitrary outbound URLs).
  const manage = { permission: 'webhooks:manage' } as const;
  const create = { ...manage, idempotent: true } as const;

  app.post<{ Body: CreateSubscription }>(
    '/webhook-subscriptions',
    {
      config: create,
      schema: {
        tags,
        summary: 'Subscribe a URL to events',
        description: `${signingNote} The response carries the signing secret (\`whsec_…\`); it is not shown again.`,
        body: CreateSubscription,
      },
    },
    (request, reply) => runCreate(db, request, reply, (tx) => created(createSubscription(tx, request.body))),
  );
  app.get<{ Querystring: PageQs & { active?: boolean } }>(
    '/webhook-subscriptions',
    {
      config: manage,
      schema: {
        tags,
        summary: 'List webhook subscriptions',
        querystring: Type.Object({ ...PageQuery, active: Type.Optional(Type.Boolean()) }),
      },
    },
    async (request) => {
      const { limit, cursor, active } = request.query;
      const rows = await listSubscriptions(db, { active, after: decodeCursor(cursor, 'string'), limit: limit + 1 });
      return page(rows, limit, (row) => row.id);
    },
  );
  app.get<{ Params: IdParams }>(
    '/webhook-subscriptions/:id',
    { config: manage, schema: { tags, summary: 'Get a webhook subscription', params: IdParams } },
    async (request, reply) =>
      found(reply, await getSubscription(db, request.params.id), `webhook subscription ${request.params.id}`),
  );
  app.patch<{ Params: IdParams; Body: UpdateSubscription }>(
    '/webhook-subscriptions/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Change the URL or event types, or pause and resume',
        params: IdParams,
        body: UpdateSubscription,
      },
    },
    async (request, reply) =>
      respond(reply, await inTransaction(db, (tx) => updateSubscription(tx, request.params.id, request.body))),
  );
  app.post<{ Params: IdParams }>(
    '/webhook-subscriptions/:id/rotate-secret',
    {
      config: create,
      schema: {
        tags,
        summary: 'Replace the signing secret',
        description: 'Returns the new secret once; every delivery from now on is signed with it only.',
        params: IdParams,
      },
    },
    (request, reply) => runCreate(db, request, reply, (tx) => created(rotateSecret(tx, request.params.id), 200)),
  );
  deliveryRoutes(app, db, manage);
}

function deliveryRoutes(
  app: FastifyInstance,
  db: AppContext['database']['db'],
  manage: { permission: 'webhooks:manage' },
): void {
  app.get<{ Params: IdParams; Querystring: PageQs & { status?: DeliveryStatus; event_id?: string } }>(
    '/webhook-subscriptions/:id/deliveries',
    {
      config: manage,
      schema: {
        tags,
        summary: "A subscription's deliveries, newest first",
        description: 'Status, attempts, the next attempt of a pending delivery, and the last response code or error.',
        params: IdParams,
        querystring: Type.Object({
          ...PageQuery,
          status: Type.Optional(Type.Union(deliveryStatuses.map((s) => Type.Literal(s)))),
          event_id: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,17}$' })),
        }),
      },
    },
    async (request, reply) => {
      const { limit, cursor, status, event_id } = request.query;
      const rows = await listDeliveries(db, request.params.id, {
        status,
        eventId: event_id === undefined ? undefined : Number(event_id),
        before: decodeCursor<number>(cursor, 'number'),
        limit: limit + 1,
      });
      if (!rows) return sendProblem(reply, notFound(request.params.id));
      return page(rows, limit, (row) => Number(row.id));
    },
  );
  app.post<{ Params: IdParams; Body: ReplayRequest }>(
    '/webhook-subscriptions/:id/replay',
    {
      config: { ...manage, idempotent: true },
      schema: {
        tags,
        summary: 'Send past events again',
        description:
          'Enqueues the chosen events that the subscription wants (its current types and channel): new deliveries, or existing ones reset to pending with their attempts cleared. At most 5,000 events per request; continue from `next_from_event_id` while `has_more`.',
        params: IdParams,
        body: ReplayRequest,
      },
    },
    (request, reply) =>
      runCreate(db, request, reply, (tx) => created(replayEvents(tx, request.params.id, request.body), 202)),
  );
}
