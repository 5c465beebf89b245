import type { Executor } from '../db/index.ts';
import { getAvailability } from './availability.ts';
import { planSupply, type SupplyPlan } from './supply-plan.ts';

interface DatedLocation {
  location_id: string;
  available: number;
  on_hand: number;
  reserved: number;
  safety_stock: number;
  /** Open supply expected at the location on or before the date. */
  incoming: number;
  /** Units of waiting orders promised from the location's stock and supply up to the date. */
  promised: number;
}

interface DatedSku {
  sku: string;
  available: number;
  on_hand: number;
  reserved: number;
  incoming: number;
  promised: number;
  locations: DatedLocation[];
}

/** Per location of one SKU: what the plan's sources up to `on` bring and what is left of them. */
function sourcesUpTo(plan: SupplyPlan, sku: string, on: string) {
  const byLocation = new Map<string, { incoming: number; promised: number; left: number }>();
  for (const source of plan.sources) {
    if (source.sku !== sku || source.on > on) continue;
    const entry = byLocation.get(source.location_id) ?? { incoming: 0, promised: 0, left: 0 };
    if (source.supply_id !== null) entry.incoming += source.quantity;
    entry.promised += source.quantity - source.left;
    entry.left += source.left;
    byLocation.set(source.location_id, entry);
  }
  return byLocation;
}

/**
 * Availability on a day to come: per SKU and location in scope, what is available now plus the
 * open supply expected there by then, less what waiting orders are promised from them (first come,
 * first served; `planSupply`). `locationIds = null` means the whole network.
 */
export async function getAvailabilityOn(
  executor: Executor,
  skus: string[],
  locationIds: string[] | null,
  on: string,
): Promise<{ on: string; data: DatedSku[]; unknown_skus: string[] }> {
  const now = await getAvailability(executor, skus, locationIds);
  const plan = await planSupply(
    executor,
    now.data.map((d) => d.sku),
  );
  const inScope = (id: string) => locationIds === null || locationIds.includes(id);
  const data = now.data.map((item): DatedSku => {
    const dated = sourcesUpTo(plan, item.sku, on);
    const levels = new Map(item.locations.map((l) => [l.location_id, l]));
    const ids = [...new Set([...levels.keys(), ...[...dated.keys()].filter(inScope)])].sort();
    const locations = ids.map((id): DatedLocation => {
      const level = levels.get(id);
      const source = dated.get(id) ?? { incoming: 0, promised: 0, left: 0 };
      return {
        location_id: id,
        available: source.left,
        on_hand: level?.on_hand ?? 0,
        reserved: level?.reserved ?? 0,
        safety_stock: level?.safety_stock ?? 0,
        incoming: source.incoming,
        promised: source.promised,
      };
    });
    const sum = (field: 'available' | 'incoming' | 'promised') => locations.reduce((n, l) => n + l[field], 0);
    return {
      sku: item.sku,
      available: sum('available'),
      on_hand: item.on_hand,
      reserved: item.reserved,
      incoming: sum('incoming'),
      promised: sum('promised'),
      locations,
    };
  });
  return { on, data, unknown_skus: now.unknown_skus };
}

interface TimelineDay {
  on: string;
  /** Open supply expected that day (for today: also what is available now). */
  incoming: number;
  /** Units of waiting orders promised from that day's stock and supply. */
  promised: number;
  /** Available on that day: everything up to it, less every promise from it. */
  available: number;
  supply_ids: string[];
}

/**
 * A SKU's timeline per location: every day stock or supply becomes available, with what arrives,
 * what waiting orders are promised from it, and what is available from then on.
 */
export async function getTimeline(
  executor: Executor,
  sku: string,
  locationIds: string[] | null,
): Promise<{ location_id: string; days: TimelineDay[] }[]> {
  const plan = await planSupply(executor, [sku]);
  const byLocation = new Map<string, TimelineDay[]>();
  for (const source of plan.sources) {
    if (locationIds !== null && !locationIds.includes(source.location_id)) continue;
    const days = byLocation.get(source.location_id) ?? [];
    let day = days.at(-1);
    if (day?.on !== source.on) {
      day = { on: source.on, incoming: 0, promised: 0, available: days.at(-1)?.available ?? 0, supply_ids: [] };
      days.push(day);
    }
    day.incoming += source.quantity;
    day.promised += source.quantity - source.left;
    day.available += source.left;
    if (source.supply_id !== null) day.supply_ids.push(source.supply_id);
    byLocation.set(source.location_id, days);
  }
  return [...byLocation.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([location_id, days]) => ({ location_id, days }));
}
