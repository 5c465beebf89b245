import { describe, expect, it } from 'vitest';
import { isValidTimeZone } from '../network/index.ts';
import { demoDistributionCenters, demoStores } from './locations.ts';
import { demoProducts } from './products.ts';
import { generateDemoStock, seededRandom } from './stock.ts';

const sites = [...demoDistributionCenters, ...demoStores].map((l) => ({
  code: l.code!,
  type: l.type,
  dailyCapacity: l.daily_capacity ?? 0,
}));

describe('demo data', () => {
  it('has real time zones, unique codes and unique SKUs', () => {
    const locations = [...demoDistributionCenters, ...demoStores];
    expect(locations.every((l) => isValidTimeZone(l.timezone))).toBe(true);
    expect(new Set(locations.map((l) => l.code)).size).toBe(locations.length);
    expect(new Set(demoProducts.map((p) => p.sku)).size).toBe(demoProducts.length);
    expect(demoProducts.length).toBeGreaterThanOrEqual(50);
    expect(demoProducts.some((p) => p.allow_backorder)).toBe(true);
  });

  it('generates the same stock every time', () => {
    expect(generateDemoStock(sites, demoProducts)).toEqual(generateDemoStock(sites, demoProducts));
    expect(generateDemoStock(sites, demoProducts, 1)).not.toEqual(generateDemoStock(sites, demoProducts, 2));
  });

  it('keeps distribution centres deep and stores shallow, with some empty shelves and safety stock', () => {
    const levels = generateDemoStock(sites, demoProducts);
    const typeOf = new Map(sites.map((s) => [s.code, s.type]));
    const mean = (type: string) => {
      const units = levels.filter((l) => typeOf.get(l.locationCode) === type).map((l) => l.onHand);
      return units.reduce((a, b) => a + b, 0) / units.length;
    };
    expect(mean('distribution_center')).toBeGreaterThan(10 * mean('store'));
    expect(levels.some((l) => l.onHand === 0)).toBe(true);
    expect(levels.some((l) => l.safetyStock > 0 && typeOf.get(l.locationCode) === 'store')).toBe(true);
    expect(levels.every((l) => Number.isInteger(l.onHand) && l.onHand >= 0 && l.safetyStock >= 0)).toBe(true);
  });

  it('draws uniform floats in [0, 1) from a seed', () => {
    const random = seededRandom(42);
    const draws = Array.from({ length: 10_000 }, random);
    expect(draws.every((x) => x >= 0 && x < 1)).toBe(true);
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
  });
});
