import { describe, expect, it } from 'vitest';
import { seededRandom } from '../shared/random.ts';
import { creditShares, settledUnits, type CreditRow } from './credit-shares.ts';

const row = (over: Partial<CreditRow>): CreditRow => ({
  units_from: 0,
  units: 3,
  source_order_id: 'ord_a',
  source_line_id: 'L1',
  amount_minor: 1000,
  ...over,
});

describe('creditShares', () => {
  it('refunding every unit, in any split, gives back exactly each payer’s credit', () => {
    const random = seededRandom(11);
    for (let run = 0; run < 100; run++) {
      // Two settlements of a 5-unit line: units [0, 2) paid on two orders, units [2, 5) on one.
      const rows = [
        row({ units: 2, source_order_id: 'ord_b', amount_minor: Math.floor(random() * 5000) }),
        row({ units: 2, source_order_id: 'ord_a', amount_minor: Math.floor(random() * 5000) }),
        row({ units_from: 2, units: 3, source_order_id: 'ord_a', amount_minor: Math.floor(random() * 5000) }),
      ];
      const got = new Map<string, number>();
      for (let from = 0; from < 5;) {
        const count = 1 + Math.floor(random() * (5 - from));
        for (const part of creditShares(rows, from, count))
          got.set(part.orderId, (got.get(part.orderId) ?? 0) + part.amountMinor);
        from += count;
      }
      expect(got.get('ord_b')).toBe(rows[0]!.amount_minor);
      expect(got.get('ord_a')).toBe(rows[1]!.amount_minor + rows[2]!.amount_minor);
    }
  });

  it('keeps the rows’ order (the latest payer first) and gives units without a credit nothing', () => {
    const rows = [row({ source_order_id: 'ord_b', amount_minor: 301 }), row({ amount_minor: 900 })];
    expect(creditShares(rows, 0, 1)).toEqual([
      { orderId: 'ord_b', lineId: 'L1', amountMinor: 101 },
      { orderId: 'ord_a', lineId: 'L1', amountMinor: 300 },
    ]);
    expect(creditShares(rows, 3, 2)).toEqual([]);
    expect(settledUnits(rows)).toBe(3);
    expect(settledUnits([])).toBe(0);
  });
});
