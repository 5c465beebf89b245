import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createSmallNetwork, setStock, type SmallNetwork } from '../support/fixtures.ts';
import { orderBody, placeOrder } from '../support/orders.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/**
 * A shadow channel's decision is the one a live capture makes (ADR 0048), also for an order of a
 * kit beside one of its components, whose shared stock capture plans again when its first plan
 * counted the same units twice (docs/bundles.md).
 */
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
  const shadow = await server.request('POST', `/v1/channels/${net.channelId}/shadow`);
  expect(shadow.body.mode).toBe('shadow');
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

const kitAndPart = (kit: string, a: string) =>
  orderBody(`SHADOW-${++n}`, [
    { sku: kit, quantity: 1 },
    { sku: a, quantity: 1 },
  ]);

describe('a shadow order of a kit and one of its components', () => {
  it('is rejected when their shared stock cannot hold both, as a live capture refuses it', async () => {
    const { kit, a, b } = await newKit();
    await setStock(server, net.storeA, a, 2);
    await setStock(server, net.storeA, b, 1);
    const placed = await placeOrder(server, kitAndPart(kit, a));
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(placed.body.decision).toMatchObject({ status: 'rejected', allocations: [], backorders: [] });
  });

  it('is decided on the stock they share, each where it is, as a live capture places it', async () => {
    const { kit, a, b } = await newKit();
    await setStock(server, net.storeA, a, 2);
    await setStock(server, net.storeA, b, 1);
    await setStock(server, net.storeB, a, 1);
    const placed = await placeOrder(server, kitAndPart(kit, a));
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(placed.body.decision.status).toBe('allocated');
    const places = placed.body.decision.allocations.map((x: { sku: string; location_id: string; quantity: number }) => [
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
  });
});
