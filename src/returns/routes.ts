import { Type } from '@sinclair/typebox';
import { sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { canSeeChannel, type Principal } from '../auth/index.ts';
import { queryOne, type Tx } from '../db/index.ts';
import type { AppContext } from '../http/app.ts';
import { sendProblem } from '../http/errors.ts';
import { runCreate } from '../http/idempotency.ts';
import { decodeCursor, encodeCursor } from '../http/pagination.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { authorizeReturn, closeReturn } from './authorize.ts';
import { createReturn } from './create-return.ts';
import { listReturns } from '../orders/index.ts';
import { getReturn } from './read.ts';
import { receiveReturn } from './receive.ts';
import { presentRefund } from './present-refund.ts';
import { previewRefund } from './refund-preview.ts';
import { refundReturn } from './refund-return.ts';
import { reshipOrder } from './reship.ts';
import {
  CreateReturnBody,
  ListQuery,
  ReasonBody,
  ReceiveBody,
  RefundBody,
  ReshipBody,
  SelfServiceBody,
} from './schemas.ts';

const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const channelOf = (p: Principal) => (p.role === 'channel' ? p.channelId : null);

/** Answers with the return as it is now, after `work` changed it in `tx`. */
async function returnAfter(tx: Tx, id: string, work: Promise<Result<unknown>>, status = 200) {
  const done = await work;
  if (!done.ok) return done;
  return ok({ status, body: await getReturn(tx, id) });
}

export function returnRoutes(app: FastifyInstance, { database: { db } }: AppContext): void {
  const tags = ['returns'];
  const post = <B>(
    path: string,
    permission: string,
    summary: string,
    body: unknown,
    handler: (
      request: FastifyRequest<{ Params: { id: string }; Body: B }>,
      tx: Tx,
    ) => Promise<Result<{ status: number; body: unknown }>>,
  ) =>
    app.post<{ Params: { id: string }; Body: B }>(
      path,
      { config: { permission, idempotent: true }, schema: { tags, summary, params: IdParams, body } } as never,
      (request, reply: FastifyReply) => runCreate(db, request, reply, (tx) => handler(request, tx)),
    );

  app.post<{ Body: CreateReturnBody }>(
    '/returns',
    {
      config: { permission: 'returns:create', idempotent: true },
      schema: {
        tags,
        summary: 'Start a return (RMA) for delivered units, inside the return window',
        description:
          'Agents and channel keys (their own channel’s orders). Units not delivered, already returned or on an open return → 409 `not_returnable`; past the window (the product’s, else the channel’s) → 409 `return_window_closed`. Authorized at once when the channel’s policy says so; an exchange’s replacement order is placed on authorization (409 `insufficient_stock` when it cannot be reserved).',
        body: CreateReturnBody,
      },
    },
    (request, reply) =>
      runCreate(db, request, reply, async (tx) => {
        const { order_id, ...input } = request.body;
        const principal = request.principal;
        if (principal.role === 'channel') delete input.override_window;
        const created = await createReturn(tx, order_id, input, {
          source: principal.role === 'channel' ? 'channel' : 'agent',
          actor: principal.keyId,
          channelOfKey: channelOf(principal),
        });
        return created.ok ? ok({ status: 201, body: await getReturn(tx, created.value.id) }) : created;
      }),
  );

  app.post<{ Body: SelfServiceBody }>(
    '/returns/self-service',
    {
      config: { permission: 'returns:create', idempotent: true },
      schema: {
        tags,
        summary: 'A customer starts a return from the storefront with the order number and email',
        description:
          'For storefronts (channel keys: their channel’s orders only). The order is found by its number and the email it was placed with; any mismatch is a 404. Always within the return window.',
        body: SelfServiceBody,
      },
    },
    (request, reply) =>
      runCreate(db, request, reply, async (tx) => {
        const { order_number, email, ...input } = request.body;
        const principal = request.principal;
        const order = await queryOne<{ id: string }>(
          tx,
          sql`select id from orders where external_id = ${order_number} and customer_email = ${email.toLowerCase()}
              ${principal.role === 'channel' ? sql`and channel_id = ${principal.channelId}` : sql``} order by id limit 1`,
        );
        if (!order) return fail(problem('not_found', `No order ${order_number} for ${email}.`));
        const created = await createReturn(tx, order.id, input, {
          source: 'self_service',
          actor: principal.keyId,
          channelOfKey: channelOf(principal),
        });
        return created.ok ? ok({ status: 201, body: await getReturn(tx, created.value.id) }) : created;
      }),
  );

  app.get<{ Params: { id: string } }>(
    '/returns/:id',
    {
      config: { permission: 'returns:read' },
      schema: { tags, summary: 'A return with its lines, receipts, refunds and credit memos', params: IdParams },
    },
    async (request, reply) => {
      const found = await getReturn(db, request.params.id);
      if (!found || !canSeeChannel(request.principal, found.channel_id))
        return sendProblem(reply, problem('not_found', `No return ${request.params.id}.`));
      return found;
    },
  );

  app.get<{ Querystring: ListQuery }>(
    '/returns',
    {
      config: { permission: 'returns:read' },
      schema: { tags, summary: 'Returns, newest first', querystring: ListQuery },
    },
    async (request) => {
      const q = request.query;
      const rows = await listReturns(db, {
        orderId: q.order_id,
        orderNumber: q.order_number,
        customerEmail: q.customer_email,
        status: q.status,
        channelId: channelOf(request.principal) ?? undefined,
        before: decodeCursor<string>(q.cursor, 'string'),
        limit: q.limit + 1,
      });
      const data = rows.slice(0, q.limit);
      return { data, next_cursor: rows.length > q.limit ? encodeCursor(data.at(-1)!.id) : null };
    },
  );

  post(
    '/returns/:id/authorize',
    'returns:manage',
    'Authorize an initiated return',
    Type.Optional(Type.Object({}, { additionalProperties: false })),
    (request, tx) =>
      returnAfter(tx, request.params.id, authorizeReturn(tx, request.params.id, request.principal.keyId)),
  );
  post<ReasonBody>('/returns/:id/reject', 'returns:manage', 'Reject an initiated return', ReasonBody, (request, tx) =>
    returnAfter(
      tx,
      request.params.id,
      closeReturn(tx, request.params.id, 'rejected', {
        reason: request.body?.reason ?? 'rejected',
        actor: request.principal.keyId,
      }),
    ),
  );
  post<ReasonBody>(
    '/returns/:id/cancel',
    'returns:create',
    'Cancel a return before anything is received',
    ReasonBody,
    (request, tx) =>
      returnAfter(
        tx,
        request.params.id,
        closeReturn(tx, request.params.id, 'cancelled', {
          reason: request.body?.reason ?? 'cancelled',
          actor: request.principal.keyId,
          channelOfKey: channelOf(request.principal),
        }),
      ),
  );
  post<ReceiveBody>(
    '/returns/:id/receive',
    'returns:receive',
    'Receive returned units (partial receipts; condition and disposition per line)',
    ReceiveBody,
    (request, tx) =>
      returnAfter(tx, request.params.id, receiveReturn(tx, request.params.id, request.body, request.principal)),
  );
  post<RefundBody>(
    '/returns/:id/refund',
    'returns:manage',
    'Refund received units through the payment gateway, with a credit memo per order paid from (a replacement’s credit comes from the original order); cut to what earlier (goodwill) refunds left',
    RefundBody,
    async (request, tx) => {
      const refunded = await refundReturn(tx, request.params.id, request.body, request.principal.keyId);
      if (!refunded.ok) return refunded;
      const ret = await getReturn(tx, request.params.id);
      return ok({ status: 201, body: { return: ret, refund: presentRefund(refunded.value, ret!.refunded.currency) } });
    },
  );
  app.post<{ Params: { id: string }; Body: RefundBody }>(
    '/returns/:id/refund-preview',
    {
      config: { permission: 'returns:manage' },
      schema: {
        tags,
        summary: 'What a refund with this body would give back now: lines, tax, restocking fee, shipping and total',
        description:
          'Runs the refund’s own computation and writes nothing; the same body sent to `/returns/{id}/refund` refunds these amounts (cut, as there, to what earlier goodwill refunds left). Refused like the refund: 409 `illegal_transition` before receiving is finished, 400 `validation_failed` for units not received.',
        params: IdParams,
        body: RefundBody,
      },
    },
    async (request, reply) => {
      const preview = await previewRefund(db, request.params.id, request.body ?? {}, channelOf(request.principal));
      return preview.ok ? preview.value : sendProblem(reply, preview.problem);
    },
  );
  post<ReshipBody>(
    '/orders/:id/reship',
    'returns:manage',
    'Reship lost or damaged units as a linked replacement order at no charge; capped by shipped less already reshipped units (409 `reship_limit_exceeded`) unless an agent overrides with a reason',
    ReshipBody,
    async (request, tx) => {
      const done = await reshipOrder(tx, request.params.id, request.body, {
        actor: request.principal.keyId,
        channelOfKey: channelOf(request.principal),
      });
      return done.ok ? ok({ status: 201, body: done.value }) : done;
    },
  );
}
