import { describe, expect, it } from 'vitest';
import { candidate, line, monday, order, places, rules, stockOf } from './fixtures.ts';
import { planWithKits } from './kits.ts';

const leaves = new Map([
  [
    'KIT',
    [
      { sku: 'A', quantity: 2 },
      { sku: 'B', quantity: 1 },
    ],
  ],
]);
const candidates = [candidate('east', places.newark), candidate('west', places.denver)];
const split = rules({ bundles: 'split_components' });
/** Kits at a location: the bundle's entry of the snapshot, as the database reads it. */
const kitsAt = (a: number, b: number) => Math.min(Math.floor(a / 2), b);

describe('planWithKits', () => {
  it('takes a kit no location holds whole from two locations under split_components', () => {
    const stock = stockOf({ east: { A: 4, KIT: kitsAt(4, 0) }, west: { B: 3, KIT: kitsAt(0, 3) } });
    const result = planWithKits(order([line('L1', 'KIT', 2)]), candidates, stock, split, leaves, monday);
    expect(result.status).toBe('allocated');
    expect(result.allocations).toEqual([
      {
        locationId: 'east',
        lineId: 'L1',
        sku: 'KIT',
        quantity: 2,
        kitGroup: 'L1#1',
        components: [{ sku: 'A', quantity: 2 }],
      },
      {
        locationId: 'west',
        lineId: 'L1',
        sku: 'KIT',
        quantity: 2,
        kitGroup: 'L1#1',
        components: [{ sku: 'B', quantity: 1 }],
      },
    ]);
    expect(result.explanation.kitSplits).toEqual([
      expect.objectContaining({ lineId: 'L1', quantity: 2, components: expect.any(Array) }),
    ]);
    expect(result.explanation.notes.join(' ')).toMatch(/no eligible location holds every component of 2 more KIT/);
    expect(result.explanation.rulesSummary).toContain('Kits: components from several locations');
  });

  it('refuses the same order under one_location, as today', () => {
    const stock = stockOf({ east: { A: 4, KIT: 0 }, west: { B: 3, KIT: 0 } });
    const result = planWithKits(order([line('L1', 'KIT', 2)]), candidates, stock, rules(), leaves, monday);
    expect(result.status).toBe('rejected');
    expect(result.allocations).toEqual([]);
  });

  it('keeps whole kits whole and splits only the rest', () => {
    const stock = stockOf({ east: { A: 6, B: 1, KIT: kitsAt(6, 1) }, west: { B: 3, KIT: kitsAt(0, 3) } });
    const result = planWithKits(order([line('L1', 'KIT', 3)]), candidates, stock, split, leaves, monday);
    expect(result.status).toBe('allocated');
    const whole = result.allocations.filter((a) => a.kitGroup === undefined);
    expect(whole).toEqual([{ locationId: 'east', lineId: 'L1', sku: 'KIT', quantity: 1 }]);
    const parts = result.allocations.filter((a) => a.kitGroup !== undefined);
    expect(parts).toEqual([
      expect.objectContaining({ locationId: 'east', quantity: 2, components: [{ sku: 'A', quantity: 2 }] }),
      expect.objectContaining({ locationId: 'west', quantity: 2, components: [{ sku: 'B', quantity: 1 }] }),
    ]);
    expect(result.explanation.kitSplits?.[0]?.reason).toMatch(/beyond the 1 placed whole/);
  });

  it('leaves kits unplaced when the components over all locations make too few', () => {
    const stock = stockOf({ east: { A: 5, B: 1, KIT: kitsAt(5, 1) }, west: { B: 3, KIT: kitsAt(0, 3) } });
    const result = planWithKits(order([line('L1', 'KIT', 3)]), candidates, stock, split, leaves, monday);
    expect(result.status).toBe('rejected');
    expect(result.allocations).toEqual([]);
  });

  it('splits one leaf over two locations when neither has enough of it', () => {
    const stock = stockOf({
      east: { A: 3, B: 3, KIT: kitsAt(3, 3) },
      west: { A: 3, KIT: kitsAt(3, 0) },
    });
    const result = planWithKits(
      order([line('L1', 'KIT', 3, { allowBackorder: true })]),
      candidates,
      stock,
      split,
      leaves,
      monday,
    );
    // East makes 1 whole kit; the other two take A from both and B from east.
    const units = (location: string, sku: string) =>
      result.allocations
        .filter((a) => a.locationId === location)
        .reduce(
          (n, a) =>
            n +
            a.quantity *
              (a.components?.find((c) => c.sku === sku)?.quantity ?? (a.components ? 0 : sku === 'A' ? 2 : 1)),
          0,
        );
    expect(units('east', 'A') + units('west', 'A')).toBe(6);
    expect(units('east', 'B') + units('west', 'B')).toBe(3);
    expect(result.backorders).toEqual([]);
    const counted = new Map<string, number>();
    for (const a of result.allocations) counted.set(a.kitGroup ?? `whole-${a.locationId}`, a.quantity);
    expect([...counted.values()].reduce((n, q) => n + q, 0)).toBe(3);
  });
});
