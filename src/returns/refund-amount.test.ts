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

  const credit = (orderId: string, amountMinor: number) => ({ orderId, lineId: 'L1', amountMinor });

  it('gives back a replacement’s own value plus its credits, the fee kept from its own part first', () => {
    // A replacement whose price is all credit: its own order gives back nothing.
    const replacement = line({ orderedQuantity: 1, unitPriceMinor: 1200, discountMinor: 1200, taxMinor: 0 });
    const plain = refundAmount([{ ...replacement, credits: [credit('ord_o', 1166)] }], { shippingMinor: 0, feeBps: 0 });
    expect(plain.lines[0]).toMatchObject({ totalMinor: 1166, ownMinor: 0, credits: [credit('ord_o', 1166)] });
    const fee = refundAmount(
      [{ ...replacement, discountMinor: 900, credits: [credit('ord_x', 200), credit('ord_o', 900)] }],
      { shippingMinor: 0, feeBps: 5000 },
    );
    // Net 300 + 200 + 900 = 1400; half is kept: 300 from its own order, 200 and 200 from the credits in order.
    expect(fee.restockingFeeMinor).toBe(700);
    expect(fee.lines[0]).toMatchObject({
      totalMinor: 700,
      ownMinor: 0,
      credits: [credit('ord_x', 0), credit('ord_o', 700)],
    });
  });

  it('takes an exchange’s difference from its own order first, never more than the units were paid, and carries the rest', () => {
    const deluxe = line({ orderedQuantity: 1, unitPriceMinor: 3500, discountMinor: 2500, taxMinor: 0 });
    const cheaper = refundAmount([{ ...deluxe, exchangeUnitPriceMinor: 2000, credits: [credit('ord_o', 2500)] }], {
      shippingMinor: 0,
      feeBps: 0,
    });
    expect(cheaper.lines[0]).toMatchObject({
      totalMinor: 1500,
      ownMinor: 1000,
      credits: [credit('ord_o', 500)],
      carried: { ownMinor: 0, credits: [credit('ord_o', 2000)] },
    });
    // Half price off: a list difference of 800 on a unit paid 700 gives back 700 and carries nothing.
    const halved = line({ orderedQuantity: 1, unitPriceMinor: 1000, discountMinor: 500, taxMinor: 200 });
    expect(
      refundAmount([{ ...halved, exchangeUnitPriceMinor: 200 }], { shippingMinor: 0, feeBps: 0 }).lines[0],
    ).toMatchObject({
      totalMinor: 700,
      discountMinor: 100,
      carried: { ownMinor: 0, credits: [] },
    });
  });
});
