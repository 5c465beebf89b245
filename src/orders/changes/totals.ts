import { unitsShare } from '../../payments/index.ts';

/** A line's money and units, as a change reads and plans it. */
export interface LineMoney {
  quantity: number;
  cancelled: number;
  unit_price_minor: number;
  /** The line's discount and tax, for all `quantity` units (ADR 0006: each unit carries an equal share). */
  discount_minor: number;
  tax_minor: number;
}

export interface VersionTotals {
  subtotalMinor: number;
  discountMinor: number;
  shippingMinor: number;
  taxMinor: number;
  totalMinor: number;
}

/**
 * What a line asks the customer to pay once its live units (not cancelled) ship: their prices
 * less the discount shares and plus the tax shares of the first live units, which is exactly
 * what captures charge them (`unitsShare`, units ship in order). Pure.
 */
export function lineDue(line: LineMoney): { subtotalMinor: number; discountMinor: number; taxMinor: number } {
  const live = line.quantity - line.cancelled;
  return {
    subtotalMinor: line.unit_price_minor * live,
    discountMinor: unitsShare(line.discount_minor, line.quantity, 0, live),
    taxMinor: unitsShare(line.tax_minor, line.quantity, 0, live),
  };
}

/** An order version's totals: every line's due plus the shipping charge. Pure. */
export function versionTotals(lines: LineMoney[], shippingMinor: number): VersionTotals {
  const dues = lines.map(lineDue);
  const sum = (pick: (d: ReturnType<typeof lineDue>) => number) => dues.reduce((n, d) => n + pick(d), 0);
  const subtotalMinor = sum((d) => d.subtotalMinor);
  const discountMinor = sum((d) => d.discountMinor);
  const taxMinor = sum((d) => d.taxMinor);
  return {
    subtotalMinor,
    discountMinor,
    shippingMinor,
    taxMinor,
    totalMinor: subtotalMinor - discountMinor + shippingMinor + taxMinor,
  };
}

/**
 * Adds `units` units to a line: each new unit carries the line's base share of its discount
 * and tax (the shares of the units already there do not move: `unitsShare` of the first units is
 * unchanged). Pure.
 */
export function grownMoney(
  line: LineMoney,
  units: number,
): Pick<LineMoney, 'quantity' | 'discount_minor' | 'tax_minor'> {
  return {
    quantity: line.quantity + units,
    discount_minor: line.discount_minor + units * Math.floor(line.discount_minor / line.quantity),
    tax_minor: line.tax_minor + units * Math.floor(line.tax_minor / line.quantity),
  };
}
