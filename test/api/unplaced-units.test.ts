import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rerouteBackorders } from '../../src/orders/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createSmallNetwork, setStock, type SmallNetwork } from '../support/fixtures.ts';
import { heldMismatches, ledgerMismatches } from '../support/invariants.ts';
import { orderBody, placeOrder } from '../support/orders.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/**
 * Units a location turns down (a rejection) or cannot find (a short pick) while no other
 * location can take them: they wait for routing, on a routing hold, and stay re-routable and
 * cancellable. A short pick also takes the missing units out of the location's stock.
 */
let database: TestDatabase;
let server: TestServer;
let net: SmallNetwork;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  net = await createSmallNetwork(server, 8);
  await server.request('PATCH', `/v1/locations/${net.storeA}`, { body: { latitude: 40.75, longitude: -73.99 } });
  await server.request('PATCH', `/v1/locations/${net.storeB}`, { body: { latitude: 42.65, longitude: -73.75 } });
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

let counter = 0;
async function order(sku: string, quantity: number) {
  counter += 1;
  const placed = await placeOrder(server, orderBody(`UNPLACED-${counter}`, [{ sku, quantity }]));
  if (placed.status !== 201) throw new Error(JSON.stringify(placed.body));
  return placed.body;
}
const post = (id: string, step: string, body: unknown = {}) =>
  server.request('POST', `/v1/fulfillment-orders/${id}/${step}`, { body });
const read = async (id: string) => (await server.request('GET', `/v1/orders/${id}`)).body;
const level = async (location: string, sku: string) =>
  (await server.request('GET', `/v1/inventory/${location}/${sku}`)).body;
const money = async (id: string) => (await server.request('GET', `/v1/orders/${id}/payments`)).body;

/** Every unit of every line in exactly one bucket. */
function expectBucketsWhole(view: { lines: { quantity: number; quantities: Record<string, number> }[] }) {
  for (const line of view.lines) {
    const q = line.quantities;
    expect(q.allocated! + q.backordered! + q.cancelled! + q.shipped!, JSON.stringify(q)).toBe(line.quantity);
  }
}

async function rejectedEverywhere(sku: string) {
  await setStock(server, net.storeA, sku, 5);
  const placed = await order(sku, 1);
  const rejected = await post(placed.fulfillment_orders[0].id, 'reject', { reason: 'shelf empty' });
  expect(rejected.status).toBe(200);
  return placed.id as string;
}

describe('a rejection nothing else can take', () => {
  it('leaves the unit waiting for routing, on a routing hold, and cancellable: the authorization is voided', async () => {
    const sku = net.skus[0]!;
    const id = await rejectedEverywhere(sku);
    const held = await read(id);
    expect(held.on_hold).toBe(true);
    expect(held.holds.at(-1)).toMatchObject({ kind: 'routing' });
    expect(held.lines[0].quantities).toMatchObject({ allocated: 0, backordered: 1, cancelled: 0, shipped: 0 });
    expectBucketsWhole(held);

    const cancelled = await server.request('POST', `/v1/orders/${id}/cancel`, { body: { reason: 'customer gave up' } });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect(cancelled.body.lines[0].quantities).toMatchObject({ backordered: 0, cancelled: 1 });
    expect(cancelled.body.on_hold, 'nothing waits for routing any more').toBe(false);
    const payments = await money(id);
    expect(payments.capturable.amount).toBe(0);
    expect(payments.voided.amount).toBe(payments.authorized.amount);
    expect(await heldMismatches(database.db)).toEqual([]);
  });

  it('routes the unit again when the hold is released after a restock elsewhere', async () => {
    const sku = net.skus[1]!;
    const id = await rejectedEverywhere(sku);
    await setStock(server, net.storeB, sku, 2);
    const released = await server.request('POST', `/v1/orders/${id}/release-hold`, { body: {} });
    expect(released.status).toBe(200);
    expect(released.body.status).toBe('in_process');
    expect(released.body.lines[0].quantities).toMatchObject({ allocated: 1, backordered: 0 });
    const open = released.body.fulfillment_orders.filter((f: { status: string }) => f.status === 'allocated');
    expect(open).toEqual([expect.objectContaining({ location_id: net.storeB })]);
    expect((await level(net.storeB, sku)).reserved).toBe(1);
  });

  it('is picked up by the back-order worker once stock arrives elsewhere, which lifts the routing hold', async () => {
    const sku = net.skus[2]!;
    const id = await rejectedEverywhere(sku);
    await setStock(server, net.storeB, sku, 3);
    expect(await rerouteBackorders(database.db)).toBeGreaterThanOrEqual(1);
    const routed = await read(id);
    expect(routed.on_hold).toBe(false);
    expect(routed.status).toBe('in_process');
    expect(routed.lines[0].quantities).toMatchObject({ allocated: 1, backordered: 0 });
    expect(routed.fulfillment_orders.find((f: { status: string }) => f.status === 'allocated').location_id).toBe(
      net.storeB,
    );
  });

  it('never sends the unit back to the location that rejected it', async () => {
    const sku = net.skus[3]!;
    const id = await rejectedEverywhere(sku);
    await setStock(server, net.storeA, sku, 9);
    await rerouteBackorders(database.db);
    const still = await read(id);
    expect(still.lines[0].quantities).toMatchObject({ allocated: 0, backordered: 1 });
    expect(still.on_hold).toBe(true);
  });
});

describe('a short pick', () => {
  it('takes the missing units out of the location’s stock, with a ledger row, an event and a reason', async () => {
    const sku = net.skus[4]!;
    await setStock(server, net.storeA, sku, 10);
    await setStock(server, net.storeB, sku, 10);
    const placed = await order(sku, 3);
    const fo = placed.fulfillment_orders[0];
    expect(fo.location_id).toBe(net.storeA);
    await post(fo.id, 'accept');
    const picked = await post(fo.id, 'pick', { shortages: [{ line_id: 'L1', quantity: 1 }] });
    expect(picked.status).toBe(200);
    expect(await level(net.storeA, sku)).toMatchObject({ on_hand: 9, reserved: 2 });
    expect(await level(net.storeB, sku)).toMatchObject({ on_hand: 10, reserved: 1 });
    const ledger = (await server.request('GET', `/v1/inventory/ledger?sku=${sku}&location_id=${net.storeA}`)).body;
    expect(ledger.data).toContainEqual(
      expect.objectContaining({ kind: 'shortage', on_hand_delta: -1, reserved_delta: -1, reference_id: fo.id }),
    );
    const shortage = ledger.data.find((r: { kind: string }) => r.kind === 'shortage');
    expect(shortage.reason).toMatch(/short pick/);
    const events = (await server.request('GET', `/v1/events?type=inventory.shortage_recorded`)).body.data;
    expect(events).toContainEqual(
      expect.objectContaining({
        subject_id: `${net.storeA}/${sku}`,
        data: expect.objectContaining({ quantity: 1, fulfillment_order_id: fo.id, order_id: placed.id }),
      }),
    );
    expect(await ledgerMismatches(database.db)).toEqual([]);
  });

  it('sends the next order only to units that are there', async () => {
    const sku = net.skus[5]!;
    await setStock(server, net.storeA, sku, 2);
    const first = await order(sku, 2);
    const fo = first.fulfillment_orders[0];
    await post(fo.id, 'accept');
    await post(fo.id, 'pick', { shortages: [{ line_id: 'L1', quantity: 2 }] });
    expect(await level(net.storeA, sku)).toMatchObject({ on_hand: 0, reserved: 0 });
    const next = await placeOrder(server, orderBody(`UNPLACED-NEXT-${sku}`, [{ sku, quantity: 1 }]));
    expect(next.status, 'no phantom unit is left to route to').toBe(409);
    expect(next.body.code).toBe('insufficient_stock');
  });

  it('leaves the missing unit cancellable after the rest ships, and the unused authorization voided', async () => {
    const sku = net.skus[6]!;
    await setStock(server, net.storeA, sku, 3);
    const placed = await order(sku, 3);
    const fo = placed.fulfillment_orders[0];
    await post(fo.id, 'accept');
    await post(fo.id, 'pick', { shortages: [{ line_id: 'L1', quantity: 1 }] });
    await post(fo.id, 'pack');
    const shipped = await post(fo.id, 'ship', { carrier: 'ups', tracking_number: '1ZSHORT0001' });
    expect(shipped.status).toBe(200);
    const partly = await read(placed.id);
    expect(partly.status).toBe('partially_shipped');
    expect(partly.lines[0].quantities).toMatchObject({ shipped: 2, backordered: 1, allocated: 0 });
    expectBucketsWhole(partly);

    const cancelled = await server.request('POST', `/v1/orders/${placed.id}/cancel`, {
      body: { reason: 'not found in store', lines: [{ line_id: 'L1', quantity: 1 }] },
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('shipped');
    expect(cancelled.body.on_hold).toBe(false);
    const payments = await money(placed.id);
    expect(payments.capturable.amount, 'nothing stays authorized').toBe(0);
    expect(payments.authorized.amount).toBe(payments.captured.amount + payments.voided.amount);
    expect(payments.captured.amount).toBeLessThan(placed.total.amount);
  });
});
