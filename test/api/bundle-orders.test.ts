import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createSmallNetwork, setStock, type SmallNetwork } from '../support/fixtures.ts';
import { heldMismatches, ledgerMismatches } from '../support/invariants.ts';
import { orderBody, placeOrder } from '../support/orders.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let database: TestDatabase;
let server: TestServer;
let net: SmallNetwork;
let n = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  net = await createSmallNetwork(server, 0);
  await server.request('PATCH', `/v1/locations/${net.storeA}`, { body: { latitude: 42.3601, longitude: -71.0589 } });
  await server.request('PATCH', `/v1/locations/${net.storeB}`, { body: { latitude: 42.6526, longitude: -73.7562 } });
});

afterAll(async () => {
  await server?.close();
  await database?.close();
});

/** A new kit of 2 × a + 1 × b, with new components: each test has stock of its own. */
async function newKit(): Promise<{ kit: string; a: string; b: string }> {
  const id = ++n;
  const [kit, a, b] = [`KIT-${id}`, `PART-${id}-A`, `PART-${id}-B`];
  for (const sku of [a, b, kit]) await server.request('POST', '/v1/products', { body: { sku, name: sku } });
  const set = await server.request('PUT', `/v1/products/${kit}/components`, {
    body: {
      components: [
        { sku: a, quantity: 2 },
        { sku: b, quantity: 1 },
      ],
    },
  });
  expect(set.status).toBe(200);
  return { kit, a, b };
}

const level = async (location: string, sku: string) =>
  (await server.request('GET', `/v1/inventory/${location}/${sku}`)).body as { on_hand: number; reserved: number };
const step = (id: string, name: string, body: unknown = {}) =>
  server.request('POST', `/v1/fulfillment-orders/${id}/${name}`, { body });

describe('ordering a bundle', () => {
  it("reserves the components at one location, lists them to pick, and ships them by the bundle's line", async () => {
    const { kit, a, b } = await newKit();
    await setStock(server, net.storeA, a, 10);
    await setStock(server, net.storeA, b, 10);
    const placed = await placeOrder(server, orderBody(`ORDER-${++n}`, [{ sku: kit, quantity: 3, price: 4999 }]));
    expect(placed.status).toBe(201);
    const order = placed.body;
    expect(order.lines[0]).toMatchObject({ sku: kit, quantity: 3 });
    expect(order.allocations).toMatchObject([{ sku: kit, location_id: net.storeA, quantity: 3 }]);
    expect(await level(net.storeA, a)).toMatchObject({ on_hand: 10, reserved: 6 });
    expect(await level(net.storeA, b)).toMatchObject({ on_hand: 10, reserved: 3 });

    const ledger = await server.request('GET', `/v1/inventory/ledger?location_id=${net.storeA}&sku=${a}`);
    const reservation = ledger.body.data.find((r: { kind: string }) => r.kind === 'reservation');
    expect(reservation).toMatchObject({ reserved_delta: 6, reason: `bundle ${kit}`, reference_id: order.id });

    const fo = order.fulfillment_orders[0];
    const queued = (await server.request('GET', `/v1/fulfillment-orders/${fo.id}`)).body;
    expect(queued.lines[0].components).toEqual([
      { sku: a, quantity: 6 },
      { sku: b, quantity: 3 },
    ]);
    for (const name of ['accept', 'pick', 'pack']) expect((await step(fo.id, name)).status).toBe(200);
    const shipped = await step(fo.id, 'ship', {
      carrier: 'ups',
      tracking_number: '1Z999AA10123456784',
      lines: [{ line_id: 'L1', quantity: 2 }],
    });
    expect(shipped.status).toBe(200);
    expect(await level(net.storeA, a)).toMatchObject({ on_hand: 6, reserved: 2 });
    expect(await level(net.storeA, b)).toMatchObject({ on_hand: 8, reserved: 1 });

    const second = await placeOrder(server, orderBody(`ORDER-${++n}`, [{ sku: kit, quantity: 1 }]));
    expect(await level(net.storeA, a)).toMatchObject({ on_hand: 6, reserved: 4 });
    const cancelled = await server.request('POST', `/v1/orders/${second.body.id}/cancel`, { body: { reason: 'test' } });
    expect(cancelled.status).toBe(200);
    expect(await level(net.storeA, a)).toMatchObject({ on_hand: 6, reserved: 2 });
    expect(await level(net.storeA, b)).toMatchObject({ on_hand: 8, reserved: 1 });
    expect(await ledgerMismatches(database.db)).toEqual([]);
    expect(await heldMismatches(database.db)).toEqual([]);
  });

  it('freezes the definition of an ordered bundle and of the bundles inside it', async () => {
    const { kit, a } = await newKit();
    await server.request('POST', '/v1/products', { body: { sku: `${kit}-CASE`, name: 'Case of kits' } });
    const outer = await server.request('PUT', `/v1/products/${kit}-CASE/components`, {
      body: { components: [{ sku: kit, quantity: 4 }] },
    });
    expect(outer.status).toBe(200);
    await setStock(server, net.storeA, a, 10);
    await setStock(server, net.storeA, `PART-${kit.slice(4)}-B`, 10);
    const placed = await placeOrder(server, orderBody(`ORDER-${++n}`, [{ sku: `${kit}-CASE`, quantity: 1 }]));
    expect(placed.status).toBe(201);
    expect(await level(net.storeA, a)).toMatchObject({ reserved: 8 });
    for (const sku of [kit, `${kit}-CASE`]) {
      const changed = await server.request('PUT', `/v1/products/${sku}/components`, {
        body: { components: [{ sku: a, quantity: 1 }] },
      });
      expect(changed.status).toBe(409);
      expect(changed.body.code).toBe('bundle_in_use');
    }
  });

  it('never takes one bundle from two locations: components split over stores leave it unplaced', async () => {
    const { kit, a, b } = await newKit();
    await setStock(server, net.storeA, a, 10);
    await setStock(server, net.storeB, b, 10);
    const placed = await placeOrder(server, orderBody(`ORDER-${++n}`, [{ sku: kit, quantity: 1 }]));
    expect(placed.status).toBe(409);
    expect(placed.body.code).toBe('insufficient_stock');
    expect(await level(net.storeA, a)).toMatchObject({ reserved: 0 });
    expect(await level(net.storeB, b)).toMatchObject({ reserved: 0 });
  });

  it('places whole bundles at different locations when no one location has them all', async () => {
    const { kit, a, b } = await newKit();
    await setStock(server, net.storeA, a, 2);
    await setStock(server, net.storeA, b, 1);
    await setStock(server, net.storeB, a, 2);
    await setStock(server, net.storeB, b, 1);
    const placed = await placeOrder(server, orderBody(`ORDER-${++n}`, [{ sku: kit, quantity: 2 }]));
    expect(placed.status).toBe(201);
    const places = placed.body.allocations.map((x: { location_id: string; quantity: number }) => [
      x.location_id,
      x.quantity,
    ]);
    expect(places.sort()).toEqual(
      [
        [net.storeA, 1],
        [net.storeB, 1],
      ].sort(),
    );
    for (const location of [net.storeA, net.storeB]) {
      expect(await level(location, a)).toMatchObject({ on_hand: 2, reserved: 2 });
      expect(await level(location, b)).toMatchObject({ on_hand: 1, reserved: 1 });
    }
  });

  it('shows the bundle as unavailable once its components are reserved by plain orders', async () => {
    const { kit, a, b } = await newKit();
    await setStock(server, net.storeA, a, 2);
    await setStock(server, net.storeA, b, 1);
    expect((await placeOrder(server, orderBody(`ORDER-${++n}`, [{ sku: b, quantity: 1 }]))).status).toBe(201);
    const availability = await server.request('GET', `/v1/availability?skus=${kit}`);
    expect(availability.body.data[0].available).toBe(0);
    const placed = await placeOrder(server, orderBody(`ORDER-${++n}`, [{ sku: kit, quantity: 1 }]));
    expect(placed.status).toBe(409);
  });
});

describe('short picks and shared components', () => {
  it("records a short pick of a bundle line on its components' levels and routes the bundle again", async () => {
    const { kit, a, b } = await newKit();
    await setStock(server, net.storeA, a, 4);
    await setStock(server, net.storeA, b, 2);
    await setStock(server, net.storeB, a, 2);
    await setStock(server, net.storeB, b, 1);
    const placed = await placeOrder(server, orderBody(`ORDER-${++n}`, [{ sku: kit, quantity: 2 }]));
    expect(placed.status).toBe(201);
    expect(placed.body.allocations).toMatchObject([{ sku: kit, location_id: net.storeA, quantity: 2 }]);
    const fo = placed.body.fulfillment_orders[0];
    expect((await step(fo.id, 'accept')).status).toBe(200);
    const picked = await step(fo.id, 'pick', { shortages: [{ line_id: 'L1', quantity: 1 }] });
    expect(picked.status).toBe(200);
    // One kit not found: its 2 × a and 1 × b leave store A's stock, and the kit goes to store B.
    expect(await level(net.storeA, a)).toMatchObject({ on_hand: 2, reserved: 2 });
    expect(await level(net.storeA, b)).toMatchObject({ on_hand: 1, reserved: 1 });
    expect(await level(net.storeB, a)).toMatchObject({ on_hand: 2, reserved: 2 });
    expect(await level(net.storeB, b)).toMatchObject({ on_hand: 1, reserved: 1 });
    const ledger = await server.request('GET', `/v1/inventory/ledger?location_id=${net.storeA}&sku=${a}`);
    expect(ledger.body.data.find((r: { kind: string }) => r.kind === 'shortage')).toMatchObject({
      on_hand_delta: -2,
      reserved_delta: -2,
      reference_id: fo.id,
    });
    const order = (await server.request('GET', `/v1/orders/${placed.body.id}`)).body;
    expect(order.lines[0].quantities).toMatchObject({ allocated: 2, backordered: 0 });
    expect(await ledgerMismatches(database.db)).toEqual([]);
    expect(await heldMismatches(database.db)).toEqual([]);
  });

  it('routes a bundle line left waiting after a short pick once its components arrive, by the worker and by a receipt', async () => {
    const { kit, a, b } = await newKit();
    await setStock(server, net.storeA, a, 2);
    await setStock(server, net.storeA, b, 1);
    const placed = await placeOrder(server, orderBody(`ORDER-${++n}`, [{ sku: kit, quantity: 1 }]));
    expect(placed.status).toBe(201);
    const fo = placed.body.fulfillment_orders[0];
    expect((await step(fo.id, 'accept')).status).toBe(200);
    expect((await step(fo.id, 'pick', { shortages: [{ line_id: 'L1', quantity: 1 }] })).status).toBe(200);
    const waiting = async () => (await server.request('GET', `/v1/orders/${placed.body.id}`)).body.lines[0].quantities;
    expect(await waiting()).toMatchObject({ allocated: 0, backordered: 1 });

    // One component alone is not a kit: nothing to route yet.
    await setStock(server, net.storeB, a, 2);
    const { rerouteBackorders } = await import('../../src/orders/index.ts');
    expect(await rerouteBackorders(database.db)).toBe(0);
    // A receipt of the last component at store B serves the waiting kit there, in its own transaction.
    const supply = await server.request('POST', '/v1/supplies', {
      body: {
        reference: `PO-KIT-${n}`,
        kind: 'purchase_order',
        location_id: net.storeB,
        expected_on: new Date(Date.now() + 86_400_000).toISOString().slice(0, 10),
        lines: [{ sku: b, quantity: 1 }],
      },
    });
    expect(supply.status, JSON.stringify(supply.body)).toBe(201);
    const received = await server.request('POST', `/v1/supplies/${supply.body.id}/receive`, { body: {} });
    expect(received.status, JSON.stringify(received.body)).toBe(200);
    expect(received.body.served_orders).toBe(1);
    expect(await waiting()).toMatchObject({ allocated: 1, backordered: 0 });
    expect(await level(net.storeB, a)).toMatchObject({ on_hand: 2, reserved: 2 });
    expect(await level(net.storeB, b)).toMatchObject({ on_hand: 1, reserved: 1 });
    expect(await rerouteBackorders(database.db)).toBe(0);
    expect(await ledgerMismatches(database.db)).toEqual([]);
    expect(await heldMismatches(database.db)).toEqual([]);
  });

  it('lets the back-order worker route a waiting bundle line when every component is back', async () => {
    const { kit, a, b } = await newKit();
    await setStock(server, net.storeA, a, 2);
    await setStock(server, net.storeA, b, 1);
    const placed = await placeOrder(server, orderBody(`ORDER-${++n}`, [{ sku: kit, quantity: 1 }]));
    const fo = placed.body.fulfillment_orders[0];
    expect((await step(fo.id, 'accept')).status).toBe(200);
    expect((await step(fo.id, 'pick', { shortages: [{ line_id: 'L1', quantity: 1 }] })).status).toBe(200);
    await setStock(server, net.storeB, a, 2);
    await setStock(server, net.storeB, b, 1);
    const { rerouteBackorders } = await import('../../src/orders/index.ts');
    expect(await rerouteBackorders(database.db)).toBe(1);
    const order = (await server.request('GET', `/v1/orders/${placed.body.id}`)).body;
    expect(order.lines[0].quantities).toMatchObject({ allocated: 1, backordered: 0 });
    expect(await level(net.storeB, a)).toMatchObject({ on_hand: 2, reserved: 2 });
  });

  it('places a bundle and one of its components from the stock they share, each where it is', async () => {
    const { kit, a, b } = await newKit();
    await setStock(server, net.storeA, a, 2);
    await setStock(server, net.storeA, b, 1);
    await setStock(server, net.storeB, a, 1);
    const placed = await placeOrder(
      server,
      orderBody(`ORDER-${++n}`, [
        { sku: kit, quantity: 1 },
        { sku: a, quantity: 1 },
      ]),
    );
    expect(placed.status).toBe(201);
    const places = placed.body.allocations.map((x: { sku: string; location_id: string; quantity: number }) => [
      x.sku,
      x.location_id,
      x.quantity,
    ]);
    expect(places.sort()).toEqual(
      [
        [kit, net.storeA, 1],
        [a, net.storeB, 1],
      ].sort(),
    );
    expect(await level(net.storeA, a)).toMatchObject({ on_hand: 2, reserved: 2 });
    expect(await level(net.storeB, a)).toMatchObject({ on_hand: 1, reserved: 1 });
  });

  it('refuses a bundle and its component as insufficient stock when their shared stock cannot hold both', async () => {
    const { kit, a, b } = await newKit();
    await setStock(server, net.storeA, a, 2);
    await setStock(server, net.storeA, b, 1);
    const placed = await placeOrder(
      server,
      orderBody(`ORDER-${++n}`, [
        { sku: kit, quantity: 1 },
        { sku: a, quantity: 1 },
      ]),
    );
    expect(placed.status).toBe(409);
    expect(placed.body.code).toBe('insufficient_stock');
    expect(await level(net.storeA, a)).toMatchObject({ on_hand: 2, reserved: 0 });
  });
});
