import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createSmallNetwork, setStock, type SmallNetwork } from '../support/fixtures.ts';
import { orderBody, placeOrder } from '../support/orders.ts';
import { pdfText } from '../support/pdf-text.ts';
import { startTestServer, TEST_ADMIN_KEY, type TestServer } from '../support/server.ts';
import { ship } from './payments-support.ts';
import { deliver, returnBody } from './returns-support.ts';

let database: TestDatabase;
let server: TestServer;
let net: SmallNetwork;
let keyA: string;
let keyB: string;
const DAY = 86_400_000;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  net = await createSmallNetwork(server, 2);
  await server.request('PATCH', `/v1/locations/${net.storeA}`, { body: { latitude: 40.75, longitude: -73.99 } });
  for (const sku of net.skus) await setStock(server, net.storeA, sku, 500);
  keyA = (await createApiKey(database.db, { role: 'fulfillment', locationIds: [net.storeA] })).secret;
  keyB = (await createApiKey(database.db, { role: 'fulfillment', locationIds: [net.storeB] })).secret;
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

let counter = 0;
async function newOrder(over: Record<string, unknown> = {}, quantity = 2) {
  counter += 1;
  const response = await placeOrder(
    server,
    orderBody(
      `WQ-${counter}`,
      [
        { sku: net.skus[0]!, quantity },
        { sku: net.skus[1]!, quantity: 1 },
      ],
      over,
    ),
  );
  if (response.status !== 201) throw new Error(JSON.stringify(response.body));
  return response.body;
}
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();
const pdf = async (path: string, key = TEST_ADMIN_KEY) => {
  const response = await fetch(server.url + path, { headers: { authorization: `Bearer ${key}` } });
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    body: Buffer.from(await response.arrayBuffer()),
  };
};

describe('the work queue: SLA order, totals, counts per step, address and product names', () => {
  it('lists late work first with sort=due, says which is late, and counts what matches', async () => {
    const fresh = await newOrder();
    const old = await newOrder({ placed_at: daysAgo(10) });
    const queue = await server.request(
      'GET',
      `/v1/fulfillment-orders?location_id=${net.storeA}&status=allocated&sort=due&limit=1`,
      { key: keyA },
    );
    expect(queue.status).toBe(200);
    expect(queue.body.total).toBe(2);
    expect(queue.body.data).toHaveLength(1);
    const [first] = queue.body.data;
    expect(first).toMatchObject({ order_id: old.id, late: true, at_risk: false });
    expect(first.shipping_address).toMatchObject({ line1: '350 5th Ave', city: 'New York' });
    expect(first.lines.map((l: { name: string }) => l.name)).toEqual(['Product 1', 'Product 2']);
    const second = await server.request(
      'GET',
      `/v1/fulfillment-orders?location_id=${net.storeA}&status=allocated&sort=due&limit=1&cursor=${queue.body.next_cursor}`,
      { key: keyA },
    );
    expect(second.body.data.map((f: { order_id: string }) => f.order_id)).toEqual([fresh.id]);
    expect(second.body.data[0].late).toBe(false);
    expect(second.body.next_cursor).toBeNull();
    // Oldest first by default: the order placed now was created first.
    const byCreation = await server.request('GET', `/v1/fulfillment-orders?location_id=${net.storeA}&status=allocated`);
    expect(byCreation.body.data.map((f: { order_id: string }) => f.order_id)).toEqual([fresh.id, old.id]);
  });

  it('counts work per step, late and at risk, at the key’s own locations only', async () => {
    const order = await newOrder({ placed_at: daysAgo(4.5) });
    const fo = order.fulfillment_orders[0];
    await server.request('POST', `/v1/fulfillment-orders/${fo.id}/accept`, { body: {}, key: keyA });
    const counts = await server.request('GET', `/v1/fulfillment-orders/counts?location_id=${net.storeA}`, {
      key: keyA,
    });
    expect(counts.status).toBe(200);
    expect(counts.body).toEqual({ by_status: { allocated: 2, accepted: 1 }, open: 3, late: 1, at_risk: 1 });
    const mine = await server.request('GET', '/v1/fulfillment-orders/counts', { key: keyB });
    expect(mine.body).toEqual({ by_status: {}, open: 0, late: 0, at_risk: 0 });
    const other = await server.request('GET', `/v1/fulfillment-orders/counts?location_id=${net.storeA}`, { key: keyB });
    expect(other.status).toBe(403);
  });

  it('prints a packing slip with the address and the order’s lines', async () => {
    const order = await newOrder({}, 3);
    const fo = order.fulfillment_orders[0];
    const slip = await pdf(`/v1/fulfillment-orders/${fo.id}/packing-slip`, keyA);
    expect(slip.status).toBe(200);
    expect(slip.type).toMatch(/application\/pdf/);
    expect(slip.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(slip.body);
    for (const expected of [
      'PACKING SLIP',
      order.external_id,
      '350 5th Ave',
      'Customer WQ-',
      net.skus[0]!,
      'Product 1',
      'Product 2',
    ])
      expect(text).toContain(expected);
    expect(text).toMatch(/4 units in all/);
    expect((await pdf(`/v1/fulfillment-orders/${fo.id}/packing-slip`, keyB)).status).toBe(404);
  });

  it('prints a pick list summing each SKU over the accepted work, with its orders', async () => {
    const one = await newOrder({}, 4);
    const two = await newOrder({}, 5);
    for (const order of [one, two])
      await server.request('POST', `/v1/fulfillment-orders/${order.fulfillment_orders[0].id}/accept`, {
        body: {},
        key: keyA,
      });
    const list = await pdf(`/v1/fulfillment-orders/pick-list?location_id=${net.storeA}`, keyA);
    expect(list.status).toBe(200);
    expect(list.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(list.body);
    expect(text).toContain('PICK LIST');
    expect(text).toContain(one.external_id);
    expect(text).toContain(two.external_id);
    // The accepted work: the order of the counts test (2 units), and these two (4 and 5).
    expect(text).toMatch(new RegExp(`${net.skus[0]}[\\s\\S]*Product 1[\\s\\S]*\\b11\\b`));
    expect((await pdf(`/v1/fulfillment-orders/pick-list?location_id=${net.storeA}`, keyB)).status).toBe(403);
  });
});

describe('GET /v1/orders: needs attention and totals', () => {
  it('finds held, back-ordered and late orders, and says why, with the total that matches', async () => {
    const late = await newOrder({ placed_at: daysAgo(10) });
    const held = await newOrder();
    await server.request('POST', `/v1/orders/${held.id}/hold`, {
      body: { kind: 'manual', reason: 'Call the customer' },
    });
    const calm = await newOrder();
    await server.request('PATCH', `/v1/products/${net.skus[1]}`, { body: { allow_backorder: true } });
    counter += 1;
    const waiting = await placeOrder(server, orderBody(`WQ-${counter}`, [{ sku: net.skus[1]!, quantity: 9999 }], {}));
    expect(waiting.status).toBe(201);
    const attention = await server.request('GET', '/v1/orders?needs_attention=true&limit=200');
    expect(attention.status).toBe(200);
    const ids = attention.body.data.map((o: { id: string }) => o.id);
    expect(ids).toEqual(expect.arrayContaining([late.id, held.id, waiting.body.id]));
    expect(ids).not.toContain(calm.id);
    expect(attention.body.total).toBe(ids.length);
    expect(attention.body.total_is_exact).toBe(true);
    const reasons = (id: string) => attention.body.data.find((o: { id: string }) => o.id === id).attention;
    expect(reasons(late.id)).toContain('late');
    expect(reasons(held.id)).toEqual(['on_hold']);
    expect(reasons(waiting.body.id)).toContain('backordered');

    const all = await server.request('GET', '/v1/orders?limit=2');
    expect(all.body.data).toHaveLength(2);
    expect(all.body.total).toBe(counter);
  });
});

describe('GET /v1/search', () => {
  it('finds an order by number, a customer by e-mail, a SKU and a return by RMA, as far as the key may read', async () => {
    const order = await newOrder();
    const shipment = await ship(server, order.fulfillment_orders[0].id);
    await deliver(server, shipment.shipment_id);
    const rma = await server.request('POST', '/v1/returns', {
      body: returnBody(order.id, [{ line_id: 'L1', quantity: 1 }]),
    });
    expect(rma.status).toBe(201);

    const find = async (q: string, key = TEST_ADMIN_KEY) => {
      const response = await server.request('GET', `/v1/search?q=${encodeURIComponent(q)}`, { key });
      expect(response.status).toBe(200);
      return response.body.data as { kind: string; id: string; label: string }[];
    };
    expect((await find(order.external_id))[0]).toMatchObject({
      kind: 'order',
      id: order.id,
      label: `Order ${order.external_id}`,
    });
    expect(await find(order.customer.email)).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'customer', id: order.customer.email })]),
    );
    expect((await find(net.skus[1]!))[0]).toMatchObject({ kind: 'sku', id: net.skus[1], label: net.skus[1] });
    expect(await find(rma.body.id)).toEqual([expect.objectContaining({ kind: 'return', id: rma.body.id })]);

    // A store key reads no orders, customers or returns; another channel's key not this channel's.
    expect((await find(order.external_id, keyA)).map((f) => f.kind)).toEqual([]);
    const other = await server.request('POST', '/v1/channels', {
      body: { code: 'app', name: 'App', type: 'web', location_group_id: net.groupId },
    });
    const appKey = (await createApiKey(database.db, { role: 'channel', channelId: other.body.id })).secret;
    expect(await find(order.external_id, appKey)).toEqual([]);
    expect(await find(rma.body.id, appKey)).toEqual([]);
    expect(await find(order.customer.email, appKey)).toEqual([]);
    expect((await find(net.skus[1]!, appKey)).map((f) => f.kind)).toEqual(['sku']);
  });
});
