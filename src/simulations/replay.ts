import { planRequest, toCandidate } from '../orders/index.ts';
import {
  planWithKits,
  type BundleLeaves,
  type Candidate,
  type PlanResult,
  type RoutingRules,
  type StockSnapshot,
} from '../routing/index.ts';
import type { PastOrder, SimulationInputs } from './inputs.ts';

/**
 * Where the stock each replayed order sees comes from:
 * - `ledger`: as it was when the order was received, from the ledger — every rule set sees the
 *   stock the order really met, so each order's decisions differ by the rules alone;
 * - `replay`: the ledger's stock at the period's start, then every movement except the replayed
 *   orders' own, which are replaced by what each rule set's decisions take — a rule set's
 *   choices then shape the stock its later orders find;
 * - `snapshot` (an uploaded order set): the ledger's stock at the set's `stock_at`, moved by
 *   nothing but each rule set's own decisions.
 */
export type StockBasis = 'ledger' | 'replay' | 'snapshot';

export interface RuleSet {
  /** The version the rules were read from; null for the defaults. */
  version: number | null;
  rules: RoutingRules;
}

/** One replayed order's decisions, under the baseline rules and under the draft. */
export type Decisions = readonly [baseline: PlanResult, draft: PlanResult];

/** Available (on hand − reserved) per location and SKU, changed as the replay moves through time. */
class Levels {
  private readonly net = new Map<string, Map<string, number>>();

  constructor(opening: Map<string, Map<string, number>>) {
    for (const [location, skus] of opening) this.net.set(location, new Map(skus));
  }

  get(location: string, sku: string): number {
    return this.net.get(location)?.get(sku) ?? 0;
  }

  add(location: string, sku: string, delta: number): void {
    let skus = this.net.get(location);
    if (skus === undefined) {
      skus = new Map();
      this.net.set(location, skus);
    }
    skus.set(sku, (skus.get(sku) ?? 0) + delta);
  }
}

/** Fulfillment work per location and local day (YYYY-MM-DD in the location's time zone). */
class Work {
  private readonly days = new Map<string, Map<string, number>>();

  count(location: string, day: string): number {
    return this.days.get(location)?.get(day) ?? 0;
  }

  add(location: string, day: string): void {
    let byDay = this.days.get(location);
    if (byDay === undefined) {
      byDay = new Map();
      this.days.set(location, byDay);
    }
    byDay.set(day, (byDay.get(day) ?? 0) + 1);
  }
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar date of `atMs` in `timezone`, YYYY-MM-DD. */
export function localDay(atMs: number, timezone: string): string {
  let format = dayFormats.get(timezone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    dayFormats.set(timezone, format);
  }
  return format.format(atMs);
}

/** The state one rule set's replay moves: its stock and its locations' work. */
interface World {
  levels: Levels;
  work: Work;
}

/**
 * Replays `inputs.orders` in the order they were received, each planned under both rule sets with
 * the stock and capacity of that moment (see `StockBasis`), and yields each order's decisions. Pure and deterministic: nothing is read or written but the inputs, and the planner's
 * clock is each order's received time, so the same inputs give the same decisions. A generator,
 * so its caller can store results and report progress between orders.
 */
export function* replay(
  inputs: SimulationInputs,
  ruleSets: readonly [RuleSet, RuleSet],
  basis: StockBasis,
): Generator<{ order: PastOrder; decisions: Decisions }> {
  const timezones = new Map(inputs.locations.map((l) => [l.id, l.timezone]));
  const shared: World = { levels: new Levels(inputs.opening), work: new Work() };
  const worlds: readonly [World, World] =
    basis === 'ledger'
      ? [shared, { levels: shared.levels, work: new Work() }]
      : [shared, { levels: new Levels(inputs.opening), work: new Work() }];
  const replayed = new Set(inputs.orders.map((o) => o.order.id));
  const kits = ruleSets.map(
    (set) => (set.rules.bundles === 'split_components' ? inputs.leaves : new Map()) as BundleLeaves,
  );
  let nextMovement = 0;
  let nextWork = 0;
  for (const order of inputs.orders) {
    for (; nextMovement < inputs.movements.length; nextMovement++) {
      const m = inputs.movements[nextMovement]!;
      if (m.atMs >= order.receivedAtMs) break;
      if (basis === 'ledger') shared.levels.add(m.locationId, m.sku, m.delta);
      else if (m.orderId === null || !replayed.has(m.orderId))
        for (const world of worlds) world.levels.add(m.locationId, m.sku, m.delta);
    }
    for (; nextWork < inputs.otherWork.length; nextWork++) {
      const w = inputs.otherWork[nextWork]!;
      if (w.atMs >= order.receivedAtMs) break;
      const day = localDay(w.atMs, timezones.get(w.locationId) ?? 'UTC');
      for (const world of worlds) world.work.add(w.locationId, day);
    }
    const decisions = [0, 1].map((i) => {
      const world = worlds[i]!;
      const result = decide(inputs, order, world, ruleSets[i]!.rules, kits[i]!);
      if (basis !== 'ledger') take(inputs.leaves, world.levels, result);
      for (const location of new Set(result.shipments.map((s) => s.locationId)))
        world.work.add(location, localDay(order.receivedAtMs, timezones.get(location) ?? 'UTC'));
      return result;
    }) as unknown as Decisions;
    yield { order, decisions };
  }
}

/** Plans one order on a world's stock and work, with the candidates capture would have read then. */
function decide(
  inputs: SimulationInputs,
  past: PastOrder,
  world: World,
  rules: RoutingRules,
  kits: BundleLeaves,
): PlanResult {
  const { order, lines } = past;
  const skus = [...new Set(lines.map((l) => l.sku))];
  const leafSkus = skus.flatMap((sku) => (inputs.leaves.get(sku) ?? []).map((leaf) => leaf.sku));
  const held = [...skus, ...leafSkus];
  const named = new Set(lines.flatMap((l) => (l.ship_from_location_id ? [l.ship_from_location_id] : [])));
  const group = inputs.groups.get(order.channel_id) ?? new Set<string>();
  const available = (location: string, sku: string) =>
    Math.max(world.levels.get(location, sku) - (inputs.safety.get(location)?.get(sku) ?? 0), 0);

  const network = candidatesOf(inputs, order.channel_id);
  const candidates: Candidate[] = [];
  const stock = new Map<string, Map<string, number>>();
  let inGroup = 0;
  for (const [i, location] of inputs.locations.entries()) {
    const holds = held.some((sku) => available(location.id, sku) > 0);
    if (!holds && location.id !== order.pickup_location_id && !named.has(location.id)) continue;
    if (group.has(location.id)) inGroup += 1;
    const candidate = network[i]!;
    candidates.push(
      location.daily_capacity === null
        ? candidate
        : {
            ...candidate,
            capacityUsedToday: world.work.count(location.id, localDay(past.receivedAtMs, location.timezone)),
          },
    );
    if (location.active)
      stock.set(location.id, levelsAt(location.id, skus, kits.size > 0 ? leafSkus : [], inputs.leaves, available));
  }
  const request = planRequest(order, lines, [], Math.max(0, group.size - inGroup));
  return planWithKits(request, candidates, stock as StockSnapshot, rules, kits, new Date(past.receivedAtMs));
}

const networks = new WeakMap<SimulationInputs, Map<string, readonly Candidate[]>>();

/**
 * Every location as the planner's candidate for a channel's orders, in `inputs.locations` order,
 * built once per channel: a replay plans thousands of orders on the same network.
 */
function candidatesOf(inputs: SimulationInputs, channelId: string): readonly Candidate[] {
  let byChannel = networks.get(inputs);
  if (byChannel === undefined) {
    byChannel = new Map();
    networks.set(inputs, byChannel);
  }
  let candidates = byChannel.get(channelId);
  if (candidates === undefined) {
    const group = inputs.groups.get(channelId);
    candidates = inputs.locations.map((location) =>
      toCandidate({ ...location, in_channel_group: group?.has(location.id) ?? false, capacity_used_today: 0 }),
    );
    byChannel.set(channelId, candidates);
  }
  return candidates;
}

/**
 * What the planner sees at one location, as capture reads it (`stockSql`): the available units of
 * each SKU, a bundle as the whole bundles its leaf components make there, and — when kits may be
 * split — the leaf components themselves.
 */
function levelsAt(
  location: string,
  skus: readonly string[],
  leafSkus: readonly string[],
  leaves: BundleLeaves,
  available: (location: string, sku: string) => number,
): Map<string, number> {
  const levels = new Map<string, number>();
  for (const sku of [...skus, ...leafSkus]) {
    const n = available(location, sku);
    if (n > 0) levels.set(sku, n);
  }
  for (const sku of skus) {
    const parts = leaves.get(sku);
    if (parts === undefined) continue;
    const whole = Math.min(...parts.map((leaf) => Math.floor(available(location, leaf.sku) / leaf.quantity)));
    if (whole > 0) levels.set(sku, whole);
  }
  return levels;
}

/** Takes a decision's units from the stock it was planned on: a bundle's and a split kit's as their leaf components. */
function take(leaves: BundleLeaves, levels: Levels, result: PlanResult): void {
  for (const a of result.allocations) {
    const parts = a.components ?? leaves.get(a.sku);
    if (parts === undefined) levels.add(a.locationId, a.sku, -a.quantity);
    else for (const part of parts) levels.add(a.locationId, part.sku, -a.quantity * part.quantity);
  }
}
