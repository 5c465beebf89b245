import { describe, expect, it } from 'vitest';
import { benchPlanner, plannerScenario } from './planner.ts';
import { SPLIT_ASSORTMENT } from './planner-split.ts';

const SKUS = 500;

describe('the split-forcing planner network', () => {
  const { locations, stock } = plannerScenario(7, 200, 5, 10, 'split');

  it('gives every location a partial assortment within its share, in small quantities', () => {
    for (const location of locations) {
      const kind = location.type === 'distribution_center' ? SPLIT_ASSORTMENT.centre : SPLIT_ASSORTMENT.store;
      const levels = stock.get(location.id);
      const held = levels?.size ?? 0;
      expect(held).toBeGreaterThan(0);
      expect(held).toBeLessThan(SKUS);
      expect(held).toBeGreaterThanOrEqual(Math.floor(kind.minShare * SKUS));
      expect(held).toBeLessThanOrEqual(Math.ceil(kind.maxShare * SKUS));
      for (const units of levels?.values() ?? []) {
        expect(units).toBeGreaterThanOrEqual(1);
        expect(units).toBeLessThanOrEqual(kind.maxUnits);
      }
    }
  });

  it('holds both kinds of location', () => {
    const types = new Set(locations.map((l) => l.type));
    expect(types).toEqual(new Set(['distribution_center', 'store']));
  });

  it('makes the planner split orders that ship whole on broad stock', () => {
    const broad = benchPlanner({ iterations: 300, network: 'default' });
    const split = benchPlanner({ iterations: 300, network: 'split' });

    expect(broad.splitShare).toBeLessThan(0.05);
    expect(split.splitShare).toBeGreaterThan(0.3);
    expect(split.meanShipments).toBeGreaterThan(broad.meanShipments);
  });
});
