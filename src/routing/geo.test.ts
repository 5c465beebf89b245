import { describe, expect, it } from 'vitest';
import { places } from './fixtures.ts';
import { haversineKm } from './geo.ts';

describe('haversineKm', () => {
  it('is 0 from a point to itself and symmetric', () => {
    expect(haversineKm(places.chicago, places.chicago)).toBe(0);
    expect(haversineKm(places.newYork, places.losAngeles)).toBeCloseTo(
      haversineKm(places.losAngeles, places.newYork),
      9,
    );
  });

  it('matches known great-circle distances', () => {
    expect(haversineKm(places.newYork, places.losAngeles)).toBeCloseTo(3936, -1);
    expect(haversineKm(places.chicago, places.dallas)).toBeCloseTo(1290, -1);
    // A quarter of a meridian.
    expect(haversineKm({ latitude: 0, longitude: 0 }, { latitude: 90, longitude: 0 })).toBeCloseTo(10_007.5, 0);
  });

  it('stays finite for antipodes', () => {
    expect(haversineKm({ latitude: 0, longitude: 0 }, { latitude: 0, longitude: 180 })).toBeCloseTo(20_015, 0);
  });
});
