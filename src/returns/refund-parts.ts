import type { DocumentLineInput } from '../invoices/index.ts';
import type { OrderPart } from './payout.ts';
import type { Part, RefundAmount, RefundLine } from './refund-amount.ts';

/** One memo line for an amount that does not divide into unit prices. */
const single = (lineId: string, sku: string, name: string, amountMinor: number): DocumentLineInput => ({
  line_id: lineId,
  sku,
  name,
  quantity: 1,
  unit_price_minor: amountMinor,
  discount_minor: 0,
  tax_minor: 0,
});

/** What the line's own order gives back, as its credit memo shows it. */
function ownLine(l: RefundLine): DocumentLineInput | null {
  if (l.ownMinor === 0) return null;
  if (l.carried) {
    // An exchange's price difference, all of it from this order, or a part of it.
    if (l.ownMinor !== l.subtotalMinor) return single(l.lineId, l.sku, `${l.name} ×${l.quantity}`, l.ownMinor);
    return { ...single(l.lineId, l.sku, l.name, l.unitPriceMinor), quantity: l.quantity };
  }
  const fee = l.subtotalMinor - l.discountMinor + l.taxMinor - l.ownMinor;
  return {
    line_id: l.lineId,
    sku: l.sku,
    name: fee > 0 ? `${l.name} (less restocking fee ${fee})` : l.name,
    quantity: l.quantity,
    unit_price_minor: l.unitPriceMinor,
    discount_minor: l.discountMinor + fee,
    tax_minor: l.taxMinor,
  };
}

/** What an earlier order gives back of a replacement line's credit, named on its memo by its own line. */
const creditLine = (orderId: string, l: RefundLine, c: Part) =>
  single(
    c.lineId,
    l.sku,
    `${l.name} ×${l.quantity} (line ${l.lineId} of order ${orderId}): paid on this order`,
    c.amountMinor,
  );

/**
 * The refund split by the order that gives each part back: the return's own order (its lines'
 * own parts and shipping) and each order that paid a credit of a replacement line. Pure.
 */
export function orderParts(orderId: string, amount: RefundAmount): OrderPart[] {
  const parts = new Map<string, OrderPart>([
    [orderId, { orderId, amountMinor: amount.shippingMinor, memo: { lines: [], shippingMinor: amount.shippingMinor } }],
  ]);
  const add = (id: string, amountMinor: number, line: DocumentLineInput | null) => {
    if (!line || amountMinor === 0) return;
    const part = parts.get(id) ?? { orderId: id, amountMinor: 0, memo: { lines: [], shippingMinor: 0 } };
    part.amountMinor += amountMinor;
    part.memo.lines.push(line);
    parts.set(id, part);
  };
  for (const l of amount.lines) {
    add(orderId, l.ownMinor, ownLine(l));
    for (const c of l.credits) add(c.orderId, c.amountMinor, creditLine(orderId, l, c));
  }
  return [...parts.values()];
}
