import { sql } from 'drizzle-orm';
import { query, queryOne, type Executor } from '../db/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { merchantFaultReasons, type ReturnPolicy, type ReturnReason } from './policy.ts';
import { refundAmount, type Part, type RefundLineInput } from './refund-amount.ts';
import type { RefundBody } from './schemas.ts';
import type { ReturnRef } from './transitions.ts';

/** A return line with its order line: what a refund of its received units is computed from. */
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

export interface Picked {
  line: LineState;
  quantity: number;
}

export async function lineStates(executor: Executor, ret: ReturnRef): Promise<LineState[]> {
  return query<LineState>(
    executor,
    sql`select rl.line_id, rl.sku, ol.name, rl.reason, rl.received, rl.refunded, rl.exchange_unit_price_minor,
               ol.quantity as ordered_quantity, ol.unit_price_minor, ol.discount_minor, ol.tax_minor, ol.refunded as line_refunded
        from return_lines rl join order_lines ol on ol.order_id = ${ret.order_id} and ol.line_id = rl.line_id
        where rl.return_id = ${ret.id} order by rl.line_no`,
  );
}

/** The units to refund: the ones asked for, or every received unit not yet refunded. */
export function plan(lines: LineState[], body: RefundBody): Result<Picked[]> {
  const wanted = body.lines ?? lines.map((l) => ({ line_id: l.line_id, quantity: l.received - l.refunded }));
  const errors: { pointer: string; message: string }[] = [];
  const picked: Picked[] = [];
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
export async function shippingToRefund(
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

/** What the picked units give back; `credits` are a replacement line's units' credits, by line. */
export function amountOf(
  picked: Picked[],
  credits: Map<string, Part[]>,
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
    credits: credits.get(line.line_id) ?? [],
  }));
  return refundAmount(inputs, {
    shippingMinor,
    feeBps: policy.restocking_fee_bps,
    feeMinor: body.restocking_fee?.amount,
  });
}
