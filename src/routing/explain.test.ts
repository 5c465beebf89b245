import { describe, expect, it } from 'vitest';
import { candidate, line, monday, order, places, rules, stockOf } from './fixtures.ts';
import { plan } from './planner.ts';
import { criterionNames } from './types.ts';

/** Newark holds everything; Chicago holds everything but is farther; two stores hold one line each; one store is shut. */
function scenario() {
  const candidates = [
    candidate('newark', { name: 'Newark DC', ...places.newark, timezone: 'America/New_York', cutoffTime: '17:00' }),
    candidate('chicago', { name: 'Chicago DC', ...places.chicago }),
    candidate('store-a', { name: 'Philadelphia store', type: 'store', ...places.philadelphia }),
    candidate('store-b', { name: 'Closed store', type: 'store', active: false }),
    candidate('store-c', { name: 'Empty store', type: 'store' }),
  ];
  const stock = stockOf({
    newark: { A: 4, B: 4 },
    chicago: { A: 9, B: 9 },
    'store-a': { A: 1 },
    'store-b': { A: 9, B: 9 },
  });
  const request = order([line('L1', 'A', 1), line('L2', 'B', 2, { weightGrams: 1200 })]);
  return plan(request, candidates, stock, rules(), monday);
}

describe('explanation', () => {
  const result = scenario();
  const { explanation } = result;

  it('lists every candidate once, eligible or not, with each exclusion’s code and reason', () => {
    expect(explanation.candidates.map((c) => c.locationId)).toEqual([
      'newark',
      'chicago',
      'store-a',
      'store-b',
      'store-c',
    ]);
    const byId = Object.fromEntries(explanation.candidates.map((c) => [c.locationId, c]));
    expect(byId.newark).toMatchObject({ name: 'Newark DC', type: 'warehouse', eligible: true, excludedBy: [] });
    expect(byId['store-b']!.eligible).toBe(false);
    expect(byId['store-b']!.excludedBy).toEqual([{ code: 'inactive', reason: 'The location is deactivated.' }]);
    expect(byId['store-c']!.excludedBy).toEqual([{ code: 'no_stock', reason: "Holds none of the order's SKUs." }]);
  });

  it('gives each candidate the scores behind the choice', () => {
    const newark = explanation.candidates.find((c) => c.locationId === 'newark')!;
    expect(newark.scores.distanceKm).toBeGreaterThan(10);
    expect(newark.scores.distanceKm).toBeLessThan(20);
    expect(newark.scores).toMatchObject({
      zone: '2',
      transitDays: 1,
      pastCutoff: false,
      promisedDate: '2025-03-04',
      daysLate: 0,
      capacityRemaining: null,
      linesCovered: ['L1', 'L2'],
      linesHeld: ['L1', 'L2'],
    });
    // 1 × 500 g + 2 × 1200 g = 2.9 kg → 3 started kg in zone 2.
    expect(newark.scores.costMinor).toBe(850 + 3 * 90);
    const store = explanation.candidates.find((c) => c.locationId === 'store-a')!;
    expect(store.scores).toMatchObject({ linesCovered: ['L1'], linesHeld: ['L1'] });
  });

  it('marks the chosen plan and the runner-up, which uses other locations', () => {
    expect(explanation.candidates.filter((c) => c.chosen).map((c) => c.locationId)).toEqual(['newark']);
    expect(explanation.candidates.filter((c) => c.inRunnerUp).map((c) => c.locationId)).toEqual(['chicago']);
    expect(explanation.chosen!.locationIds).toEqual(['newark']);
    expect(explanation.runnerUp!.locationIds).toEqual(['chicago']);
  });

  it('shows every criterion raw and weighted, adding up to the total', () => {
    const chosen = explanation.chosen!;
    expect(chosen.criteria).toEqual(result.objective!.criteria);
    const sum = criterionNames.reduce((total, name) => total + chosen.weighted[name], 0);
    expect(sum).toBeCloseTo(chosen.total, 6);
    expect(chosen.criteria.shipments).toBe(1);
    expect(chosen.criteria.cost).toBe(1120);
  });

  it('says in words why the runner-up lost, criterion by criterion', () => {
    const runnerUp = explanation.runnerUp!;
    expect(runnerUp.deltas.shipments).toBe(0);
    expect(runnerUp.deltas.distance).toBeGreaterThan(1000);
    expect(runnerUp.whyNotChosen).toMatch(
      /^It scores [\d,.]+ more: \+1,1\d\d km \(\+1,1[\d,.]+\), \+\$\d+\.\d\d freight/,
    );
    expect(runnerUp.whyNotChosen).toMatch(/it is better on stock share/);
  });

  it('summarises the decision in one readable sentence', () => {
    expect(explanation.summary).toMatch(
      /^Allocated — 1 shipment: Newark DC \(L1, L2\): 1\d km, \$11\.20, promised 2025-03-04, on time\. Runner-up: 1 shipment: Chicago DC/,
    );
    expect(explanation.rulesSummary).toMatch(
      /^Lowest total wins, after allocating as many units as possible: 1,000,000 × shipments \+ 10,000 × days late/,
    );
    expect(explanation.rulesSummary).toMatch(/SLA for channel web: 5 days\.$/);
    expect(explanation.search).toMatchObject({ exhaustive: true, greedyFallback: false });
  });

  it('explains a rejection with the same candidate list and no plan', () => {
    const rejected = plan(order([line('L1', 'Z', 1)]), [candidate('a')], stockOf({}), rules(), monday);
    expect(rejected.explanation.summary).toBe(
      'Rejected (no_eligible_location): No candidate location is eligible (1 × no_stock).',
    );
    expect(rejected.explanation.candidates).toHaveLength(1);
    expect(rejected.explanation.chosen).toBeNull();
    expect(rejected.explanation.runnerUp).toBeNull();
  });

  it('notes lateness against the channel SLA', () => {
    const late = plan(
      order([line('L1', 'A', 1)], { channelId: 'express', destination: places.seattle }),
      [candidate('newark', { name: 'Newark DC', ...places.newark })],
      stockOf({ newark: { A: 1 } }),
      rules({ slaDays: { default: 5, byChannel: { express: 1 } } }),
      monday,
    );
    expect(late.objective!.criteria.sla).toBe(4);
    expect(late.explanation.notes).toContain(
      'Newark DC promises 2025-03-08, 4 days past the 1 day SLA (due 2025-03-04).',
    );
    expect(late.explanation.runnerUp).toBeNull();
    expect(late.explanation.summary).toMatch(/4 days late\. No other plan was possible\.$/);
  });
});
