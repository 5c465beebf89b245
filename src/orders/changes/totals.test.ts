import { describe, expect, it } from 'vitest';
import { unitsShare } from '../../payments/index.ts';
import { grownMoney, lineDue, versionTotals } from './totals.ts';

describe('change totals', () => {
  const line = { quantity: 7, cancelled: 0, unit_price_minor: 1299, discount_minor: 303, tax_minor: 671 };

  it('a line due is its price less its discount plus its tax, over its live units', () => {
    expect(lineDue(line)).toEqual({ subtotalMinor: 9093, discountMinor: 303, taxMinor: 671 });
    const partly = lineDue({ ...line, cancelled: 3 });
    expect(partly).toEqual({
      subtotalMinor: 1299 * 4,
      discountMinor: unitsShare(303, 7, 0, 4),
      taxMinor: unitsShare(671, 7, 0, 4),
    });
  });

  it('growing a line keeps the shares of the units already there', () => {
    const grown = { ...line, ...grownMoney(line, 5) };
    expect(grown.quantity).toBe(12);
    for (let n = 0; n <= 7; n++) {
      expect(unitsShare(grown.discount_minor, 12, 0, n)).toBe(unitsShare(303, 7, 0, n));
      expect(unitsShare(grown.tax_minor, 12, 0, n)).toBe(unitsShare(671, 7, 0, n));
    }
  });

  it('version totals add the lines and the shipping', () => {
    const totals = versionTotals([line, { ...line, cancelled: 7 }], 799);
    expect(totals).toEqual({
      subtotalMinor: 9093,
      discountMinor: 303,
      shippingMinor: 799,
      taxMinor: 671,
      totalMinor: 9093 - 303 + 799 + 671,
    });
  });
});
