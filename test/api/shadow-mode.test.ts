import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importOrders } from '../../src/connectors/index.ts';
import { queryOne } from '../../src/db/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createSmallNetwork, setStock, type SmallNetwork } from '../support/fixtures.ts';
import { orderBody, placeOrder } from '../support/orders.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let database: TestDatabase;
let server: TestServer;
let net: SmallNetwork;
const decided: Record<string, { location_id: string; sku: string; quantity: number }[]> = {};
const totals: Record<string, number> = {};
const today = new Date().toISOString().slice(0, 10);

/** What shows that nothing was reserved, written for orders, announced or queued to send. */
const footprint = () =>
  queryOne<Record<string, number>>(
    database.db,
    sql`select (select count(*)::int from events) as events, (select count(*)::int from orders) as orders,
               (select coalesce(sum(reserved), 0)::int from stock_levels) as reserved,
               (select count(*)::int from inventory_ledger) as ledger, (select count(*)::int from reservations) as holds,
               (select count(*)::int from webhook_deliveries) as deliveries`,
  );

const ndjson = (records: unknown[]) => ({
  rawBody: records.map((r) => JSON.stringify(r)).join('\n'),
  headers: { 'content-type': 'application/x-ndjson' },
});
const usd = (amount: number) => ({ amount, currency: 'USD' });
const other = (location: string) => (location === net.storeA ? net.storeB : net.storeA);

async function place(externalId: string, sku: string, quantity: number) {
  const response = await placeOrder(server, orderBody(externalId, [{ sku, quantity }]));
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  decided[externalId] = response.body.decision.allocations;
  totals[externalId] = response.body.total.amount;
  return response;
}

let before: Record<string, number>;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  net = await createSmallNetwork(server, 2);
  await server.request('PATCH', `/v1/locations/${net.storeA}`, { body: { latitude: 42.3601, longitude: -71.0589 } });
  await server.request('PATCH', `/v1/locations/${net.storeB}`, { body: { latitude: 42.6526, longitude: -73.7562 } });
  for (const sku of net.skus) {
    await setStock(server, net.storeA, sku, 20);
    await setStock(server, net.storeB, sku, 20);
  }
  // A webhook subscription that would receive every event, were any written.
  const hook = await server.request('POST', '/v1/webhook-subscriptions', {
    body: { url: 'https://example.com/hook', event_types: ['order.*', 'inventory.*'] },
  });
  expect(hook.status, JSON.stringify(hook.body)).toBe(201);
  const shadow = await server.request('POST', `/v1/channels/${net.channelId}/shadow`);
  expect(shadow.status, JSON.stringify(shadow.body)).toBe(200);
  expect(shadow.body.mode).toBe('shadow');
  before = (await footprint())!;
});

afterAll(async () => {
  await server?.close();
  await database?.close();
});

describe('a shadow channel', () => {
  it('decides its orders without reserving, writing orders or events, or sending anything', async () => {
    const first = await place('S-1', net.skus[0]!, 2);
    expect(first.body).toMatchObject({ mode: 'shadow', external_id: 'S-1', decision: { status: 'allocated' } });
    expect(first.body.id).toMatch(/^sho_/);
    expect(first.body.decision.explanation).toEqual(expect.any(String));
    await place('S-2', net.skus[1]!, 1);
    await place('S-3', net.skus[0]!, 1);
    await place('S-4', net.skus[1]!, 3);
    // The same order again is the same shadow order; other content under its ID is refused.
    const again = await placeOrder(server, orderBody('S-1', [{ sku: net.skus[0]!, quantity: 2 }]));
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    const changed = await placeOrder(server, orderBody('S-1', [{ sku: net.skus[0]!, quantity: 3 }]));
    expect(changed.status).toBe(409);
    expect(changed.body.code).toBe('idempotency_conflict');
    expect(await footprint()).toEqual(before);
  });

  it('takes orders from a JSON-lines import the same way', async () => {
    // The import reads decimals exactly (as text), so its orders give no coordinates or tax rates.
    const body = orderBody('S-5', [{ sku: net.skus[0]!, quantity: 1 }]);
    const { latitude: _lat, longitude: _lng, ...address } = body.shipping_address;
    const imported = {
      ...body,
      shipping_address: address,
      taxes: [{ name: 'Sales tax', amount: body.taxes[0]!.amount }],
    };
    const text = `${JSON.stringify(imported)}\n`;
    const result = await importOrders(database.db, { channelId: net.channelId, format: 'json', text });
    expect(result, JSON.stringify(result)).toMatchObject({ orders: 1, placed: 1, rejected: 0 });
    const row = await queryOne<{
      decision_status: string;
      decision: { allocations: { locationId: string; sku: string; quantity: number }[] };
    }>(database.db, sql`select decision_status, decision from shadow_orders where external_id = 'S-5'`);
    expect(row!.decision_status).toBe('allocated');
    decided['S-5'] = row!.decision.allocations.map((a) => ({
      location_id: a.locationId,
      sku: a.sku,
      quantity: a.quantity,
    }));
    totals['S-5'] = orderBody('S-5', [{ sku: net.skus[0]!, quantity: 1 }]).total.amount;
    expect(await footprint()).toEqual(before);
  });

  it('refuses outcomes that do not read, writing none of them', async () => {
    const bad = await server.request('POST', '/v1/shadow/outcomes?channel=web', {
      body: [
        { external_id: 'S-1', kind: 'status', status: 'shipped' },
        { external_id: 'S-1', kind: 'allocation', sku: net.skus[0], location: 'NOWHERE', quantity: 1 },
      ],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('validation_failed');
    const wrongKind = await server.request('POST', '/v1/shadow/outcomes?channel=web', {
      body: [{ external_id: 'S-1', kind: 'refund', status: 'shipped' }],
    });
    expect(wrongKind.body.errors).toEqual([{ pointer: '/0/kind', message: expect.stringContaining('allocation') }]);
    const notJson = await server.request('POST', '/v1/shadow/outcomes?channel=web', {
      ...ndjson([]),
      rawBody: '{"external_id": "S-1", "kind": "status", "status": "shipped"}\n{nope',
    });
    expect(notJson.status).toBe(400);
    expect(notJson.body).toMatchObject({ code: 'malformed_json', line: 2 });
    const count = await queryOne<{ n: number }>(database.db, sql`select count(*)::int as n from shadow_outcomes`);
    expect(count!.n).toBe(0);
  });

  it('finds exactly the planted differences with the legacy outcomes', async () => {
    const same = (externalId: string, kind = 'allocation') =>
      decided[externalId]!.map((a) => ({
        external_id: externalId,
        kind,
        sku: a.sku,
        location: a.location_id,
        quantity: a.quantity,
      }));
    const s2 = decided['S-2']![0]!;
    const outcomes = [
      // S-1: the same allocation, shipped, and the same money: no difference.
      ...same('S-1'),
      ...same('S-1', 'shipment'),
      { external_id: 'S-1', kind: 'status', status: 'shipped' },
      {
        external_id: 'S-1',
        kind: 'money',
        total: usd(totals['S-1']!),
        captured: usd(totals['S-1']!),
        refunded: usd(0),
      },
      // S-2: allocated at the other store.
      { external_id: 'S-2', kind: 'allocation', sku: s2.sku, location: other(s2.location_id), quantity: s2.quantity },
      // S-3: refused by the legacy system.
      { external_id: 'S-3', kind: 'status', status: 'rejected' },
      // S-5: allocated the same, but its total one cent more.
      ...same('S-5'),
      { external_id: 'S-5', kind: 'money', total: usd(totals['S-5']! + 1) },
      // L-1: an order Consign never received.
      { external_id: 'L-1', kind: 'status', status: 'shipped', placed_at: new Date().toISOString() },
      // S-4 has no outcome: only in Consign.
    ];
    const sent = await server.request('POST', '/v1/shadow/outcomes?channel=web', ndjson(outcomes));
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect(sent.body).toEqual({ records: outcomes.length, stored: outcomes.length });
    // Sent again: kept once.
    const repeated = await server.request('POST', '/v1/shadow/outcomes?channel=web', { body: outcomes });
    expect(repeated.body).toEqual({ records: outcomes.length, stored: 0 });
    const asOf = new Date().toISOString();
    const stock = await server.request('POST', '/v1/shadow/stock', {
      body: [
        { sku: net.skus[0], location: net.storeA, on_hand: 20, as_of: asOf },
        { sku: net.skus[1], location: 'S-B', on_hand: 19, as_of: asOf },
      ],
    });
    expect(stock.status, JSON.stringify(stock.body)).toBe(200);

    const report = await server.request('GET', `/v1/shadow/reconciliation?channel=web&from=${today}&to=${today}`);
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    const found = report.body.differences.map((d: Record<string, unknown>) => [
      d.kind,
      d.external_id ?? `${d.location_id}/${d.sku}`,
      d.field,
      d.consign,
      d.legacy,
    ]);
    expect(found).toEqual(
      expect.arrayContaining([
        ['only_in_consign', 'S-4', null, 'allocated', null],
        ['only_in_legacy', 'L-1', null, null, 'allocated'],
        ['status', 'S-3', 'status', 'allocated', 'rejected'],
        [
          'allocation',
          'S-2',
          'allocation',
          [{ location_id: s2.location_id, quantity: 1 }],
          [{ location_id: other(s2.location_id), quantity: 1 }],
        ],
        ['money', 'S-5', 'total', totals['S-5'], totals['S-5']! + 1],
        ['stock', `${net.storeB}/${net.skus[1]}`, 'on_hand', 20, 19],
      ]),
    );
    expect(found).toHaveLength(6);
    const allocation = report.body.differences.find((d: { kind: string }) => d.kind === 'allocation');
    expect(allocation.explanation).toEqual(expect.any(String));
    expect(report.body.summary).toEqual({
      only_in_consign: 1,
      only_in_legacy: 1,
      status: 1,
      allocation: 1,
      money: 1,
      stock: 1,
    });
    expect(report.body.orders).toEqual({ consign: 5, legacy: 5 });
    expect(report.body.days).toEqual([
      { day: today, only_in_consign: 1, only_in_legacy: 1, status: 1, allocation: 1, money: 1, stock: 1, total: 6 },
    ]);
  });

  it('exports the report and its drift per day as CSV', async () => {
    const csv = await server.request(
      'GET',
      `/v1/shadow/reconciliation?channel=web&from=${today}&to=${today}&format=csv`,
    );
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (csv.body as string).trim().split('\r\n');
    expect(lines[0]).toBe('day,kind,external_id,sku,location_id,field,consign,legacy,explanation');
    expect(lines).toHaveLength(7);
    expect(lines.find((l) => l.includes(',money,'))).toContain(`,total,${totals['S-5']},${totals['S-5']! + 1},`);
    const days = await server.request(
      'GET',
      `/v1/shadow/reconciliation?channel=web&from=${today}&to=${today}&format=csv&view=days`,
    );
    expect((days.body as string).trim().split('\r\n')).toEqual([
      'day,only_in_consign,only_in_legacy,status,allocation,money,stock,total',
      `${today},1,1,1,1,1,1,6`,
    ]);
    const bad = await server.request('GET', `/v1/shadow/reconciliation?channel=web&from=${today}&to=2020-01-01`);
    expect(bad.status).toBe(400);
  });

  it('goes live in one call, refused while an order has no decision on the legacy side', async () => {
    const refused = await server.request('POST', `/v1/channels/${net.channelId}/go-live`);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'shadow_undecided', undecided_count: 1 });
    expect(refused.body.undecided.map((o: { external_id: string }) => o.external_id)).toEqual(['S-4']);
    const s4 = decided['S-4']!.map((a) => ({
      external_id: 'S-4',
      kind: 'allocation',
      sku: a.sku,
      location: a.location_id,
      quantity: a.quantity,
    }));
    expect((await server.request('POST', '/v1/shadow/outcomes?channel=web', { body: s4 })).status).toBe(200);
    const live = await server.request('POST', `/v1/channels/${net.channelId}/go-live`);
    expect(live.status, JSON.stringify(live.body)).toBe(200);
    expect(live.body.mode).toBe('live');
    const again = await server.request('POST', `/v1/channels/${net.channelId}/go-live`);
    expect(again.body.code).toBe('channel_not_shadow');
    // Live again: orders are placed and reserve stock; outcomes are no longer taken.
    const order = await placeOrder(server, orderBody('LIVE-1', [{ sku: net.skus[0]!, quantity: 1 }]));
    expect(order.status).toBe(201);
    expect(order.body.id).toMatch(/^ord_/);
    expect((await footprint())!.reserved).toBe(1);
    const late = await server.request('POST', '/v1/shadow/outcomes?channel=web', { body: s4 });
    expect(late.body.code).toBe('channel_not_shadow');
  });
});
