import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createSmallNetwork, setStock, type SmallNetwork } from '../support/fixtures.ts';
import { orderBody, placeOrder } from '../support/orders.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/**
 * Defects the lifecycle simulator (test/simulator/) found, each pinned by a plain test so it
 * stays fixed whatever sequences the simulator happens to draw.
 */
let database: TestDatabase;
let server: TestServer;
let net: SmallNetwork;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  net = await createSmallNetwork(server, 3);
  await server.request('PATCH', `/v1/locations/${net.storeA}`, { body: { latitude: 40.75, longitude: -73.99 } });
  await server.request('PATCH', `/v1/locations/${net.storeB}`, { body: { latitude: 42.65, longitude: -73.75 } });
  for (const sku of net.skus) await setStock(server, net.storeA, sku, 20);
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

let counter = 0;
async function order(sku: string, quantity: number) {
  counter += 1;
  const placed = await placeOrder(server, orderBody(`FINDING-${counter}`, [{ sku, quantity }]));
  if (placed.status !== 201) throw new Error(JSON.stringify(placed.body));
  return placed.body;
}
const events = async (orderId: string, type: string) =>
  (await server.request('GET', `/v1/events?subject_id=${orderId}&type=${type}`)).body.data;

describe('found by the lifecycle simulator', () => {
  it('cancelling an order ends its work with a fulfillment_order.cancelled event for each', async () => {
    const placed = await order(net.skus[0]!, 2);
    const fo = placed.fulfillment_orders[0];
    const cancelled = await server.request('POST', `/v1/orders/${placed.id}/cancel`, {
      body: { reason: 'changed mind' },
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.fulfillment_orders[0]).toMatchObject({ id: fo.id, status: 'cancelled' });
    expect(await events(placed.id, 'fulfillment_order.cancelled')).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ fulfillment_order_id: fo.id, status: 'cancelled' }) }),
    ]);
  });

  it('refuses a pick of work not yet accepted, even when nothing was found, and moves no stock', async () => {
    const sku = net.skus[1]!;
    const placed = await order(sku, 1);
    const fo = placed.fulfillment_orders[0];
    const before = (await server.request('GET', `/v1/inventory/${net.storeA}/${sku}`)).body;
    const picked = await server.request('POST', `/v1/fulfillment-orders/${fo.id}/pick`, {
      body: { shortages: [{ line_id: 'L1', quantity: 1 }] },
    });
    expect(picked.status).toBe(409);
    expect(picked.body).toMatchObject({ code: 'illegal_transition', from: 'allocated', to: 'picking' });
    expect((await server.request('GET', `/v1/inventory/${net.storeA}/${sku}`)).body).toMatchObject({
      on_hand: before.on_hand,
      reserved: before.reserved,
    });
    const after = (await server.request('GET', `/v1/orders/${placed.id}`)).body;
    expect(after.fulfillment_orders[0].status).toBe('allocated');
  });

  it('invoices a shipment the authorization does not cover, with the rest due, and holds the order for payment', async () => {
    const sku = net.skus[2]!;
    counter += 1;
    const body = orderBody(`FINDING-${counter}`, [{ sku, quantity: 2 }]);
    const total = body.total.amount;
    body.payments[0]!.amount.amount = 1000; // less than one unit's worth
    const placed = await placeOrder(server, body);
    expect(placed.body.on_hold).toBe(true);
    await server.request('POST', `/v1/orders/${placed.body.id}/release-hold`, { body: {} });
    const fo = (await server.request('GET', `/v1/orders/${placed.body.id}`)).body.fulfillment_orders[0];
    const step = (name: string, more: unknown = {}) =>
      server.request('POST', `/v1/fulfillment-orders/${fo.id}/${name}`, { body: more });
    for (const name of ['accept', 'pick', 'pack']) expect((await step(name)).status).toBe(200);
    const first = await step('ship', {
      carrier: 'ups',
      tracking_number: '1ZSHORT1',
      lines: [{ line_id: 'L1', quantity: 1 }],
    });
    expect(first.status).toBe(200);
    let order = (await server.request('GET', `/v1/orders/${placed.body.id}`)).body;
    expect(order.holds.filter((h: { released_at: string | null }) => h.released_at === null)).toEqual([
      expect.objectContaining({ kind: 'payment', reason: expect.stringContaining('was not authorized') }),
    ]);
    expect((await step('ship', { carrier: 'ups', tracking_number: '1ZSHORT2' })).status, 'held for payment').toBe(409);
    await server.request('POST', `/v1/orders/${placed.body.id}/release-hold`, { body: {} });
    const second = await step('ship', { carrier: 'ups', tracking_number: '1ZSHORT2' });
    expect(second.status).toBe(200);
    order = (await server.request('GET', `/v1/orders/${placed.body.id}`)).body;
    expect(order.on_hold, 'nothing could be captured for the second shipment').toBe(true);
    const documents = await Promise.all(
      order.invoices.map(
        async (i: { id: string }) => (await server.request('GET', `/v1/invoices/${i.id}`)).body.document,
      ),
    );
    expect(documents).toHaveLength(2);
    const sum = (pick: (d: { totals: { total: { amount: number } }; amount_due: { amount: number } }) => number) =>
      documents.reduce((n, d) => n + pick(d), 0);
    expect(
      sum((d) => d.totals.total.amount),
      'both shipments invoiced in full',
    ).toBe(total);
    expect(
      sum((d) => d.totals.total.amount - d.amount_due.amount),
      'paid: what was captured',
    ).toBe(1000);
    expect(documents[1].amount_due.amount).toBe(documents[1].totals.total.amount);
  });
});
