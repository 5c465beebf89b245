import { describe, expect, it } from 'vitest';
import { candidate, line, monday, order, places, rules, stockOf } from './fixtures.ts';
import { plan } from './planner.ts';
import type { PlanResult } from './types.ts';

const units = (result: PlanResult, lineId: string) =>
  result.allocations.filter((a) => a.lineId === lineId).reduce((sum, a) => sum + a.quantity, 0);

describe('constraints', () => {
  const twoHalves = stockOf({ a: { A: 3 }, b: { B: 3 } });
  const split = order([line('L1', 'A', 1), line('L2', 'B', 1)]);

  it('maxShipments: rejects when only more locations could fill the order', () => {
    const result = plan(split, [candidate('a'), candidate('b')], twoHalves, rules({ maxShipments: 1 }), monday);
    expect(result.status).toBe('rejected');
    expect(result.rejection).toEqual({
      code: 'max_shipments_exceeded',
      message: 'No combination of at most 1 location can fill every line.',
      maxShipments: 1,
    });
    expect(plan(split, [candidate('a'), candidate('b')], twoHalves, rules({ maxShipments: 2 }), monday).status).toBe(
      'allocated',
    );
  });

  it('maxShipments: back-orders what the allowed locations cannot give', () => {
    const lenient = order([line('L1', 'A', 1), line('L2', 'B', 1, { allowBackorder: true })]);
    const result = plan(lenient, [candidate('a'), candidate('b')], twoHalves, rules({ maxShipments: 1 }), monday);
    expect(result.status).toBe('partially_allocated');
    expect(result.allocations).toEqual([{ locationId: 'a', lineId: 'L1', sku: 'A', quantity: 1 }]);
    expect(result.backorders).toEqual([{ lineId: 'L2', sku: 'B', quantity: 1 }]);
  });

  it('a line splits only when no single eligible location can fill it, and the explanation says so', () => {
    const candidates = [candidate('a', places.newark), candidate('b', places.seattle)];
    const whole = plan(order([line('L1', 'A', 5)]), candidates, stockOf({ a: { A: 3 }, b: { A: 5 } }), rules(), monday);
    expect(whole.allocations).toEqual([{ locationId: 'b', lineId: 'L1', sku: 'A', quantity: 5 }]);
    const parts = plan(order([line('L1', 'A', 5)]), candidates, stockOf({ a: { A: 3 }, b: { A: 4 } }), rules(), monday);
    expect(parts.status).toBe('allocated');
    expect(parts.shipments).toHaveLength(2);
    expect(units(parts, 'L1')).toBe(5);
    expect(parts.explanation.notes).toContain(
      'Line L1 (A × 5) is split over 2 locations: no single eligible location holds 5 (the most at one is 4).',
    );
  });

  it('back-orders: allocates what there is and back-orders the rest of a back-orderable line', () => {
    const result = plan(
      order([line('L1', 'A', 5, { allowBackorder: true }), line('L2', 'B', 1)]),
      [candidate('a')],
      stockOf({ a: { A: 2, B: 1 } }),
      rules(),
      monday,
    );
    expect(result.status).toBe('partially_allocated');
    expect(units(result, 'L1')).toBe(2);
    expect(result.backorders).toEqual([{ lineId: 'L1', sku: 'A', quantity: 3 }]);
    expect(result.shortfalls).toEqual([]);
    expect(result.explanation.notes).toContain('Line L1: 3 of 5 back-ordered (A allows back-orders; 2 allocated now).');
  });

  it('back-orders everything when no location holds a back-orderable SKU', () => {
    const result = plan(
      order([line('L1', 'A', 2, { allowBackorder: true })]),
      [candidate('a')],
      stockOf({}),
      rules(),
      monday,
    );
    expect(result.status).toBe('partially_allocated');
    expect(result.allocations).toEqual([]);
    expect(result.shipments).toEqual([]);
    expect(result.backorders).toEqual([{ lineId: 'L1', sku: 'A', quantity: 2 }]);
    expect(result.objective!.total).toBe(0);
  });

  it('rejects with per-line shortfalls when a line that may not be back-ordered is short', () => {
    const result = plan(
      order([line('L1', 'A', 5), line('L2', 'B', 1)]),
      [candidate('a'), candidate('b')],
      stockOf({ a: { A: 2, B: 1 }, b: { A: 1 } }),
      rules(),
      monday,
    );
    expect(result.status).toBe('rejected');
    expect(result.rejection!.code).toBe('insufficient_stock');
    expect(result.shortfalls).toEqual([{ lineId: 'L1', sku: 'A', requested: 5, available: 3 }]);
    expect(result.allocations).toEqual([]);
    expect(result.objective).toBeNull();
  });

  it('shipComplete: no back-orders — a short back-orderable line rejects the order', () => {
    const lenient = order([line('L1', 'A', 5, { allowBackorder: true })]);
    const stock = stockOf({ a: { A: 2 } });
    expect(plan(lenient, [candidate('a')], stock, rules(), monday).status).toBe('partially_allocated');
    const strict = plan(lenient, [candidate('a')], stock, rules({ shipComplete: true }), monday);
    expect(strict.status).toBe('rejected');
    expect(strict.shortfalls).toEqual([{ lineId: 'L1', sku: 'A', requested: 5, available: 2 }]);
    expect(strict.rejection!.message).toMatch(/Ship-complete is on/);
  });

  it('rejects with no_eligible_location when every candidate is filtered out', () => {
    const result = plan(
      order([line('L1', 'A', 1)]),
      [candidate('a', { active: false })],
      stockOf({ a: { A: 1 } }),
      rules(),
      monday,
    );
    expect(result.rejection).toEqual({
      code: 'no_eligible_location',
      message: 'No candidate location is eligible (1 × inactive).',
    });
  });

  it('re-routes around locations the order excludes', () => {
    const candidates = [candidate('a', places.newark), candidate('b', places.chicago)];
    const stock = stockOf({ a: { A: 1 }, b: { A: 1 } });
    expect(plan(order([line('L1', 'A', 1)]), candidates, stock, rules(), monday).shipments[0]!.locationId).toBe('a');
    const rerouted = plan(
      order([line('L1', 'A', 1)], { excludedLocationIds: ['a'] }),
      candidates,
      stock,
      rules(),
      monday,
    );
    expect(rerouted.shipments[0]!.locationId).toBe('b');
  });

  it('lines ordering the same SKU share its stock', () => {
    const result = plan(
      order([line('L1', 'A', 2), line('L2', 'A', 2)]),
      [candidate('a'), candidate('b')],
      stockOf({ a: { A: 3 }, b: { A: 2 } }),
      rules(),
      monday,
    );
    expect(result.status).toBe('allocated');
    expect(result.shipments).toHaveLength(2);
    expect(units(result, 'L1') + units(result, 'L2')).toBe(4);
  });
});

describe('cut-off in the location time zone', () => {
  const la = candidate('la', { ...places.losAngeles, timezone: 'America/Los_Angeles', cutoffTime: '15:00' });
  const toLosAngeles = order([line('L1', 'A', 1)], {
    destination: places.losAngeles,
    placedAt: '2025-03-03T20:00:00Z',
  });
  const stock = stockOf({ la: { A: 1 } });
  const at1459 = new Date('2025-03-03T22:59:00Z'); // 14:59 PST
  const at1501 = new Date('2025-03-03T23:01:00Z'); // 15:01 PST

  it('14:59 ships today, 15:01 ships tomorrow (the location still qualifies)', () => {
    const before = plan(toLosAngeles, [la], stock, rules(), at1459);
    const after = plan(toLosAngeles, [la], stock, rules(), at1501);
    expect(before.shipments[0]!.promisedDate).toBe('2025-03-04');
    expect(after.shipments[0]!.promisedDate).toBe('2025-03-05');
    expect(before.explanation.notes.some((n) => n.includes('cut-off'))).toBe(false);
    expect(after.explanation.notes).toContain(
      'Location la is past its 15:00 cut-off (America/Los_Angeles): it ships 2025-03-04, the next day.',
    );
  });

  it('excludeAfterCutoff turns 15:01 into an exclusion', () => {
    const strict = rules({ excludeAfterCutoff: true });
    expect(plan(toLosAngeles, [la], stock, strict, at1459).status).toBe('allocated');
    const after = plan(toLosAngeles, [la], stock, strict, at1501);
    expect(after.status).toBe('rejected');
    expect(after.explanation.candidates[0]!.excludedBy.map((e) => e.code)).toEqual(['past_cutoff']);
  });
});

describe('pickup and curbside', () => {
  const store = candidate('store', { type: 'store', ...places.newark, capabilities: ['pickup', 'ship'] });
  const dc = candidate('dc', { ...places.philadelphia, capabilities: ['ship'] });
  const pickup = (overrides = {}) =>
    order([line('L1', 'A', 2), line('L2', 'B', 1)], {
      deliveryMethod: 'pickup',
      pickupLocationId: 'store',
      ...overrides,
    });

  it('allocates everything at the chosen store when it holds every line in full', () => {
    const result = plan(pickup(), [store, dc], stockOf({ store: { A: 2, B: 1 }, dc: { A: 9, B: 9 } }), rules(), monday);
    expect(result.status).toBe('allocated');
    expect(result.deliveryMethod).toBe('pickup');
    expect(result.shipments).toEqual([
      expect.objectContaining({
        locationId: 'store',
        deliveryMethod: 'pickup',
        lineIds: ['L1', 'L2'],
        distanceKm: 0,
        costMinor: 0,
      }),
    ]);
    expect(result.explanation.candidates.find((c) => c.locationId === 'dc')!.excludedBy.map((e) => e.code)).toEqual([
      'not_pickup_location',
      'missing_capability',
    ]);
  });

  it('falls back to shipping when the rules allow it and the customer accepted it, and says so', () => {
    const result = plan(
      pickup({ allowShipFallback: true }),
      [store, dc],
      stockOf({ store: { A: 1, B: 1 }, dc: { A: 9, B: 9 } }),
      rules({ pickupFallback: 'ship' }),
      monday,
    );
    expect(result.status).toBe('allocated');
    expect(result.deliveryMethod).toBe('ship');
    expect(result.explanation.requestedDeliveryMethod).toBe('pickup');
    expect(result.explanation.plannedDeliveryMethod).toBe('ship');
    expect(result.explanation.notes[0]).toBe(
      'Location store does not hold every line in full: L1 (A) needs 2, 1 on hand. The customer accepts shipping and the rules fall back to shipping: planned as a ship order.',
    );
  });

  it('rejects with the store’s shortfalls when the rules do not fall back', () => {
    const result = plan(
      pickup({ allowShipFallback: true }),
      [store, dc],
      stockOf({ store: { A: 1, B: 1 }, dc: { A: 9, B: 9 } }),
      rules(),
      monday,
    );
    expect(result.status).toBe('rejected');
    expect(result.rejection!.code).toBe('pickup_unavailable');
    expect(result.rejection!.message).toMatch(/pickupFallback: reject/);
    expect(result.shortfalls).toEqual([{ lineId: 'L1', sku: 'A', requested: 2, available: 1 }]);
  });

  it('rejects when the customer did not accept shipping, whatever the rules', () => {
    const result = plan(
      pickup(),
      [store, dc],
      stockOf({ store: { A: 1, B: 1 } }),
      rules({ pickupFallback: 'ship' }),
      monday,
    );
    expect(result.rejection!.message).toMatch(/The customer did not accept shipping instead/);
  });

  it('a pickup never back-orders: the store must hold back-orderable lines in full too', () => {
    const lenient = order([line('L1', 'A', 2, { allowBackorder: true })], {
      deliveryMethod: 'pickup',
      pickupLocationId: 'store',
    });
    expect(plan(lenient, [store], stockOf({ store: { A: 1 } }), rules(), monday).status).toBe('rejected');
  });

  it('curbside needs the curbside capability', () => {
    const curbside = pickup({ deliveryMethod: 'curbside' });
    const result = plan(curbside, [store], stockOf({ store: { A: 2, B: 1 } }), rules(), monday);
    expect(result.status).toBe('rejected');
    expect(result.rejection!.message).toMatch(/cannot take curbside orders: Cannot curbside/);
    expect(result.shortfalls.map((s) => s.available)).toEqual([0, 0]);
    const able = candidate('store', { ...store, capabilities: ['curbside'] });
    expect(plan(curbside, [able], stockOf({ store: { A: 2, B: 1 } }), rules(), monday).deliveryMethod).toBe('curbside');
  });

  it('an unknown pickup store falls back or rejects like any other', () => {
    const result = plan(
      pickup({ pickupLocationId: 'elsewhere' }),
      [store],
      stockOf({ store: { A: 2, B: 1 } }),
      rules(),
      monday,
    );
    expect(result.rejection!.message).toMatch(/The chosen store elsewhere is not a candidate/);
  });
});

describe('plan as a function', () => {
  const candidates = ['a', 'b', 'c', 'd'].map((id, i) => candidate(id, { latitude: 35 + i, longitude: -80 - 5 * i }));
  const stock = stockOf({ a: { A: 2, B: 1 }, b: { A: 1, B: 3 }, c: { B: 2 }, d: { A: 5 } });
  const request = order([line('L1', 'A', 2), line('L2', 'B', 2)]);

  it('is deterministic and independent of the candidates’ order', () => {
    const first = plan(request, candidates, stock, rules(), monday);
    expect(plan(request, candidates, stock, rules(), monday)).toEqual(first);
    const reversed = plan(request, [...candidates].reverse(), stock, rules(), monday);
    expect(reversed.allocations).toEqual(first.allocations);
    expect(reversed.objective).toEqual(first.objective);
  });

  it('returns plain JSON: a stored decision reads back equal', () => {
    const result = plan(request, candidates, stock, rules(), monday);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('refuses orders that upstream validation should have stopped', () => {
    expect(() => plan(order([line('L1', 'A', 0)]), candidates, stock, rules(), monday)).toThrow(/positive integer/);
    expect(() => plan(order([]), candidates, stock, rules(), monday)).toThrow(/no lines/);
    expect(() => plan(order([line('L1', 'A', 1), line('L1', 'B', 1)]), candidates, stock, rules(), monday)).toThrow(
      /twice/,
    );
    expect(() => plan(request, [candidates[0]!, candidates[0]!], stock, rules(), monday)).toThrow(/unique/);
    expect(() => plan(request, candidates, stock, rules(), new Date('nope'))).toThrow(/now/);
  });
});
