import { describe, expect, it } from 'vitest';
import { candidate, line, monday, order, rules, stockOf } from './fixtures.ts';
import { plan } from './planner.ts';
import { search } from './search.ts';
import type { SearchLine, SearchLocation, SearchProblem } from './search-types.ts';

const location = (fixed: number, stock: number[]): SearchLocation => ({
  fixed,
  perKgWeighted: 0,
  stock,
  balancePerUnit: stock.map(() => 0),
});
const wholeLine = (sku: number, quantity = 1): SearchLine => ({
  quantity,
  weightGrams: 0,
  sku,
  backorder: false,
  split: false,
  sharedSku: false,
});

/** A deterministic spread of coordinates and stock over `count` locations. */
function network(count: number, skus: string[]) {
  const candidates = Array.from({ length: count }, (_, i) =>
    candidate(`loc_${i}`, {
      latitude: 30 + ((i * 37) % 170) / 10,
      longitude: -120 + ((i * 53) % 500) / 10,
      priority: i % 3,
    }),
  );
  const levels = Object.fromEntries(
    candidates.map((c, i) => [
      c.id,
      Object.fromEntries(skus.map((sku, s) => [sku, (i * 7 + s * 3) % 5 === 0 ? 4 : 0])),
    ]),
  );
  return { candidates, stock: stockOf(levels) };
}

describe('search', () => {
  it('with a dominant shipments weight never opens a larger set than it needs', () => {
    // Location 1 alone holds both lines; 0 and 2 are cheaper per location but hold one line each.
    const problem: SearchProblem = {
      lines: [wholeLine(0), wholeLine(1)],
      locations: [
        location(1_000_010, [1, 0]),
        location(1_000_500, [1, 1]),
        location(1_000_020, [0, 1]),
        location(1_000_900, [1, 1]),
      ],
      maxShipments: 4,
      maxNodes: 10_000,
    };
    const outcome = search(problem);
    expect(outcome.best!.locations).toEqual([1]);
    expect(outcome.runnerUp!.locations).toEqual([3]);
    expect(outcome.exhaustive).toBe(true);
    // Sets of one location: 4; no pair is ever assigned lines.
    expect(outcome.setsEvaluated).toBe(2);
  });

  it('prunes sets that cannot fill every required line by coverage masks', () => {
    const problem: SearchProblem = {
      lines: [wholeLine(0), wholeLine(1), wholeLine(2)],
      locations: [location(1, [1, 0, 0]), location(1, [0, 1, 0]), location(1, [0, 0, 1]), location(1, [1, 1, 0])],
      maxShipments: 3,
      maxNodes: 10_000,
    };
    const outcome = search(problem);
    expect(outcome.best!.locations).toEqual([2, 3]);
    expect(outcome.runnerUp!.locations).toEqual([0, 1, 2]);
    // No single location qualifies; of the pairs only {2,3} fills every line; of the triples only {0,1,2} adds one.
    expect(outcome.setsEvaluated).toBe(2);
  });

  it('stays exhaustive and well inside its bound on 200 locations', () => {
    const skus = ['A', 'B', 'C', 'D', 'E'];
    const { candidates, stock } = network(200, skus);
    const result = plan(order(skus.map((sku, i) => line(`L${i}`, sku, 1))), candidates, stock, rules(), monday);
    expect(result.status).toBe('allocated');
    expect(result.explanation.search.exhaustive).toBe(true);
    expect(result.explanation.search.nodes).toBeLessThan(20_000);
  });

  it('when the bound is hit, completes greedily, still feasible, and says the plan is not proven optimal', () => {
    const skus = ['A', 'B', 'C', 'D', 'E'];
    const { candidates, stock } = network(60, skus);
    const request = order(skus.map((sku, i) => line(`L${i}`, sku, 3)));
    const exact = plan(request, candidates, stock, rules(), monday);
    const bounded = plan(request, candidates, stock, rules(), monday, { maxSearchNodes: 5 });
    expect(bounded.explanation.search.exhaustive).toBe(false);
    expect(bounded.explanation.search.greedyFallback).toBe(true);
    expect(bounded.status).toBe('allocated');
    expect(bounded.explanation.notes.join(' ')).toMatch(
      /The search was bounded at 5 steps: .* \(completed greedily\), not proven optimal\./,
    );
    expect(bounded.objective!.total).toBeGreaterThanOrEqual(exact.objective!.total);
    for (const l of request.lines) {
      expect(bounded.allocations.filter((a) => a.lineId === l.lineId).reduce((sum, a) => sum + a.quantity, 0)).toBe(
        l.quantity,
      );
    }
  });

  it('stays exact on lines that compete for one SKU under a pure balance objective (regression)', () => {
    const candidates = ['loc_0', 'loc_1', 'loc_2', 'loc_4', 'loc_5'].map((id) =>
      candidate(id, { latitude: 25, longitude: -67 }),
    );
    const stock = stockOf({
      loc_0: { C: 1 },
      loc_1: { B: 3 },
      loc_2: { B: 3, C: 3 },
      loc_4: { B: 3, C: 2 },
      loc_5: { C: 1 },
    });
    const request = order(
      [
        line('L0', 'B', 4, { weightGrams: 0 }),
        line('L1', 'C', 4, { weightGrams: 0, allowBackorder: true }),
        line('L2', 'C', 4, { weightGrams: 0, allowBackorder: true }),
        line('L3', 'C', 1, { weightGrams: 0 }),
      ],
      { destination: null },
    );
    const weights = { shipments: 0, distance: 0, cost: 0, sla: 0, balance: 10, priority: 0 };
    const result = plan(request, candidates, stock, rules({ weights }), monday, { maxSearchNodes: 200_000 });
    expect(result.explanation.search.exhaustive).toBe(true);
    expect(result.backorders.reduce((sum, b) => sum + b.quantity, 0)).toBe(2);
    // Every unit of C (7) and 4 of B are allocated: 10 × (Σ quantity ÷ available at each location).
    expect(result.objective!.total).toBeCloseTo(10 * (1 / 1 + 3 / 3 + 2 / 2 + 1 / 1 + 2 / 3 + 2 / 3), 9);
  });
});
