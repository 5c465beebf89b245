import { allocateProportionally } from '../shared/proportional.ts';
import type { CreateOrder } from './schemas.ts';

export interface FieldError {
  pointer: string;
  message: string;
}

export interface Totals {
  currency: string;
  subtotalMinor: number;
  discountMinor: number;
  shippingMinor: number;
  taxMinor: number;
  totalMinor: number;
  authorizedMinor: number;
  /** Per line: its share of order discounts and taxes, in minor units, summing exactly to the order's. */
  lines: { subtotalMinor: number; discountMinor: number; taxMinor: number }[];
}

/** Checks that the money adds up, in one currency, and computes the order's totals. */
export function checkMoney(input: CreateOrder): { totals: Totals; errors: FieldError[] } {
  const currency = input.total.currency;
  const errors: FieldError[] = [];
  const amounts: { pointer: string; money: { amount: number; currency: string } }[] = [
    ...input.lines.map((l, i) => ({ pointer: `/lines/${i}/unit_price`, money: l.unit_price })),
    ...input.lines.flatMap((l, i) => (l.discount ? [{ pointer: `/lines/${i}/discount`, money: l.discount }] : [])),
    ...(input.discounts ?? []).map((d, i) => ({ pointer: `/discounts/${i}/amount`, money: d.amount })),
    ...(input.taxes ?? []).map((t, i) => ({ pointer: `/taxes/${i}/amount`, money: t.amount })),
    ...(input.payments ?? []).map((p, i) => ({ pointer: `/payments/${i}/amount`, money: p.amount })),
    ...(input.shipping ? [{ pointer: '/shipping', money: input.shipping }] : []),
  ];
  for (const { pointer, money } of amounts) {
    if (money.currency !== currency)
      errors.push({ pointer, message: `currency ${money.currency} differs from the total's ${currency}` });
  }
  const lineSubtotals = input.lines.map((l) => l.unit_price.amount * l.quantity);
  const lineDiscounts = input.lines.map((l) => l.discount?.amount ?? 0);
  input.lines.forEach((l, i) => {
    if (lineDiscounts[i]! > lineSubtotals[i]!)
      errors.push({
        pointer: `/lines/${i}/discount`,
        message: `the line's discount ${lineDiscounts[i]} exceeds its subtotal ${lineSubtotals[i]}`,
      });
  });
  const subtotalMinor = lineSubtotals.reduce((a, b) => a + b, 0);
  const orderDiscountMinor = (input.discounts ?? []).reduce((a, d) => a + d.amount.amount, 0);
  const discountMinor = orderDiscountMinor + lineDiscounts.reduce((a, b) => a + b, 0);
  const taxMinor = (input.taxes ?? []).reduce((a, t) => a + t.amount.amount, 0);
  const shippingMinor = input.shipping?.amount ?? 0;
  const authorizedMinor = (input.payments ?? []).reduce((a, p) => a + p.amount.amount, 0);
  const expected = subtotalMinor - discountMinor + shippingMinor + taxMinor;
  if (discountMinor > subtotalMinor)
    errors.push({
      pointer: '/discounts',
      message: `discounts ${discountMinor} exceed the line subtotal ${subtotalMinor}`,
    });
  if (expected !== input.total.amount) {
    errors.push({
      pointer: '/total/amount',
      message: `lines ${subtotalMinor} − discounts ${discountMinor} + shipping ${shippingMinor} + taxes ${taxMinor} = ${expected}, not ${input.total.amount}`,
    });
  }
  // A line's own discount stays on it; order-level discounts are spread over what is left.
  const spread = allocateProportionally(
    orderDiscountMinor,
    lineSubtotals.map((s, i) => Math.max(0, s - lineDiscounts[i]!)),
  );
  const discounts = spread.map((d, i) => d + lineDiscounts[i]!);
  const taxes = allocateProportionally(
    taxMinor,
    lineSubtotals.map((s, i) => s - discounts[i]!),
  );
  return {
    errors,
    totals: {
      currency,
      subtotalMinor,
      discountMinor,
      shippingMinor,
      taxMinor,
      totalMinor: input.total.amount,
      authorizedMinor,
      lines: lineSubtotals.map((s, i) => ({ subtotalMinor: s, discountMinor: discounts[i]!, taxMinor: taxes[i]! })),
    },
  };
}
