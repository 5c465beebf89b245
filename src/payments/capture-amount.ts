/**
 * What a shipment costs the customer, in exact minor units. An order line's discount and tax
 * are totals for the line; each unit carries an equal share, and the minor units that do not
 * divide evenly go to the first units (largest remainder over equal weights). Units ship in
 * order, so shipping every unit of a line, in any number of shipments, charges exactly the
 * line's totals. The order's shipping charge goes with its first shipment. Pure.
 */

/**
 * The share of `totalMinor` carried by units [from, from + count) of a line of `quantity` units.
 * Equals summing `allocateProportionally(totalMinor, quantity × [1])` over those units, without
 * building the array.
 */
export function unitsShare(totalMinor: number, quantity: number, from: number, count: number): number {
  if (!Number.isSafeInteger(totalMinor) || totalMinor < 0)
    throw new Error(`line total ${totalMinor} must be a non-negative integer`);
  if (!Number.isInteger(quantity) || quantity <= 0) throw new Error(`quantity ${quantity} must be positive`);
  if (!Number.isInteger(from) || !Number.isInteger(count) || from < 0 || count < 0 || from + count > quantity) {
    throw new Error(`units [${from}, ${from + count}) are outside a line of ${quantity}`);
  }
  const base = Math.floor(totalMinor / quantity);
  const extra = totalMinor - base * quantity;
  return base * count + Math.max(0, Math.min(from + count, extra) - from);
}

export interface ShippedLine {
  lineId: string;
  sku: string;
  name: string | null;
  /** The line as ordered. */
  orderedQuantity: number;
  unitPriceMinor: number;
  discountMinor: number;
  taxMinor: number;
  /** Units of the line in earlier shipments. */
  shippedBefore: number;
  /** Units in this shipment. */
  quantity: number;
}

interface ChargedLine {
  lineId: string;
  sku: string;
  name: string | null;
  quantity: number;
  unitPriceMinor: number;
  subtotalMinor: number;
  discountMinor: number;
  taxMinor: number;
  totalMinor: number;
}

export interface ShipmentCharge {
  lines: ChargedLine[];
  subtotalMinor: number;
  discountMinor: number;
  shippingMinor: number;
  taxMinor: number;
  totalMinor: number;
}

function chargeLine(line: ShippedLine): ChargedLine {
  const subtotalMinor = line.unitPriceMinor * line.quantity;
  const discountMinor = unitsShare(line.discountMinor, line.orderedQuantity, line.shippedBefore, line.quantity);
  const taxMinor = unitsShare(line.taxMinor, line.orderedQuantity, line.shippedBefore, line.quantity);
  return {
    lineId: line.lineId,
    sku: line.sku,
    name: line.name,
    quantity: line.quantity,
    unitPriceMinor: line.unitPriceMinor,
    subtotalMinor,
    discountMinor,
    taxMinor,
    totalMinor: subtotalMinor - discountMinor + taxMinor,
  };
}

/** The charge for one shipment: its units' prices, less their discount, plus their tax, plus `shippingMinor`. */
export function shipmentCharge(lines: ShippedLine[], shippingMinor: number): ShipmentCharge {
  if (!Number.isSafeInteger(shippingMinor) || shippingMinor < 0)
    throw new Error(`shipping ${shippingMinor} must be a non-negative integer`);
  const charged = lines.map(chargeLine);
  const sum = (pick: (l: ChargedLine) => number) => charged.reduce((n, l) => n + pick(l), 0);
  const subtotalMinor = sum((l) => l.subtotalMinor);
  const discountMinor = sum((l) => l.discountMinor);
  const taxMinor = sum((l) => l.taxMinor);
  return {
    lines: charged,
    subtotalMinor,
    discountMinor,
    shippingMinor,
    taxMinor,
    totalMinor: subtotalMinor - discountMinor + shippingMinor + taxMinor,
  };
}
