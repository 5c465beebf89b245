import { allocateProportionally } from '../orders/index.ts';
import { unitsShare } from '../payments/index.ts';

/**
 * What a refund of returned units gives back, in exact minor units. Pure.
 *
 * A unit's value is its price less its share of the line's discount plus its share of the
 * line's tax, where units are numbered in the order they are refunded and the minor units that
 * do not divide evenly go to the first units (`unitsShare`, the rule captures use too). So
 * refunding every unit of a line, in any number of refunds, gives back exactly the line's total,
 * and never more than its captures. See docs/adr/0006-returns-and-refund-arithmetic.md.
 */
export interface RefundLineInput {
  lineId: string;
  sku: string;
  name: string | null;
  orderedQuantity: number;
  unitPriceMinor: number;
  /** The order line's discount and tax totals. */
  discountMinor: number;
  taxMinor: number;
  /** Units of the order line refunded before this refund. */
  refundedBefore: number;
  quantity: number;
  /** Exchanged units: the replacement's unit price. */
  exchangeUnitPriceMinor: number | null;
  /** Whether a restocking fee may be kept on these units. */
  feeApplies: boolean;
}

export interface RefundLine {
  lineId: string;
  sku: string;
  name: string;
  quantity: number;
  unitPriceMinor: number;
  subtotalMinor: number;
  discountMinor: number;
  taxMinor: number;
  restockingFeeMinor: number;
  totalMinor: number;
}

export interface RefundAmount {
  lines: RefundLine[];
  shippingMinor: number;
  restockingFeeMinor: number;
  totalMinor: number;
}

function valueLine(line: RefundLineInput): RefundLine {
  const name = line.name ?? line.sku;
  if (line.exchangeUnitPriceMinor !== null) {
    // An exchange: the replacement settles the units; a cheaper one gives back the difference in price.
    const difference = Math.max(0, line.unitPriceMinor - line.exchangeUnitPriceMinor);
    return {
      lineId: line.lineId,
      sku: line.sku,
      name: `${name} (exchanged: price difference)`,
      quantity: line.quantity,
      unitPriceMinor: difference,
      subtotalMinor: difference * line.quantity,
      discountMinor: 0,
      taxMinor: 0,
      restockingFeeMinor: 0,
      totalMinor: difference * line.quantity,
    };
  }
  const subtotalMinor = line.unitPriceMinor * line.quantity;
  const discountMinor = unitsShare(line.discountMinor, line.orderedQuantity, line.refundedBefore, line.quantity);
  const taxMinor = unitsShare(line.taxMinor, line.orderedQuantity, line.refundedBefore, line.quantity);
  return {
    lineId: line.lineId,
    sku: line.sku,
    name,
    quantity: line.quantity,
    unitPriceMinor: line.unitPriceMinor,
    subtotalMinor,
    discountMinor,
    taxMinor,
    restockingFeeMinor: 0,
    totalMinor: subtotalMinor - discountMinor + taxMinor,
  };
}

/**
 * Values the lines, keeps the restocking fee (`feeBps` of the net value of the lines it
 * applies to, rounded down, or `feeMinor` when given) spread over those lines by largest
 * remainder, and adds `shippingMinor`.
 */
export function refundAmount(
  lines: RefundLineInput[],
  options: { shippingMinor: number; feeBps: number; feeMinor?: number | undefined },
): RefundAmount {
  const valued = lines.map(valueLine);
  const liable = lines.map((l, i) => (l.feeApplies && l.exchangeUnitPriceMinor === null ? valued[i]! : null));
  const nets = liable.map((l) => (l ? l.subtotalMinor - l.discountMinor : 0));
  const base = nets.reduce((a, b) => a + b, 0);
  const fee = Math.min(base, options.feeMinor ?? Math.floor((base * options.feeBps) / 10_000));
  allocateProportionally(fee, nets).forEach((share, i) => {
    const line = valued[i]!;
    line.restockingFeeMinor = share;
    line.totalMinor -= share;
  });
  const merchandise = valued.reduce((n, l) => n + l.totalMinor, 0);
  return {
    lines: valued,
    shippingMinor: options.shippingMinor,
    restockingFeeMinor: fee,
    totalMinor: merchandise + options.shippingMinor,
  };
}
