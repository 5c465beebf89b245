import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { netOfTax } from './tax-included.ts';

describe('netOfTax', () => {
  it('prices 3 × 10.00 gross with 5.00 tax as 8.34 net a unit, 0.02 rounding discount', () => {
    expect(netOfTax([{ grossMinor: 3000, quantity: 3, taxMinor: 500 }], 500)).toEqual([
      { unitPriceMinor: 834, discountMinor: 2, taxMinor: 500 },
    ]);
  });

  it('spreads an order-level tax by largest remainder: 1.00 over three equal lines is 0.34, 0.33, 0.33', () => {
    const lines = [1000, 1000, 1000].map((grossMinor) => ({ grossMinor, quantity: 1 }));
    expect(netOfTax(lines, 100).map((l) => l.taxMinor)).toEqual([34, 33, 33]);
  });

  it('always gives back the gross amounts exactly: net × quantity − discount + tax = gross, taxes sum to the order tax', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ grossMinor: fc.integer({ min: 1, max: 10_000_000 }), quantity: fc.integer({ min: 1, max: 50 }) }),
          {
            minLength: 1,
            maxLength: 12,
          },
        ),
        fc.integer({ min: 0, max: 100 }),
        (lines, percent) => {
          const gross = lines.reduce((n, l) => n + l.grossMinor, 0);
          const tax = Math.floor((gross * percent) / 200);
          const net = netOfTax(lines, tax);
          expect(net.reduce((n, l) => n + l.taxMinor, 0)).toBe(tax);
          net.forEach((l, i) => {
            expect(l.unitPriceMinor * lines[i]!.quantity - l.discountMinor + l.taxMinor).toBe(lines[i]!.grossMinor);
            expect(l.discountMinor).toBeGreaterThanOrEqual(0);
            expect(l.discountMinor).toBeLessThan(lines[i]!.quantity);
          });
        },
      ),
    );
  });
});
