import { unitsValue, type Line, type Order } from './model.ts';

/**
 * The model of money an automation captured up front (`capture`, `issue_invoice`): its invoice,
 * and what cancellations and cheaper changes give back of it. Shipments charge only the units no
 * invoice billed (`handOver`).
 */

/** `capture`: everything still authorized is captured; no invoice lists it yet. */
export function captureUpFront(order: Order): number {
  const m = order.money;
  const capturable = m.authorizedMinor - m.capturedMinor - m.voidedMinor;
  if (capturable <= 0) return 0;
  m.capturedMinor += capturable;
  m.upFrontMinor += capturable;
  m.upFrontUninvoicedMinor += capturable;
  return capturable;
}

/**
 * `issue_invoice` (and the first shipment after an up-front capture): one invoice of the units
 * no invoice billed, from the first unbilled unit of each line, with shipping unless an invoice
 * charged it, paid by the uninvoiced captures; what they do not cover is due. Nothing to bill:
 * nothing is issued and the captures stay uninvoiced.
 */
export function invoiceUpFront(order: Order): boolean {
  const m = order.money;
  if (m.upFrontUninvoicedMinor === 0) return false;
  const billed = order.lines
    .map((line) => ({ line, units: line.quantity - line.cancelled - line.invoiced }))
    .filter((b) => b.units > 0);
  const shipping = m.shippingCaptured ? 0 : m.shippingMinor;
  if (billed.length === 0 && shipping === 0) return false;
  let total = shipping;
  for (const { line, units } of billed) {
    total += unitsValue(line, line.invoiced, units);
    line.invoiced += units;
  }
  if (shipping > 0) m.shippingCaptured = true;
  m.uncollectedMinor += total - m.upFrontUninvoicedMinor;
  m.upFrontUninvoicedMinor = 0;
  return true;
}

/**
 * What a cancellation counts its units worth: cancelled units are each line's last ones (shipments
 * bill its first), so they carry their exact share of the line's discount and tax. Call it before
 * the lines' `cancelled` moves.
 */
export function cancelledValue(plan: { line: Line; quantity: number }[]): number {
  return plan.reduce(
    (n, { line, quantity }) => n + unitsValue(line, line.quantity - line.cancelled - quantity, quantity),
    0,
  );
}

const refundable = (order: Order) => order.money.capturedMinor - order.money.refundedMinor;

/**
 * After a cancellation whose voids released `voidedMinor`: money captured up front pays back the
 * cancelled value the voids did not cover — or all it still holds when nothing is left open and
 * nothing shipped. Lines are already updated.
 */
export function refundCancelled(order: Order, valueMinor: number, voidedMinor: number): number {
  const m = order.money;
  const left = m.upFrontMinor - m.cancelRefundedMinor;
  if (left <= 0) return 0;
  const open = order.lines.reduce((n, l) => n + l.quantity - l.cancelled - l.shipped, 0);
  const shipped = order.lines.reduce((n, l) => n + l.shipped, 0);
  const asked = open === 0 && shipped === 0 ? left : Math.min(Math.max(0, valueMinor - voidedMinor), left);
  const refund = Math.min(asked, refundable(order));
  m.refundedMinor += refund;
  m.cancelRefundedMinor += refund;
  return refund;
}

/**
 * A cheaper change of `deltaMinor` gives back what the order holds beyond its new total (its
 * open authorization and captures, less earlier change refunds): voids first (`voidedMinor`, what
 * they released), then refunds the rest from captures. Call it before the total moves.
 */
export function refundChange(order: Order, deltaMinor: number, voidedMinor: number): number {
  const m = order.money;
  const held = m.authorizedMinor - m.voidedMinor - m.changeRefundedMinor;
  const back = Math.min(-deltaMinor, Math.max(0, held - (m.totalMinor + deltaMinor)));
  const rest = back - voidedMinor;
  if (rest <= 0) return 0;
  const refund = Math.min(rest, refundable(order));
  m.refundedMinor += refund;
  m.changeRefundedMinor += refund;
  return refund;
}
