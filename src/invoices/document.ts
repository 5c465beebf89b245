import { allocateProportionally } from '../shared/proportional.ts';
import type { Seller } from './settings.ts';

/**
 * The invoice (or credit memo) as a self-contained JSON document: everything needed to print
 * it again years later without reading the order. Money is `{ amount, currency }` in minor
 * units; every total is the exact sum of its parts.
 */
export type DocumentKind = 'invoice' | 'credit_memo';

export interface Money {
  amount: number;
  currency: string;
}

export interface DocumentLineInput {
  line_id: string | null;
  sku: string | null;
  name: string;
  quantity: number;
  unit_price_minor: number;
  discount_minor: number;
  tax_minor: number;
  /** Set for a bundle: its direct components, per unit of the bundle. */
  components?: { sku: string; quantity: number; price_weight: number }[] | undefined;
}

export interface Buyer {
  name: string | null;
  email: string | null;
  customer_id: string | null;
  phone: string | null;
  address: Record<string, unknown> | null;
}

export interface DocumentPayment {
  id: string;
  kind: string;
  amount_minor: number;
  gateway: string;
  reference: string | null;
}

export interface DocumentInput {
  kind: DocumentKind;
  series: string;
  sequence: number;
  number: string;
  issuedAt: Date;
  currency: string;
  seller: Seller;
  buyer: Buyer;
  lines: DocumentLineInput[];
  shippingMinor: number;
  payments: DocumentPayment[];
  references: Record<string, unknown>;
  notes?: string | null | undefined;
}

function assertMinor(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new Error(`${what} must be a non-negative integer of minor units, got ${value}`);
}

/**
 * A bundle line's amounts over its direct components (docs/adr/0024): each of subtotal, discount
 * and tax in proportion to the component's units × price weight, largest remainder to the minor
 * unit, so each column of the components adds up to the line's exactly.
 */
function apportion(
  line: DocumentLineInput,
  subtotal: number,
  money: (amount: number) => Money,
): { sku: string; quantity: number; subtotal: Money; discount: Money; tax: Money; total: Money }[] {
  const components = line.components ?? [];
  const weights = components.map((c) => c.quantity * c.price_weight);
  const [subtotals, discounts, taxes] = [subtotal, line.discount_minor, line.tax_minor].map((amount) =>
    allocateProportionally(amount, weights),
  ) as [number[], number[], number[]];
  return components.map((c, i) => ({
    sku: c.sku,
    quantity: c.quantity * line.quantity,
    subtotal: money(subtotals[i]!),
    discount: money(discounts[i]!),
    tax: money(taxes[i]!),
    total: money(subtotals[i]! - discounts[i]! + taxes[i]!),
  }));
}

export function buildDocument(input: DocumentInput) {
  const money = (amount: number): Money => ({ amount, currency: input.currency });
  assertMinor(input.shippingMinor, 'shipping');
  const lines = input.lines.map((line) => {
    for (const [what, value] of [
      ['unit price', line.unit_price_minor],
      ['discount', line.discount_minor],
      ['tax', line.tax_minor],
    ] as const)
      assertMinor(value, `${line.name} ${what}`);
    if (!Number.isInteger(line.quantity) || line.quantity <= 0)
      throw new Error(`${line.name}: quantity ${line.quantity} must be positive`);
    const subtotal = line.unit_price_minor * line.quantity;
    return {
      line_id: line.line_id,
      sku: line.sku,
      name: line.name,
      quantity: line.quantity,
      unit_price: money(line.unit_price_minor),
      subtotal: money(subtotal),
      discount: money(line.discount_minor),
      tax: money(line.tax_minor),
      total: money(subtotal - line.discount_minor + line.tax_minor),
      ...(line.components?.length ? { components: apportion(line, subtotal, money) } : {}),
    };
  });
  const sum = (pick: (l: (typeof lines)[number]) => Money) => lines.reduce((n, l) => n + pick(l).amount, 0);
  const subtotal = sum((l) => l.subtotal);
  const discount = sum((l) => l.discount);
  const tax = sum((l) => l.tax);
  const total = subtotal - discount + input.shippingMinor + tax;
  if (total < 0) throw new Error(`document total ${total} is negative`);
  const paid = input.payments.reduce((n, p) => n + p.amount_minor, 0);
  return {
    kind: input.kind,
    number: input.number,
    series: input.series,
    sequence: input.sequence,
    issued_at: input.issuedAt.toISOString(),
    currency: input.currency,
    seller: input.seller,
    buyer: input.buyer,
    lines,
    shipping: money(input.shippingMinor),
    tax_summary: tax > 0 ? [{ name: 'Tax', taxable: money(subtotal - discount), amount: money(tax) }] : [],
    totals: {
      subtotal: money(subtotal),
      discount: money(discount),
      shipping: money(input.shippingMinor),
      tax: money(tax),
      total: money(total),
    },
    payments: input.payments.map((p) => ({
      id: p.id,
      kind: p.kind,
      amount: money(p.amount_minor),
      gateway: p.gateway,
      reference: p.reference,
    })),
    /** For an invoice: what the customer still owes; for a credit memo: what is still to be paid back. */
    amount_due: money(total - paid),
    references: input.references,
    notes: input.notes ?? null,
  };
}

export type InvoiceDocument = ReturnType<typeof buildDocument>;
