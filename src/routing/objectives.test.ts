import { describe, expect, it } from 'vitest';
import { candidate, line, monday, order, places, rules, stockOf } from './fixtures.ts';
import { planCriteria, weigh, type LocationFacts } from './objectives.ts';
import { plan } from './planner.ts';
import type { RoutingRules } from './rules.ts';
import { criterionNames, type Candidate, type CriterionName } from './types.ts';

/** Rules that weigh one criterion only (plus a tiny shipments weight when asked). */
function only(name: CriterionName, extra: Partial<RoutingRules['weights']> = {}): RoutingRules {
  const weights = Object.fromEntries(criterionNames.map((n) => [n, 0])) as RoutingRules['weights'];
  return rules({ weights: { ...weights, [name]: 1, ...extra } });
}

const chosenIds = (result: ReturnType<typeof plan>) => result.shipments.map((s) => s.locationId).sort();

describe('objectives', () => {
  it('shipments: one far location holding everything beats two near ones', () => {
    const candidates = [
      candidate('near-a', places.newark),
      candidate('near-b', places.philadelphia),
      candidate('far', places.seattle),
    ];
    const stock = stockOf({ 'near-a': { A: 5 }, 'near-b': { B: 5 }, far: { A: 5, B: 5 } });
    const two = order([line('L1', 'A', 1), line('L2', 'B', 1)]);
    expect(chosenIds(plan(two, candidates, stock, rules(), monday))).toEqual(['far']);
    const result = plan(two, candidates, stock, only('distance'), monday);
    expect(chosenIds(result)).toEqual(['near-a', 'near-b']);
    expect(result.objective!.criteria.shipments).toBe(2);
  });

  it('distance: the nearest location, with the raw kilometres reported', () => {
    const candidates = [candidate('chicago', places.chicago), candidate('newark', places.newark)];
    const result = plan(
      order([line('L1', 'A', 1)]),
      candidates,
      stockOf({ chicago: { A: 9 }, newark: { A: 9 } }),
      only('distance'),
      monday,
    );
    expect(chosenIds(result)).toEqual(['newark']);
    expect(result.objective!.criteria.distance).toBeGreaterThan(10);
    expect(result.objective!.criteria.distance).toBeLessThan(20);
    expect(result.shipments[0]!.distanceKm).toBeCloseTo(result.objective!.criteria.distance, 6);
  });

  it('distance: without a destination it counts 0 and says so', () => {
    const result = plan(
      order([line('L1', 'A', 1)], { destination: null }),
      [candidate('a')],
      stockOf({ a: { A: 1 } }),
      rules(),
      monday,
    );
    expect(result.objective!.criteria.distance).toBe(0);
    expect(result.shipments[0]!.distanceKm).toBeNull();
    expect(result.explanation.notes.join(' ')).toMatch(/no delivery address/);
    expect(result.explanation.chosen!.description).toContain('no delivery address');
  });

  it('distance: an address that could not be located counts 0 and says so, naming it', () => {
    const result = plan(
      order([line('L1', 'A', 1)], { destination: null, unlocatedAddress: 'BR 99999-999' }),
      [candidate('a')],
      stockOf({ a: { A: 1 } }),
      rules(),
      monday,
    );
    expect(result.objective!.criteria.distance).toBe(0);
    expect(result.explanation.notes).toContain(
      'The delivery address (BR 99999-999) could not be located: distance counts as 0 km, with the first band’s zone and transit days.',
    );
    expect(result.explanation.notes.join(' ')).not.toMatch(/no delivery address/);
    expect(result.explanation.chosen!.description).toContain('address not located');
  });

  it('cost: the cheaper zone, base plus started kilograms in minor units', () => {
    const candidates = [candidate('far', places.losAngeles), candidate('near', places.philadelphia)];
    const heavy = order([line('L1', 'A', 3, { weightGrams: 700 })]);
    const result = plan(heavy, candidates, stockOf({ far: { A: 9 }, near: { A: 9 } }), only('cost'), monday);
    expect(chosenIds(result)).toEqual(['near']);
    // Philadelphia → New York is ~130 km: zone 2, 850 + 90 × ceil(2.1 kg).
    expect(result.shipments[0]!.costMinor).toBe(850 + 90 * 3);
    expect(result.objective!.criteria.cost).toBe(1120);
  });

  it('sla: a location that ships before its cut-off beats one past it', () => {
    // 15:00 UTC on Monday: 10:00 in New York, 07:00 in Los Angeles.
    const early = candidate('early', { ...places.newark, timezone: 'America/New_York', cutoffTime: '16:00' });
    const late = candidate('late', { ...places.newark, timezone: 'America/New_York', cutoffTime: '09:00' });
    const tight = rules({ ...only('sla'), slaDays: { default: 1, byChannel: {} } });
    const result = plan(
      order([line('L1', 'A', 1)]),
      [late, early],
      stockOf({ early: { A: 1 }, late: { A: 1 } }),
      tight,
      monday,
    );
    expect(chosenIds(result)).toEqual(['early']);
    expect(result.objective!.criteria.sla).toBe(0);
    expect(result.explanation.runnerUp!.criteria.sla).toBe(1);
  });

  it('balance: the location with more cover', () => {
    const candidates = [candidate('thin'), candidate('deep')];
    const result = plan(
      order([line('L1', 'A', 2)]),
      candidates,
      stockOf({ thin: { A: 2 }, deep: { A: 40 } }),
      only('balance'),
      monday,
    );
    expect(chosenIds(result)).toEqual(['deep']);
    expect(result.objective!.criteria.balance).toBeCloseTo(2 / 40, 12);
  });

  it('balance at its default weight spares a location its last units over 50 km, not over 70 km', () => {
    // Due north of the customer: 1° of latitude ≈ 111.2 km.
    const north = (km: number) => ({ ...places.newYork, latitude: places.newYork.latitude + km / 111.2 });
    const choose = (extraKm: number) => {
      const candidates = [candidate('last-unit', north(10)), candidate('well-stocked', north(10 + extraKm))];
      return plan(
        order([line('L1', 'A', 1)]),
        candidates,
        stockOf({ 'last-unit': { A: 1 }, 'well-stocked': { A: 1000 } }),
        rules(),
        monday,
      );
    };
    const spared = choose(50);
    expect(chosenIds(spared)).toEqual(['well-stocked']);
    const taken = choose(70);
    expect(chosenIds(taken)).toEqual(['last-unit']);
    // Distance and balance decide: freight and promise are the same from both.
    for (const result of [spared, taken]) {
      expect(result.objective!.criteria.cost).toBe(result.explanation.runnerUp!.criteria.cost);
      expect(result.objective!.criteria.sla).toBe(result.explanation.runnerUp!.criteria.sla);
    }
    expect(taken.objective!.criteria.balance).toBe(1);
  });

  it('sla: an old order imported now is scored from its receipt, not as months late', () => {
    const nearLate = candidate('near', { ...places.newark, cutoffTime: null });
    const imported = order([line('L1', 'A', 1)], {
      placedAt: '2024-06-01T12:00:00Z',
      receivedAt: '2025-03-03T14:00:00Z',
    });
    const result = plan(imported, [nearLate], stockOf({ near: { A: 1 } }), rules(), monday);
    expect(result.shipments[0]!.daysLate).toBe(0);
    expect(result.objective!.criteria.sla).toBe(0);
    expect(result.explanation.notes).toContain(
      'Placed 2024-06-01 and received 2025-03-03, after its 5-day SLA had run out: the SLA counts from receipt.',
    );
    // Received within its SLA: the clock stays at placement (a day-old order promised in two days).
    const recent = order([line('L1', 'A', 1)], {
      placedAt: '2025-03-02T14:00:00Z',
      receivedAt: '2025-03-03T14:00:00Z',
    });
    const kept = plan(recent, [nearLate], stockOf({ near: { A: 1 } }), rules(), monday);
    expect(kept.explanation.notes.join(' ')).not.toMatch(/counts from receipt/);
  });

  it('priority: the higher store priority, as −Σ priority', () => {
    const candidates = [candidate('low', { priority: 1 }), candidate('high', { priority: 7 })];
    const result = plan(
      order([line('L1', 'A', 1)]),
      candidates,
      stockOf({ low: { A: 1 }, high: { A: 1 } }),
      only('priority'),
      monday,
    );
    expect(chosenIds(result)).toEqual(['high']);
    expect(result.objective!.criteria.priority).toBe(-7);
    expect(result.objective!.total).toBe(-7);
  });

  it('total = Σ weight × criterion, with every term shown', () => {
    const facts = (distanceKm: number, daysLate: number, priority: number): LocationFacts => ({
      distanceKm,
      zone: '3',
      rate: { baseMinor: 900, perKgMinor: 110 },
      promise: {
        pastCutoff: false,
        transitDays: 2,
        departureDay: 0,
        promisedDay: 2,
        deadlineDay: 1,
        promisedDate: '1970-01-03',
        daysLate,
      },
      priority,
      fixedScore: 0,
    });
    const criteria = planCriteria([
      { facts: facts(100, 1, 2), weightGrams: 1500, balance: 0.5 },
      { facts: facts(300, 0, -1), weightGrams: 0, balance: 0.25 },
    ]);
    expect(criteria).toEqual({
      shipments: 2,
      distance: 400,
      cost: 900 + 220 + 900,
      sla: 1,
      balance: 0.75,
      priority: -1,
    });
    const weights = { shipments: 1000, distance: 2, cost: 1, sla: 50, balance: 4, priority: 10 };
    const objective = weigh(criteria, weights);
    expect(objective.weighted).toEqual({
      shipments: 2000,
      distance: 800,
      cost: 2020,
      sla: 50,
      balance: 3,
      priority: -10,
    });
    expect(objective.total).toBe(2000 + 800 + 2020 + 50 + 3 - 10);
  });

  it('reports the fixed part of each candidate as a lower bound of its share', () => {
    const c: Candidate = candidate('a', { ...places.philadelphia, priority: 2 });
    const result = plan(order([line('L1', 'A', 1)]), [c], stockOf({ a: { A: 1 } }), rules(), monday);
    const scores = result.explanation.candidates[0]!.scores;
    expect(scores.fixedScore).toBeLessThanOrEqual(result.objective!.total);
    expect(scores).toMatchObject({ zone: '2', transitDays: 1, priority: 2, linesCovered: ['L1'], linesHeld: ['L1'] });
  });
});
