import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../src/db/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { tableCounts } from '../support/invariants.ts';
import { greatCircleKm, runSimulation } from '../support/simulations.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let database: TestDatabase;
let server: TestServer;
const ids = { near: '', west: '' };
let draftVersion: number;
/** Before any stock was received. */
let beforeStock: string;

// Orders go to Manhattan. NEAR is a store 1 km away, WEST a warehouse in Reno (about 3,900 km).
const NYC = { latitude: 40.7484, longitude: -73.9857 };
const NEAR = { latitude: 40.7506, longitude: -73.9972 };
const WEST = { latitude: 39.5296, longitude: -119.8138 };

const km = greatCircleKm;

async function must(method: 'POST' | 'PUT', path: string, body: unknown) {
  const response = await server.request(method, path, { body });
  expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
  return response.body;
}

const simulate = (body: Record<string, unknown>) => runSimulation(server, body);

async function changes(id: string) {
  const response = await server.request('GET', `/v1/routing/simulations/${id}/changes?limit=100`);
  return response.body.data as { order_id: string; external_id: string; baseline: any; draft: any }[];
}

const shipTo = { line1: '350 5th Ave', city: 'New York', postal_code: '10118', country: 'US', ...NYC };
const setOrder = (external_id: string, placed_at: string, quantity = 1) => ({
  external_id,
  placed_at,
  shipping_address: shipTo,
  lines: [{ sku: 'A', quantity }],
});

/** Three orders of one A each, uploaded out of placed order, and three that are not valid. */
const upload = () => ({
  name: 'Peak rehearsal',
  channel: 'web',
  orders: [
    setOrder('P-2', '2026-11-02T10:00:00Z'),
    setOrder('P-1', '2026-11-01T10:00:00Z'),
    { ...setOrder('P-X', '2026-11-01T11:00:00Z'), lines: [{ sku: 'NOPE', quantity: 1 }] },
    setOrder('P-3', '2026-11-03T10:00:00Z'),
    { ...setOrder('P-Y', 'last tuesday'), delivery_method: 'drone' },
    setOrder('P-1', '2026-11-04T10:00:00Z'),
  ],
});

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  const location = async (code: string, type: string, at: typeof NYC, priority: number) =>
    (
      await must('POST', '/v1/locations', {
        code,
        type,
        name: code,
        address: { line1: '1 Main St', city: code, country: 'US' },
        ...at,
        timezone: 'America/New_York',
        capabilities: ['ship'],
        priority,
      })
    ).id as string;
  ids.near = await location('NEAR', 'store', NEAR, 0);
  ids.west = await location('WEST', 'warehouse', WEST, 10);
  const group = await must('POST', '/v1/location-groups', {
    code: 'all',
    name: 'All',
    location_ids: [ids.near, ids.west],
  });
  await must('POST', '/v1/channels', { code: 'web', name: 'Web', type: 'web', location_group_id: group.id });
  await must('POST', '/v1/products', { sku: 'A', name: 'Product A', weight_grams: 500 });
  beforeStock = new Date().toISOString();
  await new Promise((resolve) => setTimeout(resolve, 5));
  await must('PUT', `/v1/inventory/${ids.near}/A`, { on_hand: 1 });
  await must('PUT', `/v1/inventory/${ids.west}/A`, { on_hand: 5 });
  const draft = await must('PUT', '/v1/routing/rules', {
    rules: {
      ...(await server.request('GET', '/v1/routing/rules')).body.defaults,
      weights: { shipments: 1_000_000, sla: 0, cost: 0, distance: 0, balance: 0, priority: 1_000 },
    },
    notes: 'warehouse first',
  });
  draftVersion = draft.version;
}, 60_000);

afterAll(async () => {
  await server?.close();
  await database?.close();
});

describe('POST /v1/routing/order-sets', () => {
  it('stores the valid orders of an upload and reports each rejected one by row and field', async () => {
    const response = await server.request('POST', '/v1/routing/order-sets', { body: upload() });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body.order_set).toMatchObject({
      name: 'Peak rehearsal',
      orders: 3,
      first_placed_at: '2026-11-01T10:00:00.000Z',
      last_placed_at: '2026-11-03T10:00:00.000Z',
    });
    expect(response.body.rejected).toEqual([
      { row: 3, field: 'lines[0].sku', problem: 'NOPE is not in the catalogue' },
      { row: 5, field: 'placed_at', problem: 'must be an ISO 8601 date and time' },
      { row: 5, field: 'delivery_method', problem: 'must be one of ship, pickup, curbside' },
      { row: 6, field: 'external_id', problem: 'P-1 is already in the set' },
    ]);
    const id = response.body.order_set.id;
    expect((await server.request('GET', `/v1/routing/order-sets/${id}`)).body).toEqual(response.body.order_set);
    expect((await server.request('GET', '/v1/routing/order-sets')).body.data[0].id).toBe(id);
    expect((await server.request('GET', '/v1/routing/order-sets/oset_nope')).status).toBe(404);
  });

  it('refuses a set with no valid order, or a bad channel, writing nothing', async () => {
    const count = async () => (await query(database.db, sql`select id from routing_order_sets`)).length;
    const n = await count();
    const cases: [unknown, number, string][] = [
      [{ channel: 'web', orders: [{ external_id: 'Z', placed_at: 'never', lines: [] }] }, 400, 'validation_failed'],
      [{ channel: 'web', orders: [] }, 400, 'validation_failed'],
      [{ channel: 'nope', orders: [setOrder('Z', '2026-11-01T10:00:00Z')] }, 404, 'not_found'],
      [{ orders: [setOrder('Z', '2026-11-01T10:00:00Z')] }, 400, 'validation_failed'],
      [{ channel: 'web', stock_at: 'soon', orders: [setOrder('Z', '2026-11-01T10:00:00Z')] }, 400, 'validation_failed'],
    ];
    for (const [body, status, code] of cases) {
      const response = await server.request('POST', '/v1/routing/order-sets', { body });
      expect(response.status, JSON.stringify(body)).toBe(status);
      expect(response.body.code).toBe(code);
    }
    expect(await count()).toBe(n);
  });
});

describe('simulating an order set', () => {
  it("replays the set in placed order on the stock at its stock_at, each rule set's decisions taking it", async () => {
    const set = (await must('POST', '/v1/routing/order-sets', upload())).order_set;
    const before = await tableCounts(database.db);
    const levels = await query(database.db, sql`select * from stock_levels order by location_id, sku`);
    const result = await simulate({ order_set: set.id, rules_version: draftVersion });
    expect(result.status, result.error).toBe('succeeded');
    const figures = result.result;
    expect(figures.stock_basis).toBe('snapshot');
    expect(figures.stock_basis_note).toMatch(/stock_at/);
    expect(figures.order_set).toEqual({ id: set.id, name: 'Peak rehearsal', stock_at: set.stock_at });
    expect(figures.orders).toBe(3);
    // The defaults send P-1 (placed first) to NEAR, which then has none: P-2 and P-3 go to WEST.
    // The draft sends all three to WEST: P-1 alone changes.
    expect(figures.baseline).toMatchObject({ orders: 3, allocated: 3, shipments: 3, unroutable: 0 });
    expect(figures.draft).toMatchObject({ orders: 3, allocated: 3, shipments: 3, unroutable: 0 });
    expect(figures.baseline.distance_km).toBeCloseTo(km(NEAR, NYC) + 2 * km(WEST, NYC), 0);
    expect(figures.draft.distance_km).toBeCloseTo(3 * km(WEST, NYC), 0);
    const changed = await changes(result.id);
    expect(changed.map((c) => c.external_id)).toEqual(['P-1']);
    expect(changed[0]!.baseline.allocations.map((a: { location_id: string }) => a.location_id)).toEqual([ids.near]);
    expect(changed[0]!.draft.allocations.map((a: { location_id: string }) => a.location_id)).toEqual([ids.west]);
    expect(changed[0]!.order_id).toBe(`${set.id}.2`);
    const load = Object.fromEntries(figures.load.map((l: { location_id: string }) => [l.location_id, l]));
    expect(load[ids.near].baseline).toMatchObject({ orders: 1, units: 1 });
    expect(load[ids.west].draft).toMatchObject({ orders: 3, units: 3 });

    // Nothing live moved: only the simulation's own rows were written.
    const after = await tableCounts(database.db);
    expect(after).toEqual(before);
    expect(await query(database.db, sql`select * from stock_levels order by location_id, sku`)).toEqual(levels);

    // Live stock changes after the upload do not change the set's replay: byte-identical.
    await must('PUT', `/v1/inventory/${ids.near}/A`, { on_hand: 50 });
    const again = await simulate({ order_set: set.id, rules_version: draftVersion });
    expect(JSON.stringify(again.result)).toBe(JSON.stringify(result.result));
    expect(JSON.stringify(await changes(again.id))).toBe(JSON.stringify(changed));
    await must('PUT', `/v1/inventory/${ids.near}/A`, { on_hand: 1 });
  });

  it('replays a set on the stock of an earlier stock_at: none was there, so nothing routes', async () => {
    const set = (await must('POST', '/v1/routing/order-sets', { ...upload(), stock_at: beforeStock })).order_set;
    const result = await simulate({ order_set: set.id, rules_version: draftVersion });
    expect(result.status, result.error).toBe('succeeded');
    expect(result.result.baseline).toMatchObject({ orders: 3, allocated: 0, unroutable: 3 });
    expect(result.result.draft).toMatchObject({ orders: 3, allocated: 0, unroutable: 3 });
    expect(result.result.changed_orders).toBe(0);
  });

  it('refuses a set with a period or another stock basis, and an unknown set', async () => {
    const set = (await must('POST', '/v1/routing/order-sets', upload())).order_set;
    const count = async () => (await query(database.db, sql`select id from routing_simulations`)).length;
    const n = await count();
    const cases: [Record<string, unknown>, number, string][] = [
      [
        { order_set: set.id, from: '2026-11-01', to: '2026-11-05', rules_version: draftVersion },
        400,
        'validation_failed',
      ],
      [{ order_set: set.id, stock_basis: 'ledger', rules_version: draftVersion }, 400, 'validation_failed'],
      [
        { from: '2026-11-01', to: '2026-11-05', stock_basis: 'snapshot', rules_version: draftVersion },
        400,
        'validation_failed',
      ],
      [{ order_set: 'oset_nope', rules_version: draftVersion }, 404, 'not_found'],
      [{ rules_version: draftVersion }, 400, 'validation_failed'],
    ];
    for (const [body, status, code] of cases) {
      const response = await server.request('POST', '/v1/routing/simulations', { body });
      expect(response.status, JSON.stringify(body)).toBe(status);
      expect(response.body.code).toBe(code);
    }
    expect(await count()).toBe(n);
  });
});
