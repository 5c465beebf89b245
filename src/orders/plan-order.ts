import { toIso, type Executor } from '../db/index.ts';
import { readLeaves } from '../catalog/index.ts';
import {
  planWithKits,
  type BundleLeaves,
  type Candidate,
  type PlanOrder,
  type PlanResult,
  type RoutingRules,
  type StockSnapshot,
} from '../routing/index.ts';
import { observePlan } from '../telemetry/index.ts';
import { addressLabel } from './destination.ts';
import { takesOf, withKitIds } from './kit-parts.ts';
import type { RoutingInputs } from './placement-inputs.ts';
import type { RouteOptions } from './route-order.ts';
import { sharedLeaves, sharedStockSnapshot } from './shared-stock.ts';
import {
  loadStock,
  type CandidateRow,
  type OpenLine,
  type OrderForRouting,
  type StockLevelRow,
} from './routing-inputs.ts';

/*
 * Planning an order: what the planner is asked and on which stock, one timed run of it, and the
 * decision alone for an order that is not to be reserved (a shadow channel's).
 */

/** A candidate row as the planner reads it. */
export function toCandidate(row: CandidateRow): Candidate {
  return {
    id: row.id,
    name: row.name,
    type: row.type as Candidate['type'],
    latitude: row.latitude,
    longitude: row.longitude,
    timezone: row.timezone,
    capabilities: row.capabilities as Candidate['capabilities'],
    dailyCapacity: row.daily_capacity,
    capacityUsedToday: row.capacity_used_today,
    cutoffTime: row.cutoff_time,
    priority: row.priority,
    inChannelGroup: row.in_channel_group,
    active: row.active,
  };
}

/** What the planner is asked for an order: its open lines, the locations to leave out, and how many of its group were omitted. */
export function planRequest(order: OrderForRouting, lines: OpenLine[], exclude: string[], omitted: number): PlanOrder {
  const destination =
    order.destination_latitude !== null && order.destination_longitude !== null
      ? { latitude: order.destination_latitude, longitude: order.destination_longitude }
      : null;
  return {
    channelId: order.channel_id,
    channelCode: order.channel_code,
    currency: order.currency,
    country: order.delivery_method === 'ship' ? (order.shipping_address?.country ?? null) : null,
    deliveryMethod: order.delivery_method,
    pickupLocationId: order.pickup_location_id,
    allowShipFallback: order.allow_ship_fallback,
    destination,
    unlocatedAddress: destination === null && order.shipping_address ? addressLabel(order.shipping_address) : null,
    lines: lines.map((l) => ({
      lineId: l.line_id,
      sku: l.sku,
      quantity: l.need,
      weightGrams: l.weight_grams,
      allowBackorder: l.allow_backorder,
      shipFromLocationId: l.ship_from_location_id,
    })),
    placedAt: toIso(order.placed_at)!,
    receivedAt: toIso(order.created_at)!,
    excludedLocationIds: exclude,
    omittedLocations: omitted,
  };
}

export async function snapshot(executor: Executor, skus: string[], candidates: Candidate[]): Promise<StockSnapshot> {
  const eligible = candidates.filter((c) => c.active).map((c) => c.id);
  return snapshotOf(await loadStock(executor, skus, eligible));
}

export function snapshotOf(rows: StockLevelRow[]): StockSnapshot {
  const stock = new Map<string, Map<string, number>>();
  for (const row of rows) {
    const atLocation = stock.get(row.location_id) ?? new Map<string, number>();
    atLocation.set(row.sku, row.available);
    stock.set(row.location_id, atLocation);
  }
  return stock;
}

/**
 * The order's bundles' leaf components when the rules let a kit's components come from
 * different locations (`bundles: "split_components"`); empty otherwise, or with no bundle.
 */
export async function splittableKits(executor: Executor, skus: string[], rules: RoutingRules): Promise<BundleLeaves> {
  return rules.bundles === 'split_components' ? readLeaves(executor, skus) : new Map();
}

/** The SKUs whose stock an order is planned on: a kit that may be split is planned on its leaf components' stock too. */
export const stockSkusOf = (skus: string[], kits: BundleLeaves): string[] => [
  ...skus,
  ...[...kits.values()].flat().map((leaf) => leaf.sku),
];

/** One run of the planner, timed. */
export function planOnce(
  cause: RouteOptions['cause'],
  request: PlanOrder,
  candidates: Candidate[],
  stock: StockSnapshot,
  rules: RoutingRules,
  kits: BundleLeaves,
): PlanResult {
  const started = performance.now();
  const result = withKitIds(planWithKits(request, candidates, stock, rules, kits, new Date()));
  observePlan(cause, (performance.now() - started) / 1000);
  return result;
}

/**
 * The decision capture's routing would make for a new order, on the inputs read with its
 * validation, without reserving or writing anything: a shadow channel's orders (src/shadow).
 */
export async function decideOnly(
  executor: Executor,
  order: OrderForRouting,
  lines: OpenLine[],
  routing: RoutingInputs,
): Promise<PlanResult> {
  const { rules } = routing.rules;
  const candidates = routing.candidates.candidates.map(toCandidate);
  const skus = lines.map((l) => l.sku);
  const kits = await splittableKits(executor, skus, rules);
  const stock =
    kits.size === 0 ? snapshotOf(routing.stock) : await snapshot(executor, stockSkusOf(skus, kits), candidates);
  const request = planRequest(order, lines, [], routing.candidates.omitted);
  const result = planOnce('capture', request, candidates, stock, rules, kits);
  if (result.status === 'rejected') return result;
  // Capture learns by reserving that a bundle and a line sharing its components were planned on
  // the same units (each line sees the shared component whole), and plans them on shared stock:
  // so does the decision alone.
  const shared = await sharedLeaves(executor, skus);
  if (!shared || (await fitsStock(executor, result, shared, candidates))) return result;
  const sharedStock = await sharedStockSnapshot(executor, request, candidates, rules, shared, new Date());
  return planOnce('capture', request, candidates, sharedStock, rules, kits);
}

/** Whether a plan's takes fit the available stock, each bundle's counted in its leaf components, as reserving them checks. */
async function fitsStock(
  executor: Executor,
  result: PlanResult,
  leaves: Map<string, { sku: string; quantity: number }[]>,
  candidates: Candidate[],
): Promise<boolean> {
  const wanted = new Map<string, { locationId: string; sku: string; quantity: number }>();
  for (const allocation of result.allocations)
    for (const take of takesOf(allocation))
      for (const leaf of leaves.get(take.sku) ?? [{ sku: take.sku, quantity: 1 }]) {
        const key = `${take.locationId}\u0000${leaf.sku}`;
        const level = wanted.get(key) ?? { locationId: take.locationId, sku: leaf.sku, quantity: 0 };
        level.quantity += take.quantity * leaf.quantity;
        wanted.set(key, level);
      }
  const skus = [...new Set([...wanted.values()].map((w) => w.sku))];
  const eligible = candidates.filter((c) => c.active).map((c) => c.id);
  const available = new Map(
    (await loadStock(executor, skus, eligible)).map((r) => [`${r.location_id}\u0000${r.sku}`, r.available]),
  );
  return [...wanted].every(([key, w]) => w.quantity <= (available.get(key) ?? 0));
}
