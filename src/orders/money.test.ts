import { describe, expect, it } from 'vitest';
import { checkMoney } from './money.ts';
import type { CreateOrder } from './schemas.ts';

const usd = (amount: number) => ({ amount, currency: 'USD' });
const order = (over: Partial<CreateOrder>): CreateOrder => ({
  channel: 'web',
  external_id: 'X-1',
  customer: {},
  delivery_method: 'ship',
  lines: [
    { sku: 'A', quantity: 1, unit_price: usd(1200), discount: usd(1200) },
    { sku: 'B', quantity: 2, unit_price: usd(1750), discount: usd(2500) },
  ],
  total: usd(1000),
  ...over,
});

describe('checkMoney with line discounts', () => {
  it('keeps a line’s own discount on it and spreads order discounts over what is left', () => {
    expect(checkMoney(order({})).totals.lines.map((l) => l.discountMinor)).toEqual([1200, 2500]);
    const mixed = checkMoney(
      order({
        lines: [
          { sku: 'A', quantity: 1, unit_price: usd(1000), discount: usd(400) },
          { sku: 'B', quantity: 1, unit_price: usd(600) },
        ],
        discounts: [{ amount: usd(300) }],
        taxes: [{ amount: usd(90) }],
        total: usd(990),
      }),
    );
    expect(mixed.errors).toEqual([]);
    expect(mixed.totals).toMatchObject({ discountMinor: 700, taxMinor: 90 });
    expect(mixed.totals.lines).toEqual([
      { subtotalMinor: 1000, discountMinor: 550, taxMinor: 45 },
      { subtotalMinor: 600, discountMinor: 150, taxMinor: 45 },
    ]);
  });

  it('refuses a line discount above the line’s subtotal or in another currency', () => {
    const over = checkMoney(
      order({ lines: [{ sku: 'A', quantity: 1, unit_price: usd(500), discount: usd(600) }], total: usd(0) }),
    );
    expect(over.errors.map((e) => e.pointer)).toContain('/lines/0/discount');
    const euro = checkMoney(
      order({
        lines: [{ sku: 'A', quantity: 1, unit_price: usd(500), discount: { amount: 100, currency: 'EUR' } }],
        total: usd(400),
      }),
    );
    expect(euro.errors).toEqual([
      { pointer: '/lines/0/discount', message: "currency EUR differs from the total's USD" },
    ]);
  });
});
