/**
 * Order-level money moves, for when a merchant captures before shipping (an automation's
 * `capture`, `issue_invoice`): capture what is authorized and not yet captured, and invoice
 * what was captured and is on no invoice yet. Shipments capture and invoice their own units
 * (`captureShipment`); these are for the money an order holds beyond them.
 */
import { sql } from 'drizzle-orm';
import { query, type Executor } from '../db/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { refuseUnmanaged } from '../shared/unmanaged.ts';
import { shipmentCharge } from './capture-amount.ts';
import { invoiceFor, invoicedUnits } from './invoice-charge.ts';
import { eventType, recordPaymentEvent } from './events.ts';
import { drawableAuthorizations, paymentsOfOrder, type PaymentRow } from './ledger.ts';
import { drawOn, planDraws } from './operate.ts';
import { lockOrder } from './order.ts';
import { refundPayment } from './refund.ts';

interface OrderCapture {
  status: 'captured' | 'nothing_to_capture';
  captured_minor: number;
  currency: string;
  payment_ids: string[];
}

/**
 * Captures everything the order's authorizations still hold (authorized, neither captured nor
 * voided), oldest authorization first. `idempotencyKey` must be the same on every attempt of one
 * request: each draw's gateway key is derived from it (`<key>`, `<key>:2`, …), so a retry after
 * a rolled-back attempt is replayed by the gateway instead of capturing twice. Once captured,
 * nothing is left to capture: a second request captures nothing. A declined or unanswered capture
 * is refused (`payment_declined`), with nothing written, for the caller to try again later.
 */
export async function captureOrder(
  executor: Executor,
  orderId: string,
  options: { idempotencyKey: string; actor: string | null },
): Promise<Result<OrderCapture>> {
  const order = await lockOrder(executor, orderId);
  if (!order) return fail(problem('not_found', `No order ${orderId}.`));
  if (!order.managed) return refuseUnmanaged(orderId, 'capture');
  const { authorizations, capturableMinor } = await drawableAuthorizations(executor, orderId);
  const { draws } = planDraws(capturableMinor, authorizations);
  const payments: PaymentRow[] = [];
  for (const [i, draw] of draws.entries()) {
    const idempotencyKey = i === 0 ? options.idempotencyKey : `${options.idempotencyKey}:${i + 1}`;
    const done = await drawOn(executor, {
      orderId,
      kind: 'capture',
      parent: draw.source,
      amountMinor: draw.amountMinor,
      idempotencyKey,
      details: { scope: 'order' },
    });
    if (!done.ok) return done;
    payments.push(done.value.payment);
  }
  const refused = payments.find((p) => p.status !== 'succeeded');
  if (refused)
    return fail(
      problem(
        'payment_declined',
        `Capturing ${refused.amount_minor} ${refused.currency} of order ${orderId} did not succeed: ${refused.failure_code ?? refused.status} (${refused.failure_message ?? 'no answer'}).`,
      ),
    );
  for (const payment of payments)
    await recordPaymentEvent(executor, order, eventType(payment), options.actor, payment, { scope: 'order' });
  return ok({
    status: payments.length > 0 ? 'captured' : 'nothing_to_capture',
    captured_minor: payments.reduce((n, p) => n + p.amount_minor, 0),
    currency: order.currency,
    payment_ids: payments.map((p) => p.id),
  });
}

interface UninvoicedLine {
  line_id: string;
  sku: string;
  name: string | null;
  quantity: number;
  cancelled: number;
  unit_price_minor: number;
  discount_minor: number;
  tax_minor: number;
  invoiced: number;
}

/** The order's lines with the units earlier invoices already billed (a credit memo does not un-bill them). */
async function linesWithInvoiced(executor: Executor, orderId: string): Promise<UninvoicedLine[]> {
  return query<UninvoicedLine>(
    executor,
    sql`select l.line_id, l.sku, l.name, l.quantity, l.cancelled, l.unit_price_minor, l.discount_minor, l.tax_minor,
               ${invoicedUnits(sql`l.order_id`, sql`l.line_id`)} as invoiced
        from order_lines l where l.order_id = ${orderId} order by l.line_no`,
  );
}

/** Succeeded order-level captures (`captureOrder`'s) no invoice lists among its payments; shipments invoice their own. */
async function uninvoicedCaptures(executor: Executor, orderId: string): Promise<PaymentRow[]> {
  const listed = await query<{ id: string }>(
    executor,
    sql`select distinct p->>'id' as id from invoices i, jsonb_array_elements(i.document->'payments') as p
        where i.order_id = ${orderId} and i.kind = 'invoice'`,
  );
  const onInvoice = new Set(listed.map((r) => r.id));
  return (await paymentsOfOrder(executor, orderId)).filter(
    (p) => p.kind === 'capture' && p.status === 'succeeded' && p.details?.scope === 'order' && !onInvoice.has(p.id),
  );
}

/**
 * Issues the invoice for what was captured and is on no invoice yet: its payments are those
 * captures; its lines are the order's units no invoice has billed (ordered, less cancelled, less
 * invoiced), with shipping unless an invoice already charged it. Nothing uninvoiced, or nothing
 * left to bill: nothing is issued — so a second request issues nothing more.
 */
export async function invoiceOrderCaptures(
  executor: Executor,
  orderId: string,
  actor: string | null,
): Promise<Result<{ status: 'issued' | 'nothing_to_invoice'; invoice_id: string | null; capture_ids: string[] }>> {
  const order = await lockOrder(executor, orderId);
  if (!order) return fail(problem('not_found', `No order ${orderId}.`));
  const captures = await uninvoicedCaptures(executor, orderId);
  const nothing = { status: 'nothing_to_invoice' as const, invoice_id: null, capture_ids: [] };
  if (captures.length === 0) return ok(nothing);
  const lines = (await linesWithInvoiced(executor, orderId))
    .map((l) => ({ ...l, open: l.quantity - l.cancelled - l.invoiced }))
    .filter((l) => l.open > 0);
  const shippingInvoiced = await query<{ n: number }>(
    executor,
    sql`select count(*)::int as n from invoices
        where order_id = ${orderId} and kind = 'invoice' and coalesce((document->'shipping'->>'amount')::bigint, 0) > 0`,
  );
  const charge = shipmentCharge(
    lines.map((l) => ({
      lineId: l.line_id,
      sku: l.sku,
      name: l.name,
      orderedQuantity: l.quantity,
      unitPriceMinor: Number(l.unit_price_minor),
      discountMinor: Number(l.discount_minor),
      taxMinor: Number(l.tax_minor),
      shippedBefore: l.invoiced,
      quantity: l.open,
    })),
    shippingInvoiced[0]!.n > 0 ? 0 : order.shipping_minor,
  );
  if (charge.lines.length === 0 && charge.shippingMinor === 0) return ok(nothing);
  const invoiceId = await invoiceFor(executor, order, { scope: 'order' }, charge, captures, actor);
  return ok({ status: 'issued', invoice_id: invoiceId, capture_ids: captures.map((p) => p.id) });
}

/** The reason every refund of a cancellation starts with (`refundCancelledCaptures`). */
const cancellationRefunds = 'order cancelled';

/**
 * Gives back, after a cancellation, what money captured up front (`captureOrder`) paid for the
 * cancelled units and the voids did not release (`uncoveredMinor`: the cancelled value less what
 * was voided). When the cancellation leaves nothing open and nothing was shipped, everything the
 * up-front captures still hold goes back, shipping and rounding included. Never more than those
 * captures hold, less what earlier cancellations gave back; orders paid per shipment have no such
 * captures, and nothing happens. Call it after the voids, in the same transaction.
 */
export async function refundCancelledCaptures(
  executor: Executor,
  orderId: string,
  input: { uncoveredMinor: number; reason: string; actor: string },
): Promise<{ refunded_minor: number; payments: PaymentRow[] }> {
  const row = await query<{ up_front: number; given_back: number; open: number; shipped: number }>(
    executor,
    sql`select
          (select coalesce(sum(p.amount_minor), 0)::bigint from payments p join payment_details d on d.payment_id = p.id
           where p.order_id = ${orderId} and p.kind = 'capture' and p.status = 'succeeded' and d.details->>'scope' = 'order') as up_front,
          (select coalesce(sum(p.amount_minor), 0)::bigint from payments p join payment_details d on d.payment_id = p.id
           where p.order_id = ${orderId} and p.kind = 'refund' and p.status in ('succeeded', 'pending')
             and d.details->>'reason' like ${`${cancellationRefunds}%`}) as given_back,
          (select coalesce(sum(quantity - cancelled - shipped), 0)::int from order_lines where order_id = ${orderId}) as open,
          (select coalesce(sum(shipped), 0)::int from order_lines where order_id = ${orderId}) as shipped`,
  );
  const { up_front, given_back, open, shipped } = row[0]!;
  const left = Number(up_front) - Number(given_back);
  const amountMinor = open === 0 && shipped === 0 ? left : Math.min(Math.max(0, input.uncoveredMinor), left);
  if (amountMinor <= 0) return { refunded_minor: 0, payments: [] };
  const order = await lockOrder(executor, orderId);
  const refund = await refundPayment(executor, orderId, {
    amountMinor,
    currency: order!.currency,
    reason: `${cancellationRefunds}: ${input.reason}`,
    upToRefundable: true,
    actor: input.actor,
  });
  if (!refund.ok) throw new Error(`refund after cancelling ${orderId}: ${refund.problem.detail}`);
  return { refunded_minor: refund.value.refunded_minor, payments: refund.value.refunds };
}
