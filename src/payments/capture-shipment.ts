import { sql } from 'drizzle-orm';
import { query, queryOne, type Executor } from '../db/index.ts';
import { shipmentCharge, type ShipmentCharge, type ShippedLine } from './capture-amount.ts';
import { capturesOfShipment, drawableAuthorizations, type PaymentRow } from './ledger.ts';
import { eventType, recordPaymentEvent } from './events.ts';
import { lockOrder, type OrderRef } from './order.ts';
import { drawOn, planDraws } from './operate.ts';
import { voidAuthorizations } from './void-authorization.ts';
import { invoiceOrderCaptures } from './capture-order.ts';
import { invoiceFor, invoicedUnits } from './invoice-charge.ts';

interface CaptureOutcome {
  /** captured: all due was captured; partially_captured: capped by what was authorized. */
  status: 'captured' | 'partially_captured' | 'failed' | 'pending' | 'not_authorized' | 'nothing_due';
  due_minor: number;
  captured_minor: number;
  shortfall_minor: number;
  payments: PaymentRow[];
  invoice_id: string | null;
  /** True when the shipment had been captured before and nothing new happened. */
  replayed: boolean;
  /** Why the order must wait on a payment hold (part of what was due could not be captured), or null. */
  hold_reason: string | null;
}

async function shippedLines(executor: Executor, shipmentId: string): Promise<ShippedLine[]> {
  const rows = await query<{
    line_id: string;
    sku: string;
    name: string | null;
    ordered: number;
    unit_price_minor: number;
    discount_minor: number;
    tax_minor: number;
    shipped: number;
    quantity: number;
    invoiced: number;
  }>(
    executor,
    sql`select l.line_id, l.sku, o.name, o.quantity as ordered, o.unit_price_minor, o.discount_minor, o.tax_minor, o.shipped, l.quantity,
               ${invoicedUnits(sql`o.order_id`, sql`o.line_id`)} as invoiced
        from shipment_lines l join order_lines o on o.order_id = l.order_id and o.line_id = l.line_id
        where l.shipment_id = ${shipmentId} order by o.line_no`,
  );
  return rows.flatMap((r) => {
    // Called in the shipping transaction: the line's shipped bucket already holds these units.
    const shippedBefore = r.shipped - r.quantity;
    // Units an order invoice billed ahead of shipping (money captured up front) are not charged again.
    const billed = Math.min(r.quantity, Math.max(0, r.invoiced - shippedBefore));
    if (billed === r.quantity) return [];
    return [
      {
        lineId: r.line_id,
        sku: r.sku,
        name: r.name,
        orderedQuantity: r.ordered,
        unitPriceMinor: r.unit_price_minor,
        discountMinor: r.discount_minor,
        taxMinor: r.tax_minor,
        shippedBefore: shippedBefore + billed,
        quantity: r.quantity - billed,
      },
    ];
  });
}

/** Shipping is charged once, with the first shipment whose capture was attempted (or that was invoiced unpaid). */
async function shippingCharged(executor: Executor, orderId: string): Promise<boolean> {
  const row = await queryOne<{ charged: boolean }>(
    executor,
    sql`select exists (select 1 from payments p join payment_details d on d.payment_id = p.id
                       where p.order_id = ${orderId} and p.kind = 'capture' and coalesce((d.details->>'shipping_minor')::bigint, 0) > 0)
            or exists (select 1 from invoices i
                       where i.order_id = ${orderId} and i.kind = 'invoice' and coalesce((i.document->'shipping'->>'amount')::bigint, 0) > 0) as charged`,
  );
  return row?.charged ?? false;
}

/** What each capture record of the shipment keeps: the charge it was computed from. */
function captureDetails(charge: ShipmentCharge, shortfallMinor: number) {
  return {
    due_minor: charge.totalMinor,
    shipping_minor: charge.shippingMinor,
    shortfall_minor: shortfallMinor,
    lines: charge.lines.map((l) => ({
      line_id: l.lineId,
      quantity: l.quantity,
      subtotal_minor: l.subtotalMinor,
      discount_minor: l.discountMinor,
      tax_minor: l.taxMinor,
      total_minor: l.totalMinor,
    })),
  };
}

/** Sums up the capture records of one shipment against what it was worth. */
function summarize(
  dueMinor: number,
  payments: PaymentRow[],
  invoiceId: string | null,
  replayed: boolean,
): CaptureOutcome {
  const total = (keep: (p: PaymentRow) => boolean) => payments.filter(keep).reduce((n, p) => n + p.amount_minor, 0);
  const shortfall = Math.max(0, dueMinor - total((p) => p.status !== 'failed'));
  let status: CaptureOutcome['status'] = shortfall > 0 ? 'partially_captured' : 'captured';
  if (payments.some((p) => p.status === 'pending')) status = 'pending';
  if (payments.some((p) => p.status === 'failed')) status = 'failed';
  return {
    status,
    due_minor: dueMinor,
    captured_minor: total((p) => p.status === 'succeeded'),
    shortfall_minor: shortfall,
    payments,
    invoice_id: invoiceId,
    replayed,
    hold_reason: null,
  };
}

const nothing = (status: 'nothing_due' | 'not_authorized', dueMinor: number): CaptureOutcome => ({
  status,
  due_minor: dueMinor,
  captured_minor: 0,
  shortfall_minor: dueMinor,
  payments: [],
  invoice_id: null,
  replayed: false,
  hold_reason: null,
});

/**
 * Captures what a shipment is worth — its units' prices, less their share of the line
 * discounts, plus their share of the line taxes, plus shipping with the first shipment — never
 * more than is still authorized. Runs in the shipping transaction, right after the units are
 * committed. The idempotency key is per shipment (`capture:<shipment id>`), so calling it
 * again for the same shipment changes nothing. A decline records a failed capture and puts the
 * order on a payment hold; the shipment stands. Each successful capture gets its invoice.
 * With the order's last units shipped, money still authorized beyond that is released. When
 * part of what is due could not be captured, `hold_reason` says so, and the caller puts the
 * order on a payment hold (order holds are the orders capability's).
 */
export async function captureShipment(
  executor: Executor,
  shipmentId: string,
  actor: string | null,
): Promise<CaptureOutcome> {
  const shipment = await queryOne<{ order_id: string }>(
    executor,
    sql`select order_id from shipments where id = ${shipmentId}`,
  );
  if (!shipment) throw new Error(`no shipment ${shipmentId}`);
  const order = await lockOrder(executor, shipment.order_id);
  if (!order) throw new Error(`shipment ${shipmentId} has no order`);
  const earlier = await capturesOfShipment(executor, order.id, shipmentId);
  const invoiced = await queryOne<{ id: string; total_minor: number }>(
    executor,
    sql`select id, total_minor from invoices where order_id = ${order.id} and kind = 'invoice' and document->'references'->>'shipment_id' = ${shipmentId} limit 1`,
  );
  if (earlier.length > 0)
    return summarize(Number(earlier[0]!.details?.due_minor ?? 0), earlier, invoiced?.id ?? null, true);
  if (invoiced) return { ...nothing('not_authorized', invoiced.total_minor), invoice_id: invoiced.id, replayed: true };

  // Money captured up front and not yet invoiced is invoiced now, for the units it paid for.
  await invoiceOrderCaptures(executor, order.id, actor);
  const charge = shipmentCharge(
    await shippedLines(executor, shipmentId),
    (await shippingCharged(executor, order.id)) ? 0 : order.shipping_minor,
  );
  if (charge.totalMinor === 0) return nothing('nothing_due', 0);
  const { authorizations, capturableMinor } = await drawableAuthorizations(executor, order.id);
  const { draws } = planDraws(Math.min(charge.totalMinor, capturableMinor), authorizations);
  if (draws.length === 0) {
    // Nothing left to capture: the shipment is still invoiced (all of it due) and the order
    // waits on a payment hold, so what was shipped unpaid is on record and in front of a person.
    const invoiceId = await invoiceFor(executor, order, { shipment_id: shipmentId }, charge, [], actor);
    return {
      ...nothing('not_authorized', charge.totalMinor),
      invoice_id: invoiceId,
      hold_reason: uncollected(shipmentId, charge.totalMinor, 0, order),
    };
  }

  const details = captureDetails(charge, charge.totalMinor - draws.reduce((n, d) => n + d.amountMinor, 0));
  const payments: PaymentRow[] = [];
  for (const [i, draw] of draws.entries()) {
    const idempotencyKey = i === 0 ? `capture:${shipmentId}` : `capture:${shipmentId}:${i + 1}`;
    const done = await drawOn(executor, {
      orderId: order.id,
      kind: 'capture',
      parent: draw.source,
      amountMinor: draw.amountMinor,
      idempotencyKey,
      shipmentId,
      details,
    });
    if (!done.ok) throw new Error(`capture ${idempotencyKey}: ${done.problem.detail}`);
    payments.push(done.value.payment);
  }
  const invoiceId = await invoiceFor(executor, order, { shipment_id: shipmentId }, charge, payments, actor);
  await announce(executor, order, shipmentId, payments, invoiceId, actor);
  const holdReason =
    declined(payments, shipmentId) ??
    (details.shortfall_minor > 0 && payments.every((p) => p.status === 'succeeded')
      ? uncollected(shipmentId, charge.totalMinor, charge.totalMinor - details.shortfall_minor, order)
      : null);
  // After the last units leave, what is still authorized (over-authorization) is released.
  await voidAuthorizations(executor, order.id, 0, actor);
  return { ...summarize(charge.totalMinor, payments, invoiceId, false), hold_reason: holdReason };
}

/** The payment hold's reason when a shipment's charge was not captured in full. */
function uncollected(shipmentId: string, dueMinor: number, capturedMinor: number, order: OrderRef): string {
  return `shipment ${shipmentId}: captured ${capturedMinor} of ${dueMinor} ${order.currency}; ${dueMinor - capturedMinor} was not authorized. Collect it, or release the hold to ship without it.`;
}

async function announce(
  executor: Executor,
  order: OrderRef,
  shipmentId: string,
  payments: PaymentRow[],
  invoiceId: string | null,
  actor: string | null,
) {
  for (const payment of payments) {
    await recordPaymentEvent(executor, order, eventType(payment), actor, payment, {
      shipment_id: shipmentId,
      ...(payment.status === 'succeeded' ? { invoice_id: invoiceId } : {}),
    });
  }
}

/** The payment hold's reason when a capture of the shipment was declined. */
function declined(payments: PaymentRow[], shipmentId: string): string | null {
  const failed = payments.find((p) => p.status === 'failed');
  return failed
    ? `capture of ${failed.amount_minor} ${failed.currency} for shipment ${shipmentId} failed: ${failed.failure_code}`
    : null;
}
