import { Type, type Static } from '@sinclair/typebox';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { queryOne } from '../db/index.ts';
import type { AppContext } from '../http/app.ts';
import { sendProblem } from '../http/errors.ts';
import { runCreate } from '../http/idempotency.ts';
import { problem } from '../shared/problem.ts';
import { ok } from '../shared/result.ts';
import { orderMoney, paymentsOfOrder, presentPayment } from './ledger.ts';
import { refundPayment } from './refund.ts';
import { canSeeChannel } from '../auth/index.ts';

const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const RefundBody = Type.Object(
  {
    amount: Type.Object(
      {
        amount: Type.Integer({ minimum: 1, maximum: 9_000_000_000_000, description: 'Integer minor units' }),
        currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217; the order currency' }),
      },
      { additionalProperties: false },
    ),
    reason: Type.String({ minLength: 1, maxLength: 500 }),
    capture_id: Type.Optional(
      Type.String({ pattern: '^pay_[0-9a-z]+$', maxLength: 64, description: 'Refund from this capture only' }),
    ),
  },
  { additionalProperties: false },
);
type RefundBody = Static<typeof RefundBody>;

const money = (amount: number, currency: string) => ({ amount, currency });

export function paymentRoutes(app: FastifyInstance, { database: { db } }: AppContext): void {
  const tags = ['payments'];
  app.get<{ Params: { id: string } }>(
    '/orders/:id/payments',
    {
      config: { permission: 'orders:read' },
      schema: {
        tags,
        summary: "The order's authorizations, captures, voids and refunds with gateway outcomes and balances",
        params: IdParams,
      },
    },
    async (request, reply) => {
      const order = await queryOne<{ channel_id: string; currency: string }>(
        db,
        sql`select channel_id, currency from orders where id = ${request.params.id}`,
      );
      const principal = request.principal;
      if (!order || !canSeeChannel(principal, order.channel_id)) {
        return sendProblem(reply, problem('not_found', `No order ${request.params.id}.`));
      }
      const totals = await orderMoney(db, request.params.id);
      const c = order.currency;
      return {
        order_id: request.params.id,
        authorized: money(totals.authorized_minor, c),
        captured: money(totals.captured_minor, c),
        voided: money(totals.voided_minor, c),
        refunded: money(totals.refunded_minor, c),
        capturable: money(totals.capturable_minor, c),
        refundable: money(totals.refundable_minor, c),
        data: (await paymentsOfOrder(db, request.params.id)).map(presentPayment),
      };
    },
  );

  app.post<{ Params: { id: string }; Body: RefundBody }>(
    '/orders/:id/refunds',
    {
      config: { permission: 'orders:manage', idempotent: true },
      schema: {
        tags,
        summary: 'Refund captured money (never more than was captured); issues a credit memo',
        description:
          'Refunds through the gateway of the captures, newest first (or from `capture_id` only). A declined refund is recorded with `status: failed`. More than is left to refund (captured less every refund so far, return refunds included) → 409 `refund_exceeds_captured` with `refundable`, nothing written.',
        params: IdParams,
        body: RefundBody,
      },
    },
    (request, reply) =>
      runCreate(db, request, reply, async (tx) => {
        const body = request.body;
        const done = await refundPayment(tx, request.params.id, {
          amountMinor: body.amount.amount,
          currency: body.amount.currency,
          reason: body.reason,
          captureId: body.capture_id,
          actor: request.principal.keyId,
        });
        if (!done.ok) return done;
        const totals = await orderMoney(tx, request.params.id);
        const c = body.amount.currency;
        return ok({
          status: 201,
          body: {
            order_id: request.params.id,
            status: done.value.status,
            amount: body.amount,
            refunded: money(done.value.refunded_minor, c),
            reason: body.reason,
            refunds: done.value.refunds.map(presentPayment),
            credit_memo: done.value.credit_memo,
            balance: {
              captured: money(totals.captured_minor, c),
              refunded: money(totals.refunded_minor, c),
              refundable: money(totals.refundable_minor, c),
            },
          },
        });
      }),
  );
}
