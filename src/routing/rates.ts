import type { RoutingRules, ZoneRate } from './rules.ts';

const GRAMS_PER_KG = 1000;

/** The first band whose maxKm reaches `km` (the open last band catches the rest). */
export function bandFor<T extends { maxKm: number | null }>(bands: readonly T[], km: number): T {
  for (const band of bands) {
    if (band.maxKm === null || km <= band.maxKm) return band;
  }
  const last = bands.at(-1);
  if (last === undefined) throw new Error('a band list must not be empty (validateRules)');
  return last;
}

interface ZonedRate {
  zone: string;
  /** The rules' own rate object (shared, not copied). */
  rate: ZoneRate;
}

/** The carrier zone and its rate for a shipment travelling `km`. */
export function rateFor(rateTable: RoutingRules['rateTable'], km: number): ZonedRate {
  const { zone } = bandFor(rateTable.bands, km);
  const rate = rateTable.zones[zone];
  if (rate === undefined) throw new Error(`zone "${zone}" has no rate (validateRules)`);
  return { zone, rate };
}

/** Started kilograms: 0 g → 0, 1–1000 g → 1, 1001 g → 2. */
export const billableKg = (weightGrams: number): number => Math.ceil(weightGrams / GRAMS_PER_KG);

/** Rate of one shipment in minor units: base + per started kilogram. */
export function shipmentCostMinor(rate: ZoneRate, weightGrams: number): number {
  return rate.baseMinor + rate.perKgMinor * billableKg(weightGrams);
}
