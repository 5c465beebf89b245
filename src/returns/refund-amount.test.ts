import { describe, expect, it } from 'vitest';
import { seededRandom } from '../shared/random.ts';
import { refundAmount, type RefundLineInput } from './refund-amount.ts';

const line = (over: Partial<RefundLineInput> = {}): RefundLineInput => ({
  lineId: 'L1',
  sku: 'S',
  name: 'Shirt',
  orderedQuantity: 7,
  unitPriceMinor: 1299,
  discountMinor: 333,
  taxMinor: 701,
  refundedBefore: 0,
  quantity: 1,
  exchangeUnitPriceMinor: null,
  feeApplies: true,
  ...over,
});

describe('refundAmount', () => {
  it('repeated partial refunds of a line sum exactly to its total, for any split', () => {
    const random = seededRandom(7);
    for (let run = 0; run < 200; run++) {
      const ordered = 1 + Math.floor(random() * 12);
      const base = line({
        orderedQuantity: ordered,
        discountMinor: Math.floor(random() * 1000),
        taxMinor: Math.floor(random() * 1000),
      });
      let refunded = 0;
      let total = 0;
      while (refunded < ordered) {
        const quantity = 1 + Math.floor(random() * (ordered - refunded));
        total += refundAmount([{ ...base, refundedBefore: refunded, quantity }], {
          shippingMinor: 0,
          feeBps: 0,
        }).totalMinor;
        refunded += quantity;
      }
      expect(total).toBe(base.unitPriceMinor * ordered - base.discountMinor + base.taxMinor);
    }
  });

  it('keeps the restocking fee only where it applies, spread so the lines add up', () => {
    const amount = refundAmount([line({ quantity: 3 }), line({ lineId: 'L2', feeApplies: false, quantity: 2 })], {
      shippingMinor: 799,
      feeBps: 1500,
    });
    const net = 1299 * 3 - amount.lines[0]!.discountMinor;
    expect(amount.restockingFeeMinor).toBe(Math.floor((net * 1500) / 10_000));
    expect(amount.lines[1]!.restockingFeeMinor).toBe(0);
    expect(amount.totalMinor).toBe(amount.lines.reduce((n, l) => n + l.totalMinor, 0) + 799);
  });

  it('gives back only the price difference of an exchange for something cheaper', () => {
    expect(
      refundAmount([line({ exchangeUnitPriceMinor: 1000, quantity: 2 })], { shippingMinor: 0, feeBps: 5000 })
        .totalMinor,
    ).toBe(598);
    expect(refundAmount([line({ exchangeUnitPriceMinor: 1299 })], { shippingMinor: 0, feeBps: 0 }).totalMinor).toBe(0);
  });
});
