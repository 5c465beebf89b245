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

/** The reason every refund of a change starts with (`releaseChangeMoney`'s callers name the change). */
const changeRefunds = 'order change %';

/**
 * What a cheaper change gives back: the delta, but never more than the order holds beyond its
 * new total — an order authorized short keeps what it holds up to the new total. The order holds
 * its open authorizations and its captures, less what earlier changes refunded (refunds of
 * returns and goodwill do not lower the total, so they do not count against it).
 */
async function giveBack(executor: Executor, orderId: string, deltaMinor: number, newTotalMinor: number) {
  const row = await queryOne<{ captured: number; change_refunds: number }>(
    executor,
    sql`select coalesce(sum(p.amount_minor) filter (where p.kind = 'capture' and p.status in ('succeeded', 'pending')), 0)::bigint as captured,
               coalesce(sum(p.amount_minor) filter (where p.kind = 'refund' and p.status in ('succeeded', 'pending')
                                                     and d.details->>'reason' like ${changeRefunds}), 0)::bigint as change_refunds
        from payments p left join payment_details d on d.payment_id = p.id where p.order_id = ${orderId}`,
  );
  const { capturable_minor } = await orderMoney(executor, orderId);
  const held = capturable_minor + Number(row?.captured ?? 0) - Number(row?.change_refunds ?? 0);
  return Math.min(-deltaMinor, Math.max(0, held - newTotalMinor));
}

/** How a change of `deltaMinor` to a total of `newTotalMinor` would settle, without moving money. */
export async function planSettlement(
  executor: Executor,
  orderId: string,
  deltaMinor: number,
  newTotalMinor: number,
): Promise<SettlementPlan> {
  if (deltaMinor >= 0) return { authorize_minor: deltaMinor, void_minor: 0, refund_minor: 0, uncovered_minor: 0 };
  const back = await giveBack(executor, orderId, deltaMinor, newTotalMinor);
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
 * Gives back what a cheaper change of `deltaMinor` frees (`giveBack`) once its lines are
 * written: voids open authorizations (all that is left when no unit is open any more), then
 * refunds from captures what the voids did not cover. `reason` starts with "order change ".
 */
export async function releaseChangeMoney(
  executor: Executor,
  orderId: string,
  input: { deltaMinor: number; newTotalMinor: number; currency: string; reason: string; actor: string },
): Promise<{ voided_minor: number; refunded_minor: number; payments: PaymentRow[] }> {
  const amountMinor = await giveBack(executor, orderId, input.deltaMinor, input.newTotalMinor);
  const voids = await voidAuthorizations(executor, orderId, amountMinor, input.actor);
  const voided = voids.filter((v) => v.status !== 'failed').reduce((n, v) => n + v.amount_minor, 0);
  const rest = amountMinor - voided;
  if (rest <= 0) return { voided_minor: voided, refunded_minor: 0, payments: voids };
  const refund = await refundPayment(executor, orderId, {
    amountMinor: rest,
    currency: input.currency,
    reason: input.reason,
    upToRefundable: true,
    // The change's tax difference is its own adjustment document: the refund gives no tax back on top.
    taxAdjusted: true,
    actor: input.actor,
  });
  if (!refund.ok) return { voided_minor: voided, refunded_minor: 0, payments: voids };
  return {
    voided_minor: voided,
    refunded_minor: refund.value.refunded_minor,
    payments: [...voids, ...refund.value.refunds],
  };
}
