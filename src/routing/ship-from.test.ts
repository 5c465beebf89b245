import { describe, expect, it } from 'vitest';
import { candidate, line, monday, order, places, rules, stockOf } from './fixtures.ts';
import { planWithKits } from './kits.ts';
import { plan } from './planner.ts';

// A warehouse next to the customer in New York, and a marketplace seller in Los Angeles.
const near = candidate('near', { name: 'Newark DC', ...places.newark, timezone: 'America/New_York' });
const seller = candidate('seller_42', { name: 'Seller 42', ...places.losAngeles, timezone: 'America/Los_Angeles' });

describe('a line the order names a ship-from location for', () => {
  it('ships from that location even when another is nearer and cheaper', () => {
    const stock = stockOf({ near: { A: 5, B: 5 }, seller_42: { A: 5, B: 5 } });
    const free = plan(order([line('1', 'A', 1)]), [near, seller], stock, rules(), monday);
    expect(free.allocations.map((a) => a.locationId)).toEqual(['near']);

    const pinned = plan(
      order([line('1', 'A', 1, { shipFromLocationId: 'seller_42' })]),
      [near, seller],
      stock,
      rules(),
      monday,
    );
    expect(pinned.status).toBe('allocated');
    expect(pinned.allocations).toEqual([{ locationId: 'seller_42', lineId: '1', sku: 'A', quantity: 1 }]);
    expect(pinned.explanation.notes).toContain('Line 1 ships from Seller 42: named by the order.');
  });

  it('routes the other lines as usual, and lets them ride along when that is cheaper', () => {
    const stock = stockOf({ near: { A: 5, B: 5 }, seller_42: { A: 5, B: 5 } });
    const lines = [line('1', 'A', 1, { shipFromLocationId: 'seller_42' }), line('2', 'B', 1)];
    const result = plan(order(lines), [near, seller], stock, rules(), monday);
    // One shipment from the seller beats a second from the nearer warehouse (shipments weigh most).
    expect(result.allocations.map((a) => [a.lineId, a.locationId])).toEqual([
      ['1', 'seller_42'],
      ['2', 'seller_42'],
    ]);
    expect(result.shipments).toHaveLength(1);
    expect(result.explanation.notes).toContain('Line 1 ships from Seller 42: named by the order.');
    // The runner-up is the free line from the nearer warehouse: a second shipment.
    expect(result.explanation.runnerUp?.locationIds).toEqual(['near', 'seller_42']);
  });

  it('takes the free line elsewhere when the named location has no stock of it', () => {
    const stock = stockOf({ near: { B: 5 }, seller_42: { A: 1 } });
    const lines = [line('1', 'A', 1, { shipFromLocationId: 'seller_42' }), line('2', 'B', 2)];
    const result = plan(order(lines), [near, seller], stock, rules(), monday);
    expect(result.status).toBe('allocated');
    expect(result.allocations.map((a) => [a.lineId, a.locationId, a.quantity])).toEqual([
      ['1', 'seller_42', 1],
      ['2', 'near', 2],
    ]);
  });

  it('refuses a required line its named location cannot fill, though another location could', () => {
    const stock = stockOf({ near: { A: 5 }, seller_42: { A: 1 } });
    const result = plan(
      order([line('1', 'A', 3, { shipFromLocationId: 'seller_42' })]),
      [near, seller],
      stock,
      rules(),
      monday,
    );
    expect(result.status).toBe('rejected');
    expect(result.rejection?.code).toBe('insufficient_stock');
    expect(result.shortfalls).toEqual([{ lineId: '1', sku: 'A', requested: 3, available: 1 }]);
    expect(result.rejection?.message).toContain(
      '1 (A) needs 3, 1 available at seller_42, the location the order names',
    );
    expect(result.explanation.notes).toContain(
      'Line 1 may only ship from Seller 42 (named by the order), which has 1 of A available for 3; 0 of 3 placed there.',
    );
  });

  it('back-orders a back-orderable line at a named location without stock, and ships the rest', () => {
    const stock = stockOf({ near: { A: 5, B: 5 } });
    const lines = [line('1', 'A', 2, { shipFromLocationId: 'seller_42', allowBackorder: true }), line('2', 'B', 1)];
    const result = plan(order(lines), [near, seller], stock, rules(), monday);
    expect(result.status).toBe('partially_allocated');
    expect(result.allocations).toEqual([{ locationId: 'near', lineId: '2', sku: 'B', quantity: 1 }]);
    expect(result.backorders).toEqual([{ lineId: '1', sku: 'A', quantity: 2 }]);
    const note = result.explanation.notes.find((n) => n.startsWith('Line 1 may only ship from Seller 42'));
    expect(note).toContain('which is excluded');
    expect(note).toContain('0 of 2 placed there');
  });

  it('gives a line nothing from a named location the filters exclude', () => {
    const stock = stockOf({ near: { A: 5 }, seller_42: { A: 5 } });
    const inactive = { ...seller, active: false };
    const result = plan(
      order([line('1', 'A', 1, { shipFromLocationId: 'seller_42' })]),
      [near, inactive],
      stock,
      rules(),
      monday,
    );
    expect(result.status).toBe('rejected');
    expect(result.allocations).toEqual([]);
  });

  it('splits a free line over locations but never a pinned one', () => {
    const stock = stockOf({ near: { A: 2 }, seller_42: { A: 2 } });
    const free = plan(order([line('1', 'A', 3)]), [near, seller], stock, rules(), monday);
    expect(free.allocations).toHaveLength(2);
    const pinned = plan(
      order([line('1', 'A', 3, { shipFromLocationId: 'near', allowBackorder: true })]),
      [near, seller],
      stock,
      rules(),
      monday,
    );
    expect(pinned.allocations).toEqual([{ locationId: 'near', lineId: '1', sku: 'A', quantity: 2 }]);
    expect(pinned.backorders).toEqual([{ lineId: '1', sku: 'A', quantity: 1 }]);
  });

  it('lets lines of one SKU share the named location’s stock with the free lines', () => {
    const stock = stockOf({ near: { A: 2 }, seller_42: { A: 2 } });
    const lines = [line('1', 'A', 2, { shipFromLocationId: 'seller_42' }), line('2', 'A', 2)];
    const result = plan(order(lines), [near, seller], stock, rules(), monday);
    expect(result.allocations.map((a) => [a.lineId, a.locationId, a.quantity])).toEqual([
      ['1', 'seller_42', 2],
      ['2', 'near', 2],
    ]);
  });

  it('takes a split kit’s components from the named location only', () => {
    // The seller holds no whole kit of K (= 1 × A + 1 × B); the components are spread elsewhere.
    const leaves = new Map([
      [
        'K',
        [
          { sku: 'A', quantity: 1 },
          { sku: 'B', quantity: 1 },
        ],
      ],
    ]);
    const stock = stockOf({ near: { A: 1 }, seller_42: { B: 1 } });
    const split = rules({ bundles: 'split_components' });
    const free = planWithKits(order([line('1', 'K', 1)]), [near, seller], stock, split, leaves, monday);
    expect(free.status).toBe('allocated');
    const pinned = planWithKits(
      order([line('1', 'K', 1, { shipFromLocationId: 'seller_42', allowBackorder: true })]),
      [near, seller],
      stock,
      split,
      leaves,
      monday,
    );
    expect(pinned.allocations).toEqual([]);
    expect(pinned.backorders).toEqual([{ lineId: '1', sku: 'K', quantity: 1 }]);
  });
});
