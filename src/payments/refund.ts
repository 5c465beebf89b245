import type { Executor } from '../db/index.ts';
import { issueCreditMemo, type DocumentLineInput, type InvoiceView } from '../invoices/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { captureBalances, countChildren, orderMoney, type Drawable, type PaymentRow } from './ledger.ts';
import { eventType, recordPaymentEvent } from './events.ts';
import { lockOrder, type OrderRef } from './order.ts';
import { drawOn, planDraws } from './operate.ts';

export interface RefundInput {
  amountMinor: number;
  currency: string;
  reason: string;
  /** Refund from this capture only; otherwise from the newest captures first. */
  captureId?: string | undefined;
  /** Set by returns (issue of a later capability): recorded on each refund. */
  returnId?: string | undefined;
  /** What the credit memo itemises when the whole amount is refunded (returns: the returned lines). */
  memo?: { lines: DocumentLineInput[]; shippingMinor: number } | undefined;
  actor: string;
}

export interface RefundOutcome {
  status: 'succeeded' | 'partially_succeeded' | 'failed' | 'pending';
  refunds: PaymentRow[];
  credit_memo: InvoiceView | null;
  refunded_minor: number;
}

const money = (amount: number, currency: string) => ({ amount, currency });

/**
 * Gives money back through the gateway of the captures it came from. Never more in total than
 * was captured and not yet refunded (pending refunds count); a bigger request is refused with
 * `refund_exceeds_captured` and writes nothing. Declined refunds are recorded as failed. What
 * was refunded gets a credit memo.
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
  if (input.amountMinor > refundable) {
    return fail(
      problem(
        'refund_exceeds_captured',
        `Cannot refund ${input.amountMinor} ${order.currency}: only ${refundable} of what was captured${input.captureId ? ` by ${input.captureId}` : ''} is left to refund.`,
        {
          requested: money(input.amountMinor, order.currency),
          captured: money(totals.captured_minor, order.currency),
          refunded: money(totals.captured_minor - totals.refundable_minor, order.currency),
          refundable: money(refundable, order.currency),
        },
      ),
    );
  }
  const refunds: PaymentRow[] = [];
  for (const { source, amountMinor } of planDraws(input.amountMinor, sources).draws) {
    const sequence = (await countChildren(executor, orderId, source.id, 'refund')) + 1;
    const done = await drawOn(executor, {
      orderId,
      kind: 'refund',
      parent: source,
      amountMinor,
      idempotencyKey: `refund:${source.id}:${sequence}`,
      returnId: input.returnId,
      details: { reason: input.reason },
    });
    if (!done.ok) return done;
    refunds.push(done.value.payment);
  }
  const creditMemo = await creditMemoFor(executor, order, input, refunds);
  for (const refund of refunds) {
    await recordPaymentEvent(executor, order, eventType(refund), input.actor, refund, {
      reason: input.reason,
      ...(refund.status === 'succeeded' ? { credit_memo_id: creditMemo?.id ?? null } : {}),
    });
  }
  const refunded = refunds.filter((r) => r.status === 'succeeded').reduce((n, r) => n + r.amount_minor, 0);
  return ok({ status: statusOf(refunds), refunds, credit_memo: creditMemo, refunded_minor: refunded });
}

function statusOf(refunds: PaymentRow[]): RefundOutcome['status'] {
  const succeeded = refunds.filter((r) => r.status === 'succeeded').length;
  if (succeeded === refunds.length) return 'succeeded';
  if (succeeded > 0) return 'partially_succeeded';
  return refunds.some((r) => r.status === 'pending') ? 'pending' : 'failed';
}

async function creditMemoFor(
  executor: Executor,
  order: OrderRef,
  input: RefundInput,
  refunds: PaymentRow[],
): Promise<InvoiceView | null> {
  const done = refunds.filter((r) => r.status === 'succeeded');
  const amount = done.reduce((n, r) => n + r.amount_minor, 0);
  if (amount === 0) return null;
  const itemised = input.memo && amount === input.amountMinor;
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
    },
    notes: input.reason,
    actor: input.actor,
  });
}
