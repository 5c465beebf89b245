import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateProportionally } from '../shared/proportional.ts';
import { shipmentCharge, unitsShare, type ShippedLine } from './capture-amount.ts';
import { planDraws } from './operate.ts';

interface Line {
  lineId: string;
  quantity: number;
  unitPriceMinor: number;
  discountMinor: number;
  taxMinor: number;
}

/** Ships `parts` (per shipment: line ID → units) in order; shipping goes with the first. */
function shipInParts(lines: Line[], parts: Record<string, number>[], shippingMinor: number) {
  const shipped: Record<string, number> = {};
  return parts.map((part, i) => {
    const shippedLines: ShippedLine[] = Object.entries(part).map(([lineId, quantity]) => {
      const line = lines.find((l) => l.lineId === lineId)!;
      const before = shipped[lineId] ?? 0;
      shipped[lineId] = before + quantity;
      return {
        lineId,
        sku: `SKU-${lineId}`,
        name: null,
        orderedQuantity: line.quantity,
        unitPriceMinor: line.unitPriceMinor,
        discountMinor: line.discountMinor,
        taxMinor: line.taxMinor,
        shippedBefore: before,
        quantity,
      };
    });
    return shipmentCharge(shippedLines, i === 0 ? shippingMinor : 0);
  });
}

const orderTotal = (lines: Line[], shippingMinor: number) =>
  lines.reduce((n, l) => n + l.unitPriceMinor * l.quantity - l.discountMinor + l.taxMinor, shippingMinor);

describe('unitsShare', () => {
  it('gives the odd minor units to the first units, like largest remainder over equal units', () => {
    expect([0, 1, 2].map((u) => unitsShare(100, 3, u, 1))).toEqual([34, 33, 33]);
    expect([0, 1, 2].map((u) => unitsShare(71, 3, u, 1))).toEqual([24, 24, 23]);
    expect(unitsShare(1, 7, 0, 1)).toBe(1);
    expect(unitsShare(1, 7, 1, 6)).toBe(0);
    expect(unitsShare(0, 5, 0, 5)).toBe(0);
  });

  it('equals allocateProportionally over the units, for every range', () => {
    for (let quantity = 1; quantity <= 9; quantity++) {
      for (const total of [0, 1, 7, 99, 100, 101, 12345]) {
        const perUnit = allocateProportionally(
          total,
          Array.from({ length: quantity }, () => 1),
        );
        for (let from = 0; from <= quantity; from++) {
          for (let count = 0; from + count <= quantity; count++) {
            expect(unitsShare(total, quantity, from, count)).toBe(
              perUnit.slice(from, from + count).reduce((a, b) => a + b, 0),
            );
          }
        }
      }
    }
  });

  it('refuses ranges outside the line and fractional money', () => {
    expect(() => unitsShare(10, 2, 1, 2)).toThrow(/outside/);
    expect(() => unitsShare(1.5, 2, 0, 1)).toThrow(/integer/);
    expect(() => unitsShare(10, 0, 0, 0)).toThrow(/positive/);
  });
});

describe('shipmentCharge', () => {
  const lines: Line[] = [
    { lineId: 'A', quantity: 3, unitPriceMinor: 333, discountMinor: 100, taxMinor: 71 },
    { lineId: 'B', quantity: 7, unitPriceMinor: 1999, discountMinor: 1, taxMinor: 1120 },
  ];

  it('splits an order with odd cents over three shipments, to the exact minor unit', () => {
    const charges = shipInParts(
      lines,
      [
        { A: 1, B: 2 },
        { A: 1, B: 4 },
        { A: 1, B: 1 },
      ],
      799,
    );
    expect(charges.map((c) => c.totalMinor)).toEqual([5439, 8960, 2482]);
    expect(charges[0]!.lines).toEqual([
      {
        lineId: 'A',
        sku: 'SKU-A',
        name: null,
        quantity: 1,
        unitPriceMinor: 333,
        subtotalMinor: 333,
        discountMinor: 34,
        taxMinor: 24,
        totalMinor: 323,
      },
      {
        lineId: 'B',
        sku: 'SKU-B',
        name: null,
        quantity: 2,
        unitPriceMinor: 1999,
        subtotalMinor: 3998,
        discountMinor: 1,
        taxMinor: 320,
        totalMinor: 4317,
      },
    ]);
    expect(charges.map((c) => c.shippingMinor)).toEqual([799, 0, 0]);
    expect(charges.reduce((n, c) => n + c.totalMinor, 0)).toBe(orderTotal(lines, 799));
    expect(orderTotal(lines, 799)).toBe(16881);
    expect(charges.reduce((n, c) => n + c.discountMinor, 0)).toBe(101);
    expect(charges.reduce((n, c) => n + c.taxMinor, 0)).toBe(1191);
  });

  it('charges a whole line at once exactly its totals', () => {
    const [charge] = shipInParts(lines, [{ A: 3, B: 7 }], 0);
    expect(charge!.lines.map((l) => [l.discountMinor, l.taxMinor])).toEqual([
      [100, 71],
      [1, 1120],
    ]);
  });

  it('sums to the order total for any lines and any split into shipments', () => {
    const lineArb = fc
      .record({
        quantity: fc.integer({ min: 1, max: 12 }),
        unitPriceMinor: fc.integer({ min: 0, max: 100_000 }),
        discountPercent: fc.integer({ min: 0, max: 100 }),
        taxMinor: fc.integer({ min: 0, max: 50_000 }),
      })
      .map((l) => ({ ...l, discountMinor: Math.floor((l.unitPriceMinor * l.quantity * l.discountPercent) / 100) }));
    fc.assert(
      fc.property(
        fc.array(lineArb, { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 1, max: 5 }),
        fc.nat(),
        (raw, shipping, shipmentCount, seed) => {
          const lines: Line[] = raw.map((l, i) => ({
            lineId: `L${i}`,
            quantity: l.quantity,
            unitPriceMinor: l.unitPriceMinor,
            discountMinor: l.discountMinor,
            taxMinor: l.taxMinor,
          }));
          // Deal every unit into one of the shipments, pseudo-randomly but reproducibly.
          const parts: Record<string, number>[] = Array.from({ length: shipmentCount }, () => ({}));
          let state = seed;
          for (const line of lines) {
            for (let unit = 0; unit < line.quantity; unit++) {
              state = (state * 1103515245 + 12345) % 2 ** 31;
              const part = parts[state % shipmentCount]!;
              part[line.lineId] = (part[line.lineId] ?? 0) + 1;
            }
          }
          const charges = shipInParts(
            lines,
            parts.filter((p) => Object.keys(p).length > 0),
            shipping,
          );
          expect(charges.reduce((n, c) => n + c.totalMinor, 0)).toBe(orderTotal(lines, shipping));
          for (const charge of charges)
            for (const line of charge.lines) expect(line.totalMinor).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('planDraws', () => {
  const sources = [
    { id: 'a', remaining_minor: 500 },
    { id: 'b', remaining_minor: 0 },
    { id: 'c', remaining_minor: 300 },
  ];

  it('draws in order, each up to what is left of it', () => {
    expect(planDraws(650, sources)).toEqual({
      draws: [
        { source: sources[0], amountMinor: 500 },
        { source: sources[2], amountMinor: 150 },
      ],
      shortfallMinor: 0,
    });
  });

  it('never draws more than is left and reports the shortfall', () => {
    const plan = planDraws(1000, sources);
    expect(plan.draws.reduce((n, d) => n + d.amountMinor, 0)).toBe(800);
    expect(plan.shortfallMinor).toBe(200);
    expect(planDraws(0, sources).draws).toEqual([]);
  });
});
