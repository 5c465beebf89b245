import { describe, expect, it } from 'vitest';
import { billableKg, bandFor, rateFor, shipmentCostMinor } from './rates.ts';
import { defaultRoutingRules } from './rules.ts';

describe('rate table', () => {
  const table = defaultRoutingRules.rateTable;

  it('picks the first band whose maxKm reaches the distance (inclusive), the open band beyond', () => {
    expect(rateFor(table, 0).zone).toBe('2');
    expect(rateFor(table, 150).zone).toBe('2');
    expect(rateFor(table, 150.01).zone).toBe('3');
    expect(rateFor(table, 2900).zone).toBe('7');
    expect(rateFor(table, 12_000).zone).toBe('8');
    expect(bandFor([{ maxKm: 10 }, { maxKm: null }], 11)).toEqual({ maxKm: null });
  });

  it('charges base + per started kilogram', () => {
    expect(billableKg(0)).toBe(0);
    expect(billableKg(1)).toBe(1);
    expect(billableKg(1000)).toBe(1);
    expect(billableKg(1001)).toBe(2);
    const rate = { baseMinor: 900, perKgMinor: 110 };
    expect(shipmentCostMinor(rate, 0)).toBe(900);
    expect(shipmentCostMinor(rate, 2500)).toBe(900 + 3 * 110);
    expect(Number.isInteger(shipmentCostMinor(rateFor(table, 777).rate, 12_345))).toBe(true);
    expect(rateFor(table, 777).rate).toBe(table.zones['4']);
  });

  it('fails loudly on a zone without a rate (rules that skipped validation)', () => {
    expect(() => rateFor({ bands: [{ maxKm: null, zone: 'x' }], zones: {} }, 5)).toThrow(/zone "x"/);
  });
});
