import { sql } from 'drizzle-orm';
import { query, queryOne, type Executor } from '../db/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { recordReturnEvent } from './events.ts';
import { channelPolicy, merchantFaultReasons, type ReturnPolicy, type ReturnReason } from './policy.ts';
import { ownMemo, payParts, payoutStatus, payoutTotals, type PaidPart, type PayoutStatus } from './payout.ts';
import { refundAmount, type RefundAmount, type RefundLineInput } from './refund-amount.ts';
import type { RefundBody } from './schemas.ts';
import { lockReturn, transitionReturn, type ReturnRef } from './transitions.ts';

interface LineState {
  line_id: string;
  sku: string;
  name: string | null;
  reason: ReturnReason;
  received: number;
  refunded: number;
  exchange_unit_price_minor: number | null;
  ordered_quantity: number;
  unit_price_minor: number;
  discount_minor: number;
  tax_minor: number;
  line_refunded: number;
}

export interface ReturnRefund {
  /** The return's order. */
  orderId: string;
  amount: RefundAmount;
  status: PayoutStatus;
  parts: PaidPart[];
}

async function lineStates(executor: Executor, ret: ReturnRef): Promise<LineState[]> {
  return query<LineState>(
    executor,
    sql`select rl.line_id, rl.sku, ol.name, rl.reason, rl.received, rl.refunded, rl.exchange_unit_price_minor,
               ol.quantity as ordered_quantity, ol.unit_price_minor, ol.discount_minor, ol.tax_minor, ol.refunded as line_refunded
        from return_lines rl join order_lines ol on ol.order_id = ${ret.order_id} and ol.line_id = rl.line_id
        where rl.return_id = ${ret.id} order by rl.line_no`,
  );
}

function plan(lines: LineState[], body: RefundBody): Result<{ line: LineState; quantity: number }[]> {
  const wanted = body.lines ?? lines.map((l) => ({ line_id: l.line_id, quantity: l.received - l.refunded }));
  const errors: { pointer: string; message: string }[] = [];
  const picked: { line: LineState; quantity: number }[] = [];
  wanted.forEach((w, i) => {
    const line = lines.find((l) => l.line_id === w.line_id);
    if (!line) return errors.push({ pointer: `/lines/${i}/line_id`, message: `the return has no line ${w.line_id}` });
    if (w.quantity > line.received - line.refunded)
      return errors.push({
        pointer: `/lines/${i}/quantity`,
        message: `${line.received - line.refunded} received unit(s) of line ${w.line_id} are left to refund`,
      });
    if (w.quantity > 0) picked.push({ line, quantity: w.quantity });
    return undefined;
  });
  if (errors.length > 0) return fail(problem('validation_failed', `${errors[0]!.message}.`, { errors }));
  return ok(picked);
}

/** The order's shipping goes back once per order, when the policy (or the agent) says so. */
async function shippingToRefund(
  executor: Executor,
  ret: ReturnRef,
  picked: { line: LineState }[],
  policy: ReturnPolicy,
  override: boolean | undefined,
): Promise<number> {
  const order = await queryOne<{ shipping_minor: number; already: number }>(
    executor,
    sql`select o.shipping_minor, coalesce((select sum(shipping_refunded_minor) from returns where order_id = o.id), 0)::bigint as already
        from orders o where o.id = ${ret.order_id}`,
  );
  const due =
    override ??
    (policy.shipping_refund === 'always' ||
      (policy.shipping_refund === 'merchant_fault' &&
        picked.some((p) => merchantFaultReasons.includes(p.line.reason))));
  return due ? Math.max(0, order!.shipping_minor - order!.already) : 0;
}

function amountOf(
  picked: { line: LineState; quantity: number }[],
  shippingMinor: number,
  policy: ReturnPolicy,
  body: RefundBody,
) {
  const inputs: RefundLineInput[] = picked.map(({ line, quantity }) => ({
    lineId: line.line_id,
    sku: line.sku,
    name: line.name,
    orderedQuantity: line.ordered_quantity,
    unitPriceMinor: line.unit_price_minor,
    discountMinor: line.discount_minor,
    taxMinor: line.tax_minor,
    refundedBefore: line.line_refunded,
    quantity,
    exchangeUnitPriceMinor: line.exchange_unit_price_minor,
    feeApplies: !merchantFaultReasons.includes(line.reason),
  }));
  return refundAmount(inputs, {
    shippingMinor,
    feeBps: policy.restocking_fee_bps,
    feeMinor: body.restocking_fee?.amount,
  });
}

/**
 * Refunds received units of a return through the payment gateway, with a credit memo listing
 * them. Partial refunds (some lines or units) and repeated ones add up exactly; the return is
 * `refunded` once every received unit is. What earlier refunds (goodwill) already gave back of
 * the order is not refunded twice: the refund is cut to what is left, and says so. A declined
 * refund changes nothing on the return, so it can be tried again; the failed attempt stays on
 * the order's payment records.
 */
export async function refundReturn(
  executor: Executor,
  id: string,
  body: RefundBody,
  actor: string,
): Promise<Result<ReturnRefund>> {
  const ret = await lockReturn(executor, id);
  if (!ret) return fail(problem('not_found', `No return ${id}.`));
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
  const amount = amountOf(picked.value, shippingMinor, policy, body);
  const paid = await payParts(
    executor,
    [{ orderId: ret.order_id, amountMinor: amount.totalMinor, memo: { lines: memoLines(amount), shippingMinor } }],
    { currency, reason: `Return ${id}`, returnId: id, actor },
  );
  if (!paid.ok) return paid;
  const refund: ReturnRefund = { orderId: ret.order_id, amount, status: payoutStatus(paid.value), parts: paid.value };
  // Every gateway declined: the return is left as it was, to be tried again.
  if (refund.status === 'failed') return ok(refund);
  await settle(executor, ret, picked.value, refund, currency, actor);
  return ok(refund);
}

function memoLines(amount: RefundAmount) {
  return amount.lines
    .filter((l) => l.totalMinor > 0)
    .map((l) => ({
      line_id: l.lineId,
      sku: l.sku,
      name: l.restockingFeeMinor > 0 ? `${l.name} (less restocking fee ${l.restockingFeeMinor})` : l.name,
      quantity: l.quantity,
      unit_price_minor: l.unitPriceMinor,
      discount_minor: l.discountMinor + l.restockingFeeMinor,
      tax_minor: l.taxMinor,
    }));
}

async function settle(
  executor: Executor,
  ret: ReturnRef,
  picked: { line: LineState; quantity: number }[],
  refund: ReturnRefund,
  currency: string,
  actor: string,
) {
  const { amount, status, parts } = refund;
  const totals = payoutTotals(parts);
  const money = (minor: number) => ({ amount: minor, currency });
  for (const { line, quantity } of picked) {
    await executor.execute(
      sql`update return_lines set refunded = refunded + ${quantity} where return_id = ${ret.id} and line_id = ${line.line_id}`,
    );
    await executor.execute(
      sql`update order_lines set refunded = refunded + ${quantity} where order_id = ${ret.order_id} and line_id = ${line.line_id}`,
    );
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
