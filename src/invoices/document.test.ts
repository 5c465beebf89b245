import { describe, expect, it } from 'vitest';
import { buildDocument, type DocumentInput } from './document.ts';
import { currencyExponent, formatMoney, minorToDecimal } from './money-format.ts';
import { formatNumber, invoiceSettingsFromEnv, seriesFor } from './settings.ts';

const input: DocumentInput = {
  kind: 'invoice',
  series: 'INV-2026',
  sequence: 7,
  number: 'INV-2026-000007',
  issuedAt: new Date('2026-05-01T12:00:00Z'),
  currency: 'USD',
  seller: { name: 'Consign Store', address: [], tax_id: null },
  buyer: { name: 'Pat Doe', email: null, customer_id: null, phone: null, address: null },
  lines: [
    { line_id: 'L1', sku: 'A', name: 'A', quantity: 3, unit_price_minor: 333, discount_minor: 34, tax_minor: 24 },
    { line_id: 'L2', sku: 'B', name: 'B', quantity: 1, unit_price_minor: 1999, discount_minor: 1, tax_minor: 160 },
  ],
  shippingMinor: 799,
  payments: [{ id: 'pay_1', kind: 'capture', amount_minor: 2000, gateway: 'test', reference: 'r' }],
  references: { shipment_id: 'shp_1' },
};

describe('buildDocument', () => {
  it('totals every line and the document to the exact minor unit', () => {
    const document = buildDocument(input);
    expect(document.lines.map((l) => [l.subtotal.amount, l.total.amount])).toEqual([
      [999, 989],
      [1999, 2158],
    ]);
    expect(document.totals).toEqual({
      subtotal: { amount: 2998, currency: 'USD' },
      discount: { amount: 35, currency: 'USD' },
      shipping: { amount: 799, currency: 'USD' },
      tax: { amount: 184, currency: 'USD' },
      total: { amount: 3946, currency: 'USD' },
    });
    expect(document.tax_summary).toEqual([
      { name: 'Tax', taxable: { amount: 2963, currency: 'USD' }, amount: { amount: 184, currency: 'USD' } },
    ]);
    expect(document.amount_due).toEqual({ amount: 1946, currency: 'USD' });
    expect(document.issued_at).toBe('2026-05-01T12:00:00.000Z');
  });

  it("apportions a bundle line's subtotal, discount and tax to its components by units × price weight", () => {
    const bundle = {
      line_id: 'L1',
      sku: 'KIT',
      name: 'Kit',
      quantity: 1,
      unit_price_minor: 1000,
      discount_minor: 100,
      tax_minor: 71,
      components: [
        { sku: 'A', quantity: 1, price_weight: 1 },
        { sku: 'B', quantity: 1, price_weight: 1 },
        { sku: 'C', quantity: 1, price_weight: 1 },
      ],
    };
    const [line] = buildDocument({ ...input, lines: [bundle] }).lines;
    // Three equal shares: the cent left over goes to the earliest component.
    expect(line!.components!.map((c) => [c.subtotal.amount, c.discount.amount, c.tax.amount, c.total.amount])).toEqual([
      [334, 34, 24, 324],
      [333, 33, 24, 324],
      [333, 33, 23, 323],
    ]);
    expect(line!.components!.reduce((n, c) => n + c.total.amount, 0)).toBe(line!.total.amount);
    const plain = buildDocument(input).lines[0]!;
    expect('components' in plain).toBe(false);
  });

  it('refuses fractional or negative money and empty quantities', () => {
    expect(() => buildDocument({ ...input, shippingMinor: 1.5 })).toThrow(/shipping/);
    expect(() => buildDocument({ ...input, lines: [{ ...input.lines[0]!, tax_minor: -1 }] })).toThrow(/tax/);
    expect(() => buildDocument({ ...input, lines: [{ ...input.lines[0]!, quantity: 0 }] })).toThrow(/quantity/);
  });
});

describe('money formatting', () => {
  it('uses the currency exponent and never floating point', () => {
    expect([currencyExponent('USD'), currencyExponent('JPY'), currencyExponent('KWD')]).toEqual([2, 0, 3]);
    expect(minorToDecimal(5, 'USD')).toBe('0.05');
    expect(minorToDecimal(-123456, 'USD')).toBe('-1234.56');
    expect(minorToDecimal(1234567, 'KWD')).toBe('1234.567');
    expect(formatMoney(123456, 'USD')).toBe('$1,234.56');
    expect(formatMoney(1234, 'JPY')).toBe('¥1,234');
    expect(formatMoney(99, 'EUR')).toBe('€0.99');
    expect(formatMoney(9_007_199_254_740_991, 'USD')).toBe('$90,071,992,547,409.91');
    expect(formatMoney(12345, 'INR')).toMatch(/^INR\s123\.45$/); // ₹ is not in the PDF fonts: the code instead
  });
});

describe('invoice settings', () => {
  it('numbers per series and year, six digits and wider', () => {
    expect(seriesFor('INV', new Date('2026-12-31T23:59:59Z'))).toBe('INV-2026');
    expect(formatNumber('INV-2026', 42)).toBe('INV-2026-000042');
    expect(formatNumber('INV-2026', 1_234_567)).toBe('INV-2026-1234567');
  });

  it('has defaults and reads the seller from the environment', () => {
    expect(invoiceSettingsFromEnv({})).toEqual({
      invoicePrefix: 'INV',
      creditMemoPrefix: 'CM',
      seller: { name: 'Consign Store', address: [], tax_id: null },
    });
    expect(
      invoiceSettingsFromEnv({
        CONSIGN_SELLER_ADDRESS: '1 Main St\nSpringfield; US',
        CONSIGN_CREDIT_MEMO_SERIES: 'CR',
      }),
    ).toMatchObject({
      creditMemoPrefix: 'CR',
      seller: { address: ['1 Main St', 'Springfield', 'US'] },
    });
    expect(() => invoiceSettingsFromEnv({ CONSIGN_CREDIT_MEMO_SERIES: 'C M' })).toThrow(/CONSIGN_CREDIT_MEMO_SERIES/);
  });
});
