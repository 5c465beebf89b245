import { describe, expect, it } from 'vitest';
import { haversineKm } from './geo.ts';
import { coordinatesForPostalCode } from './zip.ts';

describe('coordinatesForPostalCode', () => {
  it('finds ZIP centroids offline', () => {
    const manhattan = coordinatesForPostalCode('US', '10001')!;
    expect(manhattan.latitude).toBeCloseTo(40.75, 1);
    expect(manhattan.longitude).toBeCloseTo(-74.0, 1);
    const beverlyHills = coordinatesForPostalCode('US', '90210')!;
    expect(haversineKm(manhattan, beverlyHills)).toBeGreaterThan(3900);
  });

  it('accepts ZIP+4, spaces and lower-case country codes', () => {
    expect(coordinatesForPostalCode('us', ' 10001-1234 ')).toEqual(coordinatesForPostalCode('US', '10001'));
    expect(coordinatesForPostalCode('US', '100011234')).toEqual(coordinatesForPostalCode('US', '10001'));
  });

  it('covers Puerto Rico and the island areas', () => {
    expect(coordinatesForPostalCode('PR', '00601')!.latitude).toBeCloseTo(18.18, 1);
    expect(coordinatesForPostalCode('GU', '96910')!.longitude).toBeCloseTo(144.75, 1);
  });

  it('falls back to the sectional centre for ZIPs without a ZCTA (PO boxes)', () => {
    const poBox = coordinatesForPostalCode('US', '10008')!; // Manhattan PO boxes
    expect(haversineKm(poBox, coordinatesForPostalCode('US', '10001')!)).toBeLessThan(30);
  });

  it('returns null for other countries, malformed codes and unknown areas', () => {
    expect(coordinatesForPostalCode('CA', 'K1A 0B1')).toBeNull();
    expect(coordinatesForPostalCode('DE', '10115')).toBeNull();
    expect(coordinatesForPostalCode('US', '1000')).toBeNull();
    expect(coordinatesForPostalCode('US', 'ABCDE')).toBeNull();
    expect(coordinatesForPostalCode('US', '00000')).toBeNull();
  });
});
