import { allocateProportionally } from '../shared/proportional.ts';

/** A line as a platform prices it with tax included: all its units together, and its tax if the platform says. */
interface GrossLine {
  grossMinor: number;
  quantity: number;
  /** The line's own tax; absent when the platform gives only the order's. */
  taxMinor?: number | undefined;
}

/** A line as Consign keeps it: a net unit price, and the cents that do not divide evenly as its discount. */
interface NetLine {
  unitPriceMinor: number;
  /** `unitPriceMinor × quantity − net`: less than one minor unit per unit. */
  discountMinor: number;
  taxMinor: number;
}

/**
 * Tax-inclusive prices (Shopify `taxes_included`, SFCC `taxation: gross`) as Consign's net prices
 * plus taxes, exactly. Each line's tax is the platform's when it gives one; otherwise the goods'
 * tax (`goodsTaxMinor`) is spread over the lines by gross amount, largest remainder first, so the
 * line taxes add up to it to the minor unit. A line's net amount (gross − tax) is priced at the
 * unit price rounded up, the rest of that rounding (less than one minor unit per unit) kept as
 * the line's discount: lines − discounts + shipping + taxes is the platform's total to the cent.
 */
export function netOfTax(lines: GrossLine[], goodsTaxMinor: number): NetLine[] {
  const given = lines.every((l) => l.taxMinor !== undefined);
  const taxes = given
    ? lines.map((l) => l.taxMinor!)
    : allocateProportionally(
        goodsTaxMinor,
        lines.map((l) => Math.max(0, l.grossMinor)),
      );
  return lines.map((line, i) => {
    const net = line.grossMinor - taxes[i]!;
    const unit = Math.ceil(net / line.quantity);
    return { unitPriceMinor: unit, discountMinor: unit * line.quantity - net, taxMinor: taxes[i]! };
  });
}
