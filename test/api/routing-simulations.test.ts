import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../src/db/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { tableCounts } from '../support/invariants.ts';
import { orderBody, placeOrder } from '../support/orders.ts';
import { greatCircleKm, runSimulation } from '../support/simulations.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let database: TestDatabase;
let server: TestServer;
const ids = { near: '', west: '' };
const orders: Record<string, string> = {};
let from: string;
let to: string;
let draftVersion: number;

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

const simulate = (body: Record<string, unknown>, path?: string) => runSimulation(server, body, { path });

async function changes(id: string) {
  const all: { order_id: string; baseline: any; draft: any }[] = [];
  let cursor: string | null = null;
  do {
    const page: { body: { data: typeof all; next_cursor: string | null } } = await server.request(
      'GET',
      `/v1/routing/simulations/${id}/changes?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
    );
    all.push(...page.body.data);
    cursor = page.body.next_cursor;
  } while (cursor);
  return all;
}

const locationsOf = (decision: { allocations: { location_id: string }[] }) =>
  [...new Set(decision.allocations.map((a) => a.location_id))].sort();

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  from = new Date(Date.now() - 60_000).toISOString();
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
  for (const sku of ['A', 'B']) await must('POST', '/v1/products', { sku, name: `Product ${sku}`, weight_grams: 500 });
  await must('PUT', `/v1/inventory/${ids.near}/A`, { on_hand: 5 });
  await must('PUT', `/v1/inventory/${ids.west}/A`, { on_hand: 5 });
  await must('PUT', `/v1/inventory/${ids.west}/B`, { on_hand: 5 });

  // Placed under the default rules: nearest first, one shipment whenever one location can fill.
  const shipTo = { name: 'Pat', line1: '350 5th Ave', city: 'New York', postal_code: '10118', country: 'US', ...NYC };
  const lines: [string, { sku: string; quantity: number }[]][] = [
    ['o1', [{ sku: 'A', quantity: 1 }]],
    ['o2', [{ sku: 'A', quantity: 2 }]],
    ['o3', [{ sku: 'B', quantity: 1 }]],
    [
      'o4',
      [
        { sku: 'A', quantity: 1 },
        { sku: 'B', quantity: 1 },
      ],
    ],
    ['o5', [{ sku: 'A', quantity: 3 }]],
  ];
  for (const [external, spec] of lines) {
    const placed = await placeOrder(server, orderBody(`SIM-${external}`, spec, { shipping_address: shipTo }));
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    orders[external] = placed.body.id;
  }
  to = new Date(Date.now() + 60_000).toISOString();

  // The draft: store priority above everything but the number of shipments, so WEST (priority 10) ships.
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

describe('POST /v1/routing/simulations', () => {
  it('replays past orders under the draft and the active rules on the stock each order met, and touches nothing live', async () => {
    const before = await tableCounts(database.db);
    const levels = await query(database.db, sql`select * from stock_levels order by location_id, sku`);
    const result = await simulate({ from, to, rules_version: draftVersion });
    expect(result.status, result.error).toBe('succeeded');
    expect(result.progress).toEqual({ orders_done: 5, orders_total: 5 });
    const figures = result.result;
    expect(figures.stock_basis).toBe('ledger');
    expect(figures.rule_sets).toEqual({
      baseline: { version: null, source: 'defaults' },
      draft: { version: draftVersion, source: 'version' },
    });

    // The active rules on the recorded stock decide what capture decided: o1 and o2 from NEAR,
    // o3 and o4 from WEST (the only one with B), o5 from WEST (NEAR had 2 of A left for 3).
    const actual = await query<{ order_id: string; location_id: string }>(
      database.db,
      sql`select order_id, location_id from fulfillment_orders order by order_id`,
    );
    expect(actual.map((f) => f.location_id).sort()).toEqual([ids.near, ids.near, ids.west, ids.west, ids.west].sort());
    expect(figures.baseline).toMatchObject({ orders: 5, allocated: 5, unroutable: 0, shipments: 5, split_rate: 0 });
    // Under the draft every order ships from WEST: o1 and o2 change, nothing else.
    expect(figures.draft).toMatchObject({ orders: 5, allocated: 5, shipments: 5 });
    expect(figures.changed_orders).toBe(2);
    const changed = await changes(result.id);
    expect(changed.map((c) => c.order_id)).toEqual([orders.o1, orders.o2]);
    for (const c of changed) {
      const order = (await server.request('GET', `/v1/orders/${c.order_id}`)).body;
      const recorded = [...new Set(order.allocations.map((a: { location_id: string }) => a.location_id))].sort();
      expect(locationsOf(c.baseline)).toEqual(recorded);
      expect(locationsOf(c.draft)).toEqual([ids.west]);
      expect(c.draft.explanation.chosen.locationIds).toEqual([ids.west]);
      expect(c.baseline.explanation.chosen.locationIds).toEqual([ids.near]);
    }

    // Two orders now travel from Reno instead of across the street.
    const further = 2 * (km(WEST, NYC) - km(NEAR, NYC));
    expect(figures.delta.distance_km).toBeGreaterThan(further - 0.5);
    expect(figures.delta.distance_km).toBeLessThan(further + 0.5);
    expect(figures.delta.shipments).toBe(0);
    expect(figures.delta.shipping_cost[0].currency).toBe('USD');
    expect(figures.delta.shipping_cost[0].minor).toBeGreaterThan(0);

    const load = Object.fromEntries(figures.load.map((l: { location_id: string }) => [l.location_id, l]));
    expect(load[ids.west].baseline).toMatchObject({ orders: 3, units: 1 + 2 + 3 });
    expect(load[ids.west].draft).toMatchObject({ orders: 5, units: 1 + 2 + 1 + 2 + 3 });
    expect(load[ids.near].baseline).toMatchObject({ orders: 2, units: 3 });
    expect(load[ids.near].draft).toMatchObject({ orders: 0, units: 0 });

    // Live stock, the ledger and every other table are as they were.
    const after = await tableCounts(database.db);
    expect(after).toEqual(before);
    expect(await query(database.db, sql`select * from stock_levels order by location_id, sku`)).toEqual(levels);
  });

  it("replays stock from the period's start when asked: the draft's own choices leave o5 stock at NEAR", async () => {
    const result = await simulate({ from, to, rules_version: draftVersion, stock_basis: 'replay' });
    expect(result.status, result.error).toBe('succeeded');
    // The draft's world took 1 + 2 + 1 of A at WEST, leaving 1: o5's 3 come from NEAR, which kept all 5.
    expect(result.result.changed_orders).toBe(3);
    const changed = await changes(result.id);
    expect(changed.map((c) => c.order_id)).toEqual([orders.o1, orders.o2, orders.o5]);
    const o5 = changed[2]!;
    expect(locationsOf(o5.baseline)).toEqual([ids.west]);
    expect(locationsOf(o5.draft)).toEqual([ids.near]);
    expect(result.result.stock_basis_note).toMatch(/replaced by what each rule set's decisions take/);
  });

  it('gives byte-identical results for the same inputs', async () => {
    const a = await simulate({ from, to, rules_version: draftVersion, stock_basis: 'replay' });
    const b = await simulate({ from, to, rules_version: draftVersion, stock_basis: 'replay' });
    expect(a.id).not.toBe(b.id);
    expect(JSON.stringify(b.result)).toBe(JSON.stringify(a.result));
    expect(JSON.stringify(await changes(b.id))).toBe(JSON.stringify(await changes(a.id)));
    const stored = await query<{ id: string; text: string }>(
      database.db,
      sql`select id, result::text as text from routing_simulations where id in (${a.id}, ${b.id})`,
    );
    expect(stored[0]!.text).toBe(stored[1]!.text);
  });

  it('takes rules inline, and refuses bad input with nothing written', async () => {
    const inline = await simulate({
      from,
      to,
      rules: (await server.request('GET', '/v1/routing/rules')).body.defaults,
    });
    expect(inline.status).toBe('succeeded');
    expect(inline.result.changed_orders).toBe(0);
    expect(inline.result.rule_sets.draft).toEqual({ version: null, source: 'inline' });

    const count = async () => (await query(database.db, sql`select id from routing_simulations`)).length;
    const n = await count();
    const cases: [Record<string, unknown>, number, string][] = [
      [{ from, to }, 400, 'validation_failed'],
      [{ from, to, rules_version: draftVersion, rules: {} }, 400, 'validation_failed'],
      [{ from: to, to: from, rules_version: draftVersion }, 400, 'validation_failed'],
      [{ from: 'yesterday!', to, rules_version: draftVersion }, 400, 'validation_failed'],
      [{ from, to, rules_version: 999 }, 404, 'not_found'],
      [{ from, to, rules_version: draftVersion, channel: 'nope' }, 404, 'not_found'],
      [{ from, to, rules: { weights: { shipments: -1 } } }, 400, 'validation_failed'],
      [{ from, to, rules_version: draftVersion, surprise: 1 }, 400, 'validation_failed'],
    ];
    for (const [body, status, code] of cases) {
      const response = await server.request('POST', '/v1/routing/simulations', { body });
      expect(response.status, JSON.stringify(body)).toBe(status);
      expect(response.body.code).toBe(code);
    }
    expect(await count()).toBe(n);
    expect((await server.request('GET', '/v1/routing/simulations/sim_nope')).status).toBe(404);
  });

  it('lists simulations newest first and answers the fixed path POST /v1/routing/simulate', async () => {
    const done = await simulate({ from, to, rules_version: draftVersion, channel: 'web' }, '/v1/routing/simulate');
    expect(done.result.changed_orders).toBe(2);
    const list = await server.request('GET', '/v1/routing/simulations?limit=2');
    expect(list.body.data[0].id).toBe(done.id);
    expect(list.body.data[0]).not.toHaveProperty('result.baseline');
    expect(list.body.next_cursor).not.toBeNull();
  });
});
