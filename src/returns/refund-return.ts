import { sql } from 'drizzle-orm';
import { queryOne, type Executor } from '../db/index.ts';
import { refundLineUnits } from '../orders/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { recordReturnEvent } from './events.ts';
import { carryCredits, creditsFor } from './exchange-credits.ts';
import { channelPolicy, type ReturnPolicy } from './policy.ts';
import {
  ownMemo,
  payParts,
  payoutStatus,
  payoutTotals,
  presentPart,
  type PaidPart,
  type PayoutStatus,
} from './payout.ts';
import type { RefundAmount } from './refund-amount.ts';
import { amountOf, lineStates, plan, shippingToRefund, type Picked } from './refund-lines.ts';
import { orderParts } from './refund-parts.ts';
import type { RefundBody } from './schemas.ts';
import { lockReturn, transitionReturn, type ReturnRef } from './transitions.ts';

export interface ReturnRefund {
  /** The return's order. */
  orderId: string;
  amount: RefundAmount;
  status: PayoutStatus;
  /** One per order that gives something back: the return's own, and those that paid a replacement's credits. */
  parts: PaidPart[];
}

/**
 * Refunds received units of a return through the payment gateway, with a credit memo listing
 * them. Partial refunds (some lines or units) and repeated ones add up exactly; the return is
 * `refunded` once every received unit is. A replacement's units also give back the credits they
 * carry, each from the order that was paid, with a credit memo there. What earlier refunds
 * (goodwill) already gave back of an order is not refunded twice: its part is cut to what is
 * left, and says so. A declined refund changes nothing on the return, so it can be tried again;
 * the failed attempt stays on the order's payment records.
 */
export async function refundReturn(
  executor: Executor,
  id: string,
  body: RefundBody,
  actor: string,
): Promise<Result<ReturnRefund>> {
  const ret = await lockReturn(executor, id);
  if (!ret) return fail(problem('not_found', `No return ${id}.`));
  const computed = await computeRefund(executor, ret, body);
  if (!computed.ok) return computed;
  const { picked, amount, currency } = computed.value;
  const paid = await payParts(executor, orderParts(ret.order_id, amount), {
    currency,
    reason: `Return ${id}`,
    returnId: id,
    actor,
  });
  if (!paid.ok) return paid;
  const refund: ReturnRefund = { orderId: ret.order_id, amount, status: payoutStatus(paid.value), parts: paid.value };
  // Every gateway declined: the return is left as it was, to be tried again.
  if (refund.status === 'failed') return ok(refund);
  await settle(executor, ret, picked, refund, currency, actor);
  return ok(refund);
}

interface ComputedRefund {
  picked: Picked[];
  amount: RefundAmount;
  currency: string;
  policy: ReturnPolicy;
}

/**
 * What a refund of `body` would give back now, writing nothing: the one computation the refund
 * pays out and its preview shows (lines, tax, restocking fee, shipping, total).
 */
export async function computeRefund(
  executor: Executor,
  ret: ReturnRef,
  body: RefundBody,
): Promise<Result<ComputedRefund>> {
  const id = ret.id;
  if (ret.status !== 'restocked' && ret.status !== 'written_off')
    return fail(
      problem(
        'illegal_transition',
        `Return ${id} is ${ret.status}; refunds follow receiving (restocked or written off).`,
        {
          from: ret.status,
        },
      ),
    );
  const picked = plan(await lineStates(executor, ret), body);
  if (!picked.ok) return picked;
  const credits = await creditsFor(
    executor,
    ret.order_id,
    picked.value.map((p) => ({ lineId: p.line.line_id, from: p.line.line_refunded, count: p.quantity })),
  );
  if (!credits.ok) return credits;
  const policy = await channelPolicy(executor, ret.channel_id);
  const currency = (await queryOne<{ currency: string }>(executor, sql`select currency from returns where id = ${id}`))!
    .currency;
  if (body.restocking_fee && body.restocking_fee.currency !== currency)
    return fail(
      problem('validation_failed', `The return is in ${currency}.`, {
        errors: [{ pointer: '/restocking_fee/currency', message: `must be ${currency}` }],
      }),
    );
  const shippingMinor = await shippingToRefund(executor, ret, picked.value, policy, body.refund_shipping);
  const amount = amountOf(picked.value, credits.value, shippingMinor, policy, body);
  return ok({ picked: picked.value, amount, currency, policy });
}

/** Counts the units refunded, carries exchanged units' paid value on to their replacement, records the event. */
async function settle(
  executor: Executor,
  ret: ReturnRef,
  picked: Picked[],
  refund: ReturnRefund,
  currency: string,
  actor: string,
) {
  const { amount, status, parts } = refund;
  const totals = payoutTotals(parts);
  const money = (minor: number) => ({ amount: minor, currency });
  for (const [i, { line, quantity }] of picked.entries()) {
    const carried = amount.lines[i]!.carried;
    if (carried) await carryCredits(executor, ret, line.line_id, quantity, carried);
    await executor.execute(
      sql`update return_lines set refunded = refunded + ${quantity} where return_id = ${ret.id} and line_id = ${line.line_id}`,
    );
    await refundLineUnits(executor, { orderId: ret.order_id, lineId: line.line_id }, quantity);
  }
  await executor.execute(sql`
    update returns set refunded_minor = refunded_minor + ${totals.amountMinor}, shipping_refunded_minor = shipping_refunded_minor + ${amount.shippingMinor},
           restocking_fee_minor = restocking_fee_minor + ${amount.restockingFeeMinor}, updated_at = now()
    where id = ${ret.id}`);
  await recordReturnEvent(executor, ret, 'return.refunded', actor, {
    amount: money(totals.amountMinor),
    computed: money(totals.computedMinor),
    capped_by_earlier_refunds: money(totals.cappedMinor),
    shipping_minor: amount.shippingMinor,
    restocking_fee_minor: amount.restockingFeeMinor,
    lines: picked.map((p) => ({ line_id: p.line.line_id, quantity: p.quantity })),
    orders: parts
      .filter((p) => p.outcome)
      .map((p) => ({ ...presentPart(p, currency), credit_memo_id: p.outcome?.credit_memo?.id ?? null })),
    refund_status: status,
    credit_memo_id: ownMemo(refund)?.id ?? null,
  });
  const left = await queryOne<{ n: number }>(
    executor,
    sql`select coalesce(sum(received - refunded), 0)::int as n from return_lines where return_id = ${ret.id}`,
  );
  if (left!.n === 0) {
    const moved = await transitionReturn(executor, ret, 'refunded', actor);
    if (!moved.ok) throw new Error(moved.problem.detail); // the row is locked: nobody else moved it
  }
}
