/**
 * Builders for routing tests and simulations: a candidate, a line, an order and rules with
 * sensible defaults, each overridable field by field.
 */
import { defaultRoutingRules, type ChannelRateTable, type RoutingRules } from './rules.ts';
import { stockSnapshot } from './stock.ts';
import type { Candidate, Coordinates, PlanLine, PlanOrder, StockSnapshot } from './types.ts';

export const places = {
  newYork: { latitude: 40.7506, longitude: -73.9973 },
  newark: { latitude: 40.7357, longitude: -74.1724 },
  philadelphia: { latitude: 39.9526, longitude: -75.1652 },
  chicago: { latitude: 41.8781, longitude: -87.6298 },
  dallas: { latitude: 32.7767, longitude: -96.797 },
  denver: { latitude: 39.7392, longitude: -104.9903 },
  losAngeles: { latitude: 34.0522, longitude: -118.2437 },
  seattle: { latitude: 47.6062, longitude: -122.3321 },
} satisfies Record<string, Coordinates>;

export function candidate(id: string, overrides: Partial<Candidate> = {}): Candidate {
  return {
    id,
    name: `Location ${id}`,
    type: 'warehouse',
    ...places.chicago,
    timezone: 'America/Chicago',
    capabilities: ['ship', 'pickup', 'curbside'],
    dailyCapacity: null,
    capacityUsedToday: 0,
    cutoffTime: null,
    priority: 0,
    inChannelGroup: true,
    active: true,
    ...overrides,
  };
}

export function line(lineId: string, sku: string, quantity: number, overrides: Partial<PlanLine> = {}): PlanLine {
  return { lineId, sku, quantity, weightGrams: 500, allowBackorder: false, ...overrides };
}

export function order(lines: PlanLine[], overrides: Partial<PlanOrder> = {}): PlanOrder {
  return {
    channelId: 'web',
    deliveryMethod: 'ship',
    pickupLocationId: null,
    allowShipFallback: false,
    destination: places.newYork,
    lines,
    placedAt: '2025-03-03T14:00:00Z',
    excludedLocationIds: [],
    ...overrides,
  };
}

/** { loc: { sku: units } } → snapshot. */
export function stockOf(levels: Record<string, Record<string, number>>): StockSnapshot {
  return stockSnapshot(
    Object.entries(levels).flatMap(([locationId, skus]) =>
      Object.entries(skus).map(([sku, available]) => ({ locationId, sku, available })),
    ),
  );
}

export function rules(overrides: Partial<RoutingRules> = {}): RoutingRules {
  return { ...structuredClone(defaultRoutingRules), ...overrides };
}

/** Monday 2025-03-03, 15:00 UTC (09:00 in Chicago). */
export const monday = new Date('2025-03-03T15:00:00Z');

/** A Brazilian carrier for the `br-web` channel: a courier across town costs more than the national parcel service. */
export const brRateTable = (overrides: Partial<ChannelRateTable> = {}): ChannelRateTable => ({
  name: 'BR',
  channels: ['br-web'],
  currency: 'BRL',
  bands: [
    { maxKm: 300, zone: 'local' },
    { maxKm: null, zone: 'national' },
  ],
  zones: { local: { baseMinor: 6000, perKgMinor: 200 }, national: { baseMinor: 1500, perKgMinor: 100 } },
  ...overrides,
});
