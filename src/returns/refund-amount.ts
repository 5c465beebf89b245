import { allocateProportionally } from '../shared/proportional.ts';
import { unitsShare } from '../payments/index.ts';

/**
 * What a refund of returned units gives back, in exact minor units. Pure.
 *
 * A unit's value is its price less its share of the line's discount plus its share of the
 * line's tax, where units are numbered in the order they are refunded and the minor units that
 * do not divide evenly go to the first units (`unitsShare`, the rule captures use too). So
 * refunding every unit of a line, in any number of refunds, gives back exactly the line's total,
 * and never more than its captures. A replacement line (an exchange's) is worth its own value
 * plus the credits its units carry from the orders that paid for them; each part is given back
 * by the order that holds it. See docs/adr/0006-returns-and-refund-arithmetic.md and ADR 0011.
 */

/** Money of some units held by one order: paid there on `lineId`, refunded from there. */
export interface Part {
  orderId: string;
  lineId: string;
  amountMinor: number;
}

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
  /** Replacement lines: these units' shares of the credits paid on earlier orders, the latest payer first. */
  credits?: Part[] | undefined;
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
  /** Everything the line gives back: its own order's part and its credits' parts. */
  totalMinor: number;
  /** Given back by the line's own order. */
  ownMinor: number;
  /** Given back by the orders that paid the units' credits. */
  credits: Part[];
  /** Exchanged units: what stays paid (own order's part, credits) and becomes the replacement's credit. */
  carried: { ownMinor: number; credits: Part[] } | null;
}

export interface RefundAmount {
  lines: RefundLine[];
  shippingMinor: number;
  restockingFeeMinor: number;
  totalMinor: number;
}

const sum = (parts: Part[]) => parts.reduce((n, p) => n + p.amountMinor, 0);

/** Splits `amountMinor` off the own part first, then off the credits in order. Pure. */
function takeFrom(amountMinor: number, ownMinor: number, credits: Part[]) {
  const fromOwn = Math.min(amountMinor, ownMinor);
  let left = amountMinor - fromOwn;
  const taken = credits.map((c) => {
    const t = Math.min(left, c.amountMinor);
    left -= t;
    return { ...c, amountMinor: t };
  });
  if (left > 0) throw new Error(`cannot take ${amountMinor} from ${ownMinor + sum(credits)}`);
  return {
    taken: { ownMinor: fromOwn, credits: taken },
    rest: {
      ownMinor: ownMinor - fromOwn,
      credits: credits.map((c, i) => ({ ...c, amountMinor: c.amountMinor - taken[i]!.amountMinor })),
    },
  };
}

function valueLine(line: RefundLineInput): RefundLine {
  const name = line.name ?? line.sku;
  const credits = line.credits ?? [];
  const subtotalMinor = line.unitPriceMinor * line.quantity;
  const discountMinor = unitsShare(line.discountMinor, line.orderedQuantity, line.refundedBefore, line.quantity);
  const taxMinor = unitsShare(line.taxMinor, line.orderedQuantity, line.refundedBefore, line.quantity);
  const ownMinor = subtotalMinor - discountMinor + taxMinor;
  const base = { lineId: line.lineId, sku: line.sku, quantity: line.quantity, restockingFeeMinor: 0 };
  if (line.exchangeUnitPriceMinor !== null) {
    // An exchange: the replacement settles the units; a cheaper one gives back the difference in
    // price, never more than the units were paid. What is left stays paid, as the replacement's credit.
    const difference = Math.max(0, line.unitPriceMinor - line.exchangeUnitPriceMinor);
    const listed = difference * line.quantity;
    const given = takeFrom(Math.min(listed, ownMinor + sum(credits)), ownMinor, credits);
    const totalMinor = given.taken.ownMinor + sum(given.taken.credits);
    return {
      ...base,
      name: `${name} (exchanged: price difference)`,
      unitPriceMinor: difference,
      subtotalMinor: listed,
      discountMinor: listed - totalMinor,
      taxMinor: 0,
      totalMinor,
      ownMinor: given.taken.ownMinor,
      credits: given.taken.credits,
      carried: given.rest,
    };
  }
  return {
    ...base,
    name,
    unitPriceMinor: line.unitPriceMinor,
    subtotalMinor,
    discountMinor,
    taxMinor,
    totalMinor: ownMinor + sum(credits),
    ownMinor,
    credits,
    carried: null,
  };
}

/**
 * Values the lines, keeps the restocking fee (`feeBps` of the net value of the lines it
 * applies to, credits included, rounded down, or `feeMinor` when given) spread over those lines
 * by largest remainder and kept from each line's own part first, and adds `shippingMinor`.
 */
export function refundAmount(
  lines: RefundLineInput[],
  options: { shippingMinor: number; feeBps: number; feeMinor?: number | undefined },
): RefundAmount {
  const valued = lines.map(valueLine);
  const nets = valued.map((l, i) =>
    lines[i]!.feeApplies && !l.carried ? l.subtotalMinor - l.discountMinor + sum(l.credits) : 0,
  );
  const base = nets.reduce((a, b) => a + b, 0);
  const fee = Math.min(base, options.feeMinor ?? Math.floor((base * options.feeBps) / 10_000));
  allocateProportionally(fee, nets).forEach((share, i) => {
    const line = valued[i]!;
    const kept = takeFrom(share, line.ownMinor, line.credits);
    line.restockingFeeMinor = share;
    line.ownMinor = kept.rest.ownMinor;
    line.credits = kept.rest.credits;
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
