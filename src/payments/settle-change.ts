import { sql } from 'drizzle-orm';
import { queryOne, type Executor } from '../db/index.ts';
import { authorizePayment } from './authorize.ts';
import { drawableAuthorizations, orderMoney, type PaymentRow } from './ledger.ts';
import { refundPayment } from './refund.ts';
import { voidAuthorizations } from './void-authorization.ts';

/**
 * The money side of an order change (ADR 0023): a dearer order takes an additional
 * authorization; a cheaper one releases the difference from open authorizations first and
 * refunds what they cannot cover from captures, newest first — the same draws as cancellations
 * and refunds (ADR 0006). Integer minor units throughout.
 */

interface SettlementPlan {
  authorize_minor: number;
  void_minor: number;
  refund_minor: number;
  /** What neither open authorizations nor captures can give back (nothing was collected for it). */
  uncovered_minor: number;
}

/** How a change of `deltaMinor` would settle, without moving money. */
export async function planSettlement(executor: Executor, orderId: string, deltaMinor: number): Promise<SettlementPlan> {
  if (deltaMinor >= 0) return { authorize_minor: deltaMinor, void_minor: 0, refund_minor: 0, uncovered_minor: 0 };
  const back = -deltaMinor;
  const { capturableMinor } = await drawableAuthorizations(executor, orderId);
  const voidMinor = Math.min(back, capturableMinor);
  const refundMinor = Math.min(back - voidMinor, (await orderMoney(executor, orderId)).refundable_minor);
  return {
    authorize_minor: 0,
    void_minor: voidMinor,
    refund_minor: refundMinor,
    uncovered_minor: back - voidMinor - refundMinor,
  };
}

type ChangeAuthorization =
  | { status: 'authorized'; payment: PaymentRow }
  | { status: 'declined'; payment: PaymentRow | null; code: string; message: string };

/**
 * Authorizes `amountMinor` more for a change, through `gateway` (else the gateway of the order's
 * latest authorization) with `paymentMethod` (else that authorization's reference: an
 * incremental authorization on the same card). `key` is the change's own idempotency key.
 */
export async function authorizeChange(
  executor: Executor,
  orderId: string,
  input: {
    amountMinor: number;
    currency: string;
    gateway?: string | undefined;
    paymentMethod?: string | undefined;
    key: string;
    actor: string;
  },
): Promise<ChangeAuthorization> {
  const latest = await queryOne<{ gateway: string; reference: string }>(
    executor,
    sql`select gateway, coalesce(reference, id) as reference from payments
        where order_id = ${orderId} and kind = 'authorization' and status = 'succeeded'
        order by created_at desc, id desc limit 1`,
  );
  const gateway = input.gateway ?? latest?.gateway;
  const paymentMethod = input.paymentMethod ?? latest?.reference;
  if (!gateway || !paymentMethod)
    return {
      status: 'declined',
      payment: null,
      code: 'no_payment_method',
      message: 'The order has no authorization to add to; name a gateway and payment method.',
    };
  const result = await authorizePayment(executor, orderId, {
    amountMinor: input.amountMinor,
    currency: input.currency,
    gateway,
    paymentMethod,
    idempotencyKey: input.key,
    actor: input.actor,
  });
  if (!result.ok)
    return { status: 'declined', payment: null, code: result.problem.code, message: result.problem.detail };
  const payment = result.value.payment;
  if (payment.status === 'succeeded') return { status: 'authorized', payment };
  return {
    status: 'declined',
    payment,
    code: payment.failure_code ?? 'declined',
    message: payment.failure_message ?? 'The gateway declined the authorization.',
  };
}

/**
 * Gives back `amountMinor` after a cheaper change, once its lines are written: voids open
 * authorizations (all that is left when no unit is open any more), then refunds from captures
 * what the voids did not cover.
 */
export async function releaseChangeMoney(
  executor: Executor,
  orderId: string,
  input: { amountMinor: number; currency: string; reason: string; actor: string },
): Promise<{ voided_minor: number; refunded_minor: number; payments: PaymentRow[] }> {
  const voids = await voidAuthorizations(executor, orderId, input.amountMinor, input.actor);
  const voided = voids.filter((v) => v.status !== 'failed').reduce((n, v) => n + v.amount_minor, 0);
  const rest = input.amountMinor - voided;
  if (rest <= 0) return { voided_minor: voided, refunded_minor: 0, payments: voids };
  const refund = await refundPayment(executor, orderId, {
    amountMinor: rest,
    currency: input.currency,
    reason: input.reason,
    upToRefundable: true,
    actor: input.actor,
  });
  if (!refund.ok) return { voided_minor: voided, refunded_minor: 0, payments: voids };
  return {
    voided_minor: voided,
    refunded_minor: refund.value.refunded_minor,
    payments: [...voids, ...refund.value.refunds],
  };
}
