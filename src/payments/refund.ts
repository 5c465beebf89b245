import type { Executor } from '../db/index.ts';
import { formatMoney, issueCreditMemo, type DocumentLineInput, type InvoiceView } from '../invoices/index.ts';
import { adjustTaxForRefund } from '../tax/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { captureBalances, countChildren, orderMoney, type Drawable, type PaymentRow } from './ledger.ts';
import { eventType, recordPaymentEvent } from './events.ts';
import { lockOrder, type OrderRef } from './order.ts';
import { drawOn, planDraws } from './operate.ts';

interface RefundInput {
  amountMinor: number;
  currency: string;
  reason: string;
  /** Refund from this capture only; otherwise from the newest captures first. */
  captureId?: string | undefined;
  /** Set by returns (issue of a later capability): recorded on each refund. */
  returnId?: string | undefined;
  /** What the credit memo itemises when the whole amount is refunded (returns: the returned lines). */
  memo?: { lines: DocumentLineInput[]; shippingMinor: number } | undefined;
  /**
   * Refund what is left when the amount is more (returns: goodwill or other refunds took part
   * of it first), instead of refusing. The outcome says how much was cut.
   */
  upToRefundable?: boolean | undefined;
  /** The order's tax was adjusted already (an order change's difference): no refund tax document. */
  taxAdjusted?: boolean | undefined;
  actor: string;
}

export interface RefundOutcome {
  /** `already_refunded`: nothing was left to refund (only with `upToRefundable`). */
  status: 'succeeded' | 'partially_succeeded' | 'failed' | 'pending' | 'already_refunded';
  refunds: PaymentRow[];
  credit_memo: InvoiceView | null;
  refunded_minor: number;
  /** What was asked for, and what of it was not refunded because earlier refunds had taken it. */
  requested_minor: number;
  capped_minor: number;
}

const money = (amount: number, currency: string) => ({ amount, currency });

/**
 * Gives money back through the gateway of the captures it came from. Never more in total than
 * was captured and not yet refunded (pending refunds count): refunds of every kind (goodwill,
 * returns) share that one ceiling. A bigger request is refused with `refund_exceeds_captured`
 * and writes nothing, or with `upToRefundable` is cut to what is left. Declined refunds are
 * recorded as failed. What was refunded gets a credit memo.
 */
export async function refundPayment(
  executor: Executor,
  orderId: string,
  input: RefundInput,
): Promise<Result<RefundOutcome>> {
  const order = await lockOrder(executor, orderId);
  if (!order) return fail(problem('not_found', `No order ${orderId}.`));
  if (input.currency !== order.currency) {
    return fail(
      problem('validation_failed', `The order is in ${order.currency}; the refund is in ${input.currency}.`, {
        errors: [{ pointer: '/amount/currency', message: `must be ${order.currency}` }],
      }),
    );
  }
  const totals = await orderMoney(executor, orderId);
  let sources: Drawable[] = await captureBalances(executor, orderId);
  if (input.captureId !== undefined) {
    sources = sources.filter((c) => c.id === input.captureId);
    if (sources.length === 0)
      return fail(
        problem('unknown_reference', `Order ${orderId} has no successful capture ${input.captureId}.`, {
          errors: [{ pointer: '/capture_id', message: 'not a successful capture of this order' }],
        }),
      );
  }
  const refundable = Math.min(
    totals.refundable_minor,
    sources.reduce((n, c) => n + Math.max(0, c.remaining_minor), 0),
  );
  if (input.amountMinor > refundable && !input.upToRefundable) {
    const fmt = (amount: number) => formatMoney(amount, order.currency);
    const refunded = totals.captured_minor - totals.refundable_minor;
    return fail(
      problem(
        'refund_exceeds_captured',
        `Cannot refund ${fmt(input.amountMinor)}: only ${fmt(refundable)} of what was captured${input.captureId ? ` by ${input.captureId}` : ''} is left to refund (${fmt(totals.captured_minor)} captured, ${fmt(refunded)} already refunded or being refunded).`,
        {
          requested: money(input.amountMinor, order.currency),
          captured: money(totals.captured_minor, order.currency),
          refunded: money(refunded, order.currency),
          refundable: money(refundable, order.currency),
        },
      ),
    );
  }
  const amountMinor = Math.min(input.amountMinor, refundable);
  const capped = { requested_minor: input.amountMinor, capped_minor: input.amountMinor - amountMinor };
  if (amountMinor === 0 && capped.capped_minor > 0)
    return ok({ status: 'already_refunded', refunds: [], credit_memo: null, refunded_minor: 0, ...capped });
  const refunds: PaymentRow[] = [];
  for (const draw of planDraws(amountMinor, sources).draws) {
    const { source } = draw;
    const sequence = (await countChildren(executor, orderId, source.id, 'refund')) + 1;
    const done = await drawOn(executor, {
      orderId,
      kind: 'refund',
      parent: source,
      amountMinor: draw.amountMinor,
      idempotencyKey: `refund:${source.id}:${sequence}`,
      returnId: input.returnId,
      details: { reason: input.reason },
    });
    if (!done.ok) return done;
    refunds.push(done.value.payment);
  }
  const creditMemo = await creditMemoFor(executor, order, input, refunds, amountMinor);
  for (const refund of refunds) {
    await recordPaymentEvent(executor, order, eventType(refund), input.actor, refund, {
      reason: input.reason,
      ...(refund.status === 'succeeded' ? { credit_memo_id: creditMemo?.id ?? null } : {}),
    });
  }
  const refunded = refunds.filter((r) => r.status === 'succeeded').reduce((n, r) => n + r.amount_minor, 0);
  const first = refunds.find((r) => r.status === 'succeeded');
  if (first && !input.taxAdjusted)
    await adjustTaxForRefund(executor, { orderId, paymentId: first.id, amountMinor: refunded });
  return ok({ status: statusOf(refunds), refunds, credit_memo: creditMemo, refunded_minor: refunded, ...capped });
}

function statusOf(refunds: PaymentRow[]): RefundOutcome['status'] {
  const succeeded = refunds.filter((r) => r.status === 'succeeded').length;
  if (succeeded === refunds.length) return 'succeeded';
  if (succeeded > 0) return 'partially_succeeded';
  return refunds.some((r) => r.status === 'pending') ? 'pending' : 'failed';
}

/** Why the memo is for less than was asked: earlier refunds had taken the rest. */
function cappedNote(input: RefundInput, currency: string, amountMinor: number): string {
  const fmt = (amount: number) => formatMoney(amount, currency);
  return `${input.reason}: computed ${fmt(input.amountMinor)}; ${fmt(input.amountMinor - amountMinor)} of it was already refunded earlier (goodwill or other refunds of this order), leaving ${fmt(amountMinor)} to refund.`;
}

async function creditMemoFor(
  executor: Executor,
  order: OrderRef,
  input: RefundInput,
  refunds: PaymentRow[],
  askedMinor: number,
): Promise<InvoiceView | null> {
  const done = refunds.filter((r) => r.status === 'succeeded');
  const amount = done.reduce((n, r) => n + r.amount_minor, 0);
  if (amount === 0) return null;
  const itemised = input.memo && amount === input.amountMinor;
  const capped = askedMinor < input.amountMinor;
  return issueCreditMemo(executor, {
    orderId: order.id,
    paymentId: done[0]!.id,
    lines: itemised
      ? input.memo!.lines
      : [
          {
            line_id: null,
            sku: null,
            name: `Refund: ${input.reason}`,
            quantity: 1,
            unit_price_minor: amount,
            discount_minor: 0,
            tax_minor: 0,
          },
        ],
    shippingMinor: itemised ? input.memo!.shippingMinor : 0,
    payments: done.map((r) => ({
      id: r.id,
      kind: r.kind,
      amount_minor: r.amount_minor,
      gateway: r.gateway,
      reference: r.reference,
    })),
    references: {
      refund_ids: done.map((r) => r.id),
      capture_ids: [...new Set(done.map((r) => r.parent_id))],
      ...(input.returnId ? { return_id: input.returnId } : {}),
      ...(capped
        ? {
            computed: money(input.amountMinor, order.currency),
            capped_by_earlier_refunds: money(input.amountMinor - askedMinor, order.currency),
          }
        : {}),
    },
    notes: capped ? cappedNote(input, order.currency, askedMinor) : input.reason,
    actor: input.actor,
  });
}
