import { allocateProportionally } from '../shared/proportional.ts';

/** Whether a price already holds its tax (VAT-style) or the tax comes on top (US sales tax). */
export const priceModes = ['exclusive', 'inclusive'] as const;
export type PriceMode = (typeof priceModes)[number];

/** One jurisdiction's rate, in parts per million (7.75 % is 77 500). */
export interface RatePart {
  jurisdiction: string;
  name: string;
  ratePpm: number;
}

/** A line to tax: its amount after discounts, for all its units, in minor units (negative for a return). */
interface TaxableLine {
  lineId: string;
  amountMinor: number;
  rates: RatePart[];
}

interface TaxDetail {
  jurisdiction: string;
  name: string;
  ratePpm: number;
  taxMinor: number;
}

export interface LineTax {
  lineId: string;
  /** The amount tax is charged on: the line's amount, or for inclusive prices the amount less its tax. */
  taxableMinor: number;
  taxMinor: number;
  details: TaxDetail[];
}

const PPM = 1_000_000n;

/** `numerator / denominator` rounded half away from zero, in exact integer arithmetic. */
function divideRounded(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const quotient = (2n * n + d) / (2n * d);
  return negative ? -quotient : quotient;
}

/**
 * The tax of one line, rounded once per line (half away from zero). Exclusive prices get
 * `amount × rate` on top; inclusive prices hold `amount − amount ÷ (1 + rate)` inside. The
 * line's tax is split over its jurisdictions by largest remainder, so the details add up to it
 * exactly.
 */
export function taxLine(line: TaxableLine, mode: PriceMode): LineTax {
  const rate = BigInt(line.rates.reduce((n, r) => n + r.ratePpm, 0));
  const amount = BigInt(line.amountMinor);
  const tax =
    mode === 'exclusive' ? divideRounded(amount * rate, PPM) : amount - divideRounded(amount * PPM, PPM + rate);
  const taxMinor = Number(tax);
  const sign = taxMinor < 0 ? -1 : 1;
  const shares = allocateProportionally(
    Math.abs(taxMinor),
    line.rates.map((r) => r.ratePpm),
  );
  return {
    lineId: line.lineId,
    taxableMinor: mode === 'exclusive' ? line.amountMinor : line.amountMinor - taxMinor,
    taxMinor,
    details: line.rates.map((r, i) => ({ ...r, taxMinor: sign * shares[i]! + 0 })),
  };
}

export function taxLines(lines: TaxableLine[], mode: PriceMode): LineTax[] {
  return lines.map((line) => taxLine(line, mode));
}

/**
 * Splits `totalMinor` over lines in proportion to their amounts (largest remainder): how a
 * refund of part of an order is spread over the lines it came from.
 */
export function shareOf(totalMinor: number, amountsMinor: number[]): number[] {
  return allocateProportionally(totalMinor, amountsMinor);
}
