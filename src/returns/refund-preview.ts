import type { Executor } from '../db/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok } from '../shared/result.ts';
import { computeRefund } from './refund-return.ts';
import type { RefundBody } from './schemas.ts';
import { readReturnRef } from './transitions.ts';

/**
 * What `POST /returns/{id}/refund` with the same body would give back now: the same computation
 * (`computeRefund`), read without a lock and writing nothing. The refund itself may still give
 * back less when earlier (goodwill) refunds of the order took part of what was captured.
 */
export async function previewRefund(executor: Executor, id: string, body: RefundBody, channelOfKey: string | null) {
  const ret = await readReturnRef(executor, id);
  if (!ret || (channelOfKey && ret.channel_id !== channelOfKey)) return fail(problem('not_found', `No return ${id}.`));
  const computed = await computeRefund(executor, ret, body);
  if (!computed.ok) return computed;
  const { amount, currency, policy } = computed.value;
  const money = (minor: number) => ({ amount: minor, currency });
  const total = (pick: (l: (typeof amount.lines)[number]) => number) =>
    money(amount.lines.reduce((n, l) => n + pick(l), 0));
  return ok({
    return_id: ret.id,
    order_id: ret.order_id,
    lines: amount.lines.map((l) => ({
      line_id: l.lineId,
      sku: l.sku,
      name: l.name,
      quantity: l.quantity,
      unit_price: money(l.unitPriceMinor),
      subtotal: money(l.subtotalMinor),
      discount: money(l.discountMinor),
      tax: money(l.taxMinor),
      restocking_fee: money(l.restockingFeeMinor),
      total: money(l.totalMinor),
    })),
    subtotal: total((l) => l.subtotalMinor),
    discount: total((l) => l.discountMinor),
    tax: total((l) => l.taxMinor),
    restocking_fee: money(amount.restockingFeeMinor),
    shipping: money(amount.shippingMinor),
    total: money(amount.totalMinor),
    policy: { shipping_refund: policy.shipping_refund, restocking_fee_bps: policy.restocking_fee_bps },
  });
}
