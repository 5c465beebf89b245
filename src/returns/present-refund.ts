import { presentPayment } from '../payments/index.ts';
import { ownMemo, payoutTotals, presentPart } from './payout.ts';
import type { ReturnRefund } from './refund-return.ts';

/**
 * A return refund as the API answers it: what the return arithmetic computed, what was refunded
 * (`amount`), and what earlier refunds of the order (goodwill) had already given back
 * (`capped_by_earlier_refunds`), in total and per order paid from.
 */
export function presentRefund(refund: ReturnRefund, currency: string) {
  const money = (amount: number) => ({ amount, currency });
  const totals = payoutTotals(refund.parts);
  const { amount } = refund;
  const outcomes = refund.parts.flatMap((p) => (p.outcome ? [p.outcome] : []));
  return {
    status: refund.status,
    computed: money(totals.computedMinor),
    amount: money(totals.amountMinor),
    capped_by_earlier_refunds: money(totals.cappedMinor),
    shipping: money(amount.shippingMinor),
    restocking_fee: money(amount.restockingFeeMinor),
    lines: amount.lines,
    refunds: outcomes.flatMap((o) => o.refunds.map((r) => ({ ...presentPayment(r), order_id: r.order_id }))),
    credit_memo: ownMemo(refund),
    orders: refund.parts.map((p) => ({ ...presentPart(p, currency), credit_memo: p.outcome?.credit_memo ?? null })),
  };
}
