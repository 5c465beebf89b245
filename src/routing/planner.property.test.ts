import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { candidate, line, order, rules, stockOf } from './fixtures.ts';
import { locationFacts, scorePlan, type ScoredShipment } from './objectives.ts';
import { plan } from './planner.ts';
import { ratesFor } from './rates.ts';
import type { ChannelRateTable, RoutingRules } from './rules.ts';
import { clockReader, isPastCutoff, localClock, slaDaysFor } from './sla.ts';
import type { Candidate, PlanOrder, PlanResult, StockSnapshot } from './types.ts';

/**
 * The optimiser against a brute force: on small random instances (≤ 4 lines, some naming the
 * location they must ship from, ≤ 8 locations), the
 * planner's objective equals the best over every feasible assignment of line quantities to
 * locations. The brute force re-derives eligibility and the constraints here, simply, and uses only
 * the scoring leaves (objectives.ts), which have their own tests.
 */

interface Instance {
  order: PlanOrder;
  candidates: Candidate[];
  stock: StockSnapshot;
  rules: RoutingRules;
  now: Date;
}

/** More runs for a deeper search: ROUTING_PROPERTY_RUNS=20000 npx vitest run src/routing. */
const RUNS = Number(process.env.ROUTING_PROPERTY_RUNS ?? 1000);
const TIMEOUT_MS = Math.max(60_000, RUNS * 20);
/**
 * This property is about the search, not its default work bound: the default (20,000 steps) was
 * enough for every one of 40,000 random instances but degenerate weights (no shipments weight,
 * only balance) can need a little more, so the bound is lifted here.
 */
const EXACT = { maxSearchNodes: 1_000_000 };
const SKUS = ['A', 'B', 'C'];
const TIME_ZONES = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'Pacific/Honolulu'];
const weight = fc.constantFrom(0, 0.5, 1, 10, 1000, 1_000_000);
const point = fc.record({
  latitude: fc.double({ min: 25, max: 49, noNaN: true }),
  longitude: fc.double({ min: -124, max: -67, noNaN: true }),
});

const locationArb = fc.record({
  point,
  timezone: fc.constantFrom(...TIME_ZONES),
  cutoffTime: fc.option(fc.constantFrom('09:00', '12:30', '15:00', '17:45', '23:59'), { freq: 2 }),
  ship: fc.integer({ min: 0, max: 9 }).map((n) => n > 0),
  active: fc.integer({ min: 0, max: 19 }).map((n) => n > 0),
  inChannelGroup: fc.integer({ min: 0, max: 19 }).map((n) => n > 0),
  dailyCapacity: fc.option(fc.integer({ min: 0, max: 3 }), { freq: 4 }),
  capacityUsedToday: fc.integer({ min: 0, max: 3 }),
  priority: fc.integer({ min: -3, max: 3 }),
  stock: fc.array(fc.constantFrom(0, 0, 1, 2, 3, 4), { minLength: SKUS.length, maxLength: SKUS.length }),
});

const lineArb = fc.record({
  sku: fc.constantFrom(...SKUS),
  quantity: fc.integer({ min: 1, max: 4 }),
  weightGrams: fc.constantFrom(0, 300, 800, 1200, 2500),
  allowBackorder: fc.boolean(),
  // A quarter of the lines name the location they must ship from (an index; past the last location: none).
  shipFrom: fc.integer({ min: 0, max: 31 }).map((n) => (n < 24 ? null : n - 24)),
});

const instanceArb: fc.Arbitrary<Instance> = fc
  .record({
    locations: fc.array(locationArb, { minLength: 3, maxLength: 8 }),
    lines: fc.array(lineArb, { minLength: 1, maxLength: 4 }),
    destination: fc.option(point, { freq: 6 }),
    excluded: fc.array(fc.integer({ min: 0, max: 7 }), { maxLength: 1 }),
    weights: fc.record({
      shipments: weight,
      distance: weight,
      cost: weight,
      sla: weight,
      balance: weight,
      priority: weight,
    }),
    maxShipments: fc.option(fc.integer({ min: 1, max: 3 }), { freq: 2 }),
    shipComplete: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
    excludeAfterCutoff: fc.boolean(),
    slaDays: fc.integer({ min: 0, max: 6 }),
    nowMs: fc.integer({ min: Date.parse('2025-01-01T00:00:00Z'), max: Date.parse('2025-12-31T00:00:00Z') }),
    placedHoursAgo: fc.integer({ min: 0, max: 120 }),
    // A table for the order's channel, whose near zone may cost more than its far one.
    channelTable: fc.option(
      fc.record({
        splitKm: fc.integer({ min: 50, max: 3_000 }),
        near: fc.integer({ min: 0, max: 5_000 }),
        far: fc.integer({ min: 0, max: 5_000 }),
        perKg: fc.integer({ min: 0, max: 500 }),
        nearDays: fc.integer({ min: 0, max: 6 }),
        farDays: fc.integer({ min: 0, max: 6 }),
      }),
      { freq: 3 },
    ),
  })
  .map((g) => {
    const candidates = g.locations.map((l, i) =>
      candidate(`loc_${i}`, {
        ...l.point,
        timezone: l.timezone,
        cutoffTime: l.cutoffTime,
        capabilities: l.ship ? ['ship', 'pickup'] : ['pickup'],
        active: l.active,
        inChannelGroup: l.inChannelGroup,
        dailyCapacity: l.dailyCapacity,
        capacityUsedToday: l.capacityUsedToday,
        priority: l.priority,
      }),
    );
    const levels = Object.fromEntries(
      g.locations.map((l, i) => [`loc_${i}`, Object.fromEntries(SKUS.map((sku, s) => [sku, l.stock[s]!]))]),
    );
    const lines = g.lines.map((l, i) =>
      line(`L${i}`, l.sku, l.quantity, {
        weightGrams: l.weightGrams,
        allowBackorder: l.allowBackorder,
        shipFromLocationId: l.shipFrom === null ? null : `loc_${l.shipFrom}`,
      }),
    );
    return {
      order: order(lines, {
        destination: g.destination,
        excludedLocationIds: g.excluded.map((i) => `loc_${i}`),
        placedAt: new Date(g.nowMs - g.placedHoursAgo * 3_600_000).toISOString(),
      }),
      candidates,
      stock: stockOf(levels),
      rules: rules({
        weights: g.weights,
        maxShipments: g.maxShipments,
        shipComplete: g.shipComplete,
        excludeAfterCutoff: g.excludeAfterCutoff,
        slaDays: { default: g.slaDays, byChannel: {} },
        ...(g.channelTable === null ? {} : { rateTables: [channelTable(g.channelTable)] }),
      }),
      now: new Date(g.nowMs),
    };
  });

function channelTable(t: {
  splitKm: number;
  near: number;
  far: number;
  perKg: number;
  nearDays: number;
  farDays: number;
}): ChannelRateTable {
  return {
    name: 'EU',
    channels: ['web'],
    currency: 'EUR',
    bands: [
      { maxKm: t.splitKm, zone: 'near' },
      { maxKm: null, zone: 'far' },
    ],
    zones: { near: { baseMinor: t.near, perKgMinor: t.perKg }, far: { baseMinor: t.far, perKgMinor: 0 } },
    transitDays: [
      { maxKm: t.splitKm, days: t.nearDays },
      { maxKm: null, days: t.farDays },
    ],
  };
}

const availableAt = (stock: StockSnapshot, locationId: string, sku: string) =>
  Math.max(0, stock.get(locationId)?.get(sku) ?? 0);

function eligibleFor(instance: Instance): Candidate[] {
  const { order: o, candidates, stock, rules: r, now } = instance;
  return candidates.filter(
    (c) =>
      c.active &&
      c.inChannelGroup &&
      !o.excludedLocationIds.includes(c.id) &&
      c.capabilities.includes('ship') &&
      (o.destination === null || (c.latitude !== null && c.longitude !== null)) &&
      (c.dailyCapacity === null || c.dailyCapacity - c.capacityUsedToday > 0) &&
      !(r.excludeAfterCutoff && isPastCutoff(localClock(now.getTime(), c.timezone), c.cutoffTime)) &&
      o.lines.some((l) => availableAt(stock, c.id, l.sku) > 0),
  );
}

interface Optimum {
  backordered: number;
  total: number;
}

/** The best (back-ordered units, total) over every feasible assignment, or null when none is feasible. */
function bruteForce(instance: Instance): Optimum | null {
  const { order: o, stock, rules: r, now } = instance;
  const eligible = eligibleFor(instance);
  const factsContext = {
    rules: r,
    rates: ratesFor(r, o),
    method: 'ship' as const,
    destination: o.destination,
    slaDays: slaDaysFor(r, o.channelId),
    nowAt: clockReader(now.getTime()),
    placedAt: clockReader(Date.parse(o.placedAt)),
  };
  const facts = eligible.map((c) => locationFacts(c, factsContext));
  const original = eligible.map((c) => o.lines.map((l) => availableAt(stock, c.id, l.sku)));
  const remaining = new Map(
    eligible.flatMap((c) => o.lines.map((l) => [`${c.id}|${l.sku}`, availableAt(stock, c.id, l.sku)])),
  );
  const x = o.lines.map(() => eligible.map(() => 0));
  const mayBackorder = o.lines.map((l) => l.allowBackorder && !r.shipComplete);
  // A line naming its location ships from there only, and so never splits.
  const maySplit = o.lines.map(
    (l) => !l.shipFromLocationId && !eligible.some((c) => availableAt(stock, c.id, l.sku) >= l.quantity),
  );
  const mayShipFrom = (i: number, j: number) =>
    !o.lines[i]!.shipFromLocationId || o.lines[i]!.shipFromLocationId === eligible[j]!.id;
  let best: Optimum | null = null;

  const evaluate = () => {
    const used = eligible.map((_, j) => o.lines.some((_, i) => x[i]![j]! > 0));
    if (used.filter(Boolean).length > (r.maxShipments ?? Infinity)) return;
    const backordered = o.lines.reduce((sum, l, i) => sum + l.quantity - x[i]!.reduce((a, b) => a + b, 0), 0);
    const shipments: ScoredShipment[] = [];
    eligible.forEach((_, j) => {
      if (!used[j]) return;
      let weightGrams = 0;
      let balance = 0;
      o.lines.forEach((l, i) => {
        if (x[i]![j]! === 0) return;
        weightGrams += x[i]![j]! * l.weightGrams;
        balance += x[i]![j]! / original[j]![i]!;
      });
      shipments.push({ facts: facts[j]!, weightGrams, balance });
    });
    const total = scorePlan(shipments, r.weights).total;
    if (best === null || backordered < best.backordered || (backordered === best.backordered && total < best.total)) {
      best = { backordered, total };
    }
  };
  const assignLine = (i: number): void => (i === o.lines.length ? evaluate() : spread(i, 0, o.lines[i]!.quantity, 0));
  const spread = (i: number, j: number, rest: number, places: number): void => {
    if (j === eligible.length) {
      if (rest === 0 || mayBackorder[i]) assignLine(i + 1);
      return;
    }
    const key = `${eligible[j]!.id}|${o.lines[i]!.sku}`;
    const most = mayShipFrom(i, j) ? Math.min(rest, remaining.get(key)!) : 0;
    for (let q = 0; q <= most; q++) {
      if (q > 0 && places >= 1 && !maySplit[i]) break;
      x[i]![j] = q;
      remaining.set(key, remaining.get(key)! - q);
      spread(i, j + 1, rest - q, places + (q > 0 ? 1 : 0));
      remaining.set(key, remaining.get(key)! + q);
      x[i]![j] = 0;
    }
  };
  assignLine(0);
  return best;
}

/** The plan itself respects every constraint. */
function expectFeasible(instance: Instance, result: PlanResult): void {
  const eligibleIds = new Set(eligibleFor(instance).map((c) => c.id));
  const { order: o, stock, rules: r } = instance;
  const taken = new Map<string, number>();
  for (const a of result.allocations) {
    expect(eligibleIds.has(a.locationId)).toBe(true);
    const key = `${a.locationId}|${a.sku}`;
    taken.set(key, (taken.get(key) ?? 0) + a.quantity);
    expect(taken.get(key)!).toBeLessThanOrEqual(availableAt(stock, a.locationId, a.sku));
  }
  expect(result.shipments.length).toBeLessThanOrEqual(r.maxShipments ?? Infinity);
  for (const l of o.lines) {
    const parts = result.allocations.filter((a) => a.lineId === l.lineId);
    const allocated = parts.reduce((sum, a) => sum + a.quantity, 0);
    const backordered = result.backorders.find((b) => b.lineId === l.lineId)?.quantity ?? 0;
    expect(allocated + backordered).toBe(l.quantity);
    if (l.shipFromLocationId) for (const part of parts) expect(part.locationId).toBe(l.shipFromLocationId);
    if (!l.allowBackorder || r.shipComplete) expect(backordered).toBe(0);
    if (parts.length > 1)
      expect([...eligibleIds].some((id) => availableAt(stock, id, l.sku) >= l.quantity)).toBe(false);
  }
}

describe('plan is optimal on small instances (property)', () => {
  it(
    'matches a brute-force optimum over every feasible assignment',
    () => {
      fc.assert(
        fc.property(instanceArb, (instance) => {
          const result = plan(instance.order, instance.candidates, instance.stock, instance.rules, instance.now, EXACT);
          const optimum = bruteForce(instance);
          expect(result.currency).toBe(instance.rules.rateTables === undefined ? 'USD' : 'EUR');
          if (optimum === null) {
            expect(result.status).toBe('rejected');
            return;
          }
          expect(result.status).not.toBe('rejected');
          expect(result.explanation.search.exhaustive).toBe(true);
          expectFeasible(instance, result);
          const backordered = result.backorders.reduce((sum, b) => sum + b.quantity, 0);
          expect(backordered).toBe(optimum.backordered);
          const tolerance = 1e-12 * Math.max(1, Math.abs(optimum.total));
          expect(Math.abs(result.objective!.total - optimum.total)).toBeLessThanOrEqual(tolerance);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT_MS,
  );

  it(
    'finds the runner-up as the best plan with another set of locations',
    () => {
      fc.assert(
        fc.property(instanceArb, (instance) => {
          const result = plan(instance.order, instance.candidates, instance.stock, instance.rules, instance.now);
          const runnerUp = result.explanation.runnerUp;
          if (result.status === 'rejected' || runnerUp === null) return;
          const chosen = result.explanation.chosen!;
          expect([...runnerUp.locationIds].sort()).not.toEqual([...chosen.locationIds].sort());
          const worse =
            runnerUp.backorderedUnits > chosen.backorderedUnits ||
            (runnerUp.backorderedUnits === chosen.backorderedUnits && runnerUp.total >= chosen.total - 1e-6);
          expect(worse).toBe(true);
        }),
        { numRuns: RUNS / 2 },
      );
    },
    TIMEOUT_MS,
  );

  it(
    'plans the same when the candidates holding none of the ordered SKUs are left out',
    () => {
      fc.assert(
        fc.property(instanceArb, (instance) => {
          const skus = new Set(instance.order.lines.map((l) => l.sku));
          const holders = instance.candidates.filter((c) =>
            [...skus].some((sku) => availableAt(instance.stock, c.id, sku) >= 1),
          );
          const omitted = instance.candidates.length - holders.length;
          const all = plan(instance.order, instance.candidates, instance.stock, instance.rules, instance.now);
          const some = plan(
            { ...instance.order, omittedLocations: omitted },
            holders,
            instance.stock,
            instance.rules,
            instance.now,
          );
          expect(some.status).toBe(all.status);
          expect(some.rejection?.code).toBe(all.rejection?.code);
          expect(some.allocations).toEqual(all.allocations);
          expect(some.backorders).toEqual(all.backorders);
          expect(some.shortfalls).toEqual(all.shortfalls);
          expect(some.objective).toEqual(all.objective);
          expect(some.explanation.chosen?.locationIds).toEqual(all.explanation.chosen?.locationIds);
          expect(some.explanation.runnerUp?.locationIds).toEqual(all.explanation.runnerUp?.locationIds);
          expect(some.explanation.omitted?.count).toBe(omitted);
        }),
        { numRuns: RUNS / 2 },
      );
    },
    TIMEOUT_MS,
  );
});
