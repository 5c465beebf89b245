import type { Executor } from '../db/index.ts';
import type { DocumentLineInput } from '../invoices/index.ts';
import { refundPayment, type RefundOutcome } from '../payments/index.ts';
import { ok, type Result } from '../shared/result.ts';

/** What one order gives back for a return refund, with the credit memo lines it itemises. */
export interface OrderPart {
  orderId: string;
  amountMinor: number;
  memo: { lines: DocumentLineInput[]; shippingMinor: number };
}

export interface PaidPart {
  orderId: string;
  /** What the return arithmetic computed for this order. */
  computedMinor: number;
  /** Null when nothing was due from this order. */
  outcome: RefundOutcome | null;
}

export type PayoutStatus = RefundOutcome['status'] | 'nothing_due';

/**
 * Refunds each order's part through the payments capability, orders in ID order (a stable lock
 * order). Each part is cut to what its order still has refundable: refunds of every kind share
 * that ceiling, so a goodwill refund made first leaves the return less to give back, and the
 * outcome says how much was cut.
 */
export async function payParts(
  executor: Executor,
  parts: OrderPart[],
  context: { currency: string; reason: string; returnId: string; actor: string },
): Promise<Result<PaidPart[]>> {
  const paid: PaidPart[] = [];
  for (const part of [...parts].sort((a, b) => (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0))) {
    if (part.amountMinor === 0) {
      paid.push({ orderId: part.orderId, computedMinor: 0, outcome: null });
      continue;
    }
    const refunded = await refundPayment(executor, part.orderId, {
      amountMinor: part.amountMinor,
      currency: context.currency,
      reason: context.reason,
      returnId: context.returnId,
      memo: part.memo,
      upToRefundable: true,
      actor: context.actor,
    });
    if (!refunded.ok) return refunded;
    paid.push({ orderId: part.orderId, computedMinor: part.amountMinor, outcome: refunded.value });
  }
  return ok(paid);
}

/** The refund's status over its parts: what a single refund would say, `nothing_due` when nothing was. */
export function payoutStatus(parts: PaidPart[]): PayoutStatus {
  const statuses = parts.flatMap((p) => (p.outcome ? [p.outcome.status] : []));
  const moved = statuses.filter((s) => s !== 'already_refunded');
  if (statuses.length === 0) return 'nothing_due';
  if (moved.length === 0) return 'already_refunded';
  if (moved.every((s) => s === moved[0])) return moved[0]!;
  return moved.every((s) => s === 'failed') ? 'failed' : 'partially_succeeded';
}

/** Computed, asked for (after the ceiling cut), and cut, summed over the parts. */
export function payoutTotals(parts: PaidPart[]) {
  const sum = (pick: (p: PaidPart) => number) => parts.reduce((n, p) => n + pick(p), 0);
  const computedMinor = sum((p) => p.computedMinor);
  const cappedMinor = sum((p) => p.outcome?.capped_minor ?? 0);
  return { computedMinor, amountMinor: computedMinor - cappedMinor, cappedMinor };
}

/** The credit memo of the return's own order, else of the first order that issued one. */
export function ownMemo(refund: { orderId: string; parts: PaidPart[] }) {
  const own = refund.parts.find((p) => p.orderId === refund.orderId)?.outcome?.credit_memo;
  return own ?? refund.parts.find((p) => p.outcome?.credit_memo)?.outcome?.credit_memo ?? null;
}

/** One order's part of a refund, as the answer and the event show it. */
export function presentPart(part: PaidPart, currency: string) {
  const money = (amount: number) => ({ amount, currency });
  const capped = part.outcome?.capped_minor ?? 0;
  return {
    order_id: part.orderId,
    status: part.outcome?.status ?? 'nothing_due',
    computed: money(part.computedMinor),
    amount: money(part.computedMinor - capped),
    capped_by_earlier_refunds: money(capped),
  };
}
