import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createSmallNetwork, setStock, type SmallNetwork } from '../support/fixtures.ts';
import { heldMismatches, ledgerMismatches, tableCounts } from '../support/invariants.ts';
import { orderBody } from '../support/orders.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/**
 * A cart hold belongs to the channel it was held for: only that channel's orders convert it,
 * only keys that see that channel release it, and a line converts only units of its own SKU.
 */
let database: TestDatabase;
let server: TestServer;
let net: SmallNetwork;
const keys = { web: '', marketplace: '' };

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  net = await createSmallNetwork(server, 3);
  for (const sku of net.skus) await setStock(server, net.storeA, sku, 20);
  // Coordinates make the store a candidate for lines that routing places.
  const located = await server.request('PATCH', `/v1/locations/${net.storeA}`, {
    body: { latitude: 42.36, longitude: -71.06 },
  });
  expect(located.status).toBe(200);
  const marketplace = await server.request('POST', '/v1/channels', {
    body: { code: 'marketplace', name: 'Marketplace', type: 'marketplace', location_group_id: net.groupId },
  });
  expect(marketplace.status).toBe(201);
  keys.web = (await createApiKey(database.db, { role: 'channel', channelId: net.channelId })).secret;
  keys.marketplace = (await createApiKey(database.db, { role: 'channel', channelId: marketplace.body.id })).secret;
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

async function holdAs(key: string | undefined, sku: string, quantity: number) {
  const held = await server.request('POST', '/v1/reservations', {
    key,
    body: { lines: [{ sku, quantity, location_id: net.storeA }], reference: 'cart' },
  });
  expect(held.status).toBe(201);
  return held.body as { id: string; channel_id: string | null };
}

const reserved = async (sku: string) =>
  (await server.request('GET', `/v1/inventory/${net.storeA}/${sku}`)).body.reserved;

/** The hold is as it was: held, for no order, its units still reserved, and nothing else written. */
async function expectUntouched(holdId: string, sku: string, before: { reserved: number; counts: object }) {
  const hold = await server.request('GET', `/v1/reservations/${holdId}`);
  expect(hold.body).toMatchObject({ status: 'held', order_id: null });
  expect(await reserved(sku)).toBe(before.reserved);
  expect(await tableCounts(database.db)).toEqual(before.counts);
  expect(await ledgerMismatches(database.db)).toEqual([]);
  expect(await heldMismatches(database.db)).toEqual([]);
}

const snapshot = async (sku: string) => ({ reserved: await reserved(sku), counts: await tableCounts(database.db) });

describe('cart holds belong to their channel', () => {
  it("refuses another channel's key that names a web hold on its order, and writes nothing", async () => {
    const sku = net.skus[0]!;
    const hold = await holdAs(keys.web, sku, 2);
    expect(hold.channel_id).toBe(net.channelId);
    const before = await snapshot(sku);
    const body = orderBody('MKT-1', [{ sku, quantity: 2, reservation_id: hold.id }], { channel: 'marketplace' });
    const placed = await server.request('POST', '/v1/orders', { key: keys.marketplace, body });
    expect(placed.status).toBe(422);
    expect(placed.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(placed.body).toMatchObject({ code: 'reservation_channel_mismatch', reservation_id: hold.id });
    await expectUntouched(hold.id, sku, before);
  });

  it('refuses an admin who puts a web hold on a marketplace order', async () => {
    const sku = net.skus[0]!;
    const hold = await holdAs(keys.web, sku, 1);
    const before = await snapshot(sku);
    const body = orderBody('MKT-2', [{ sku, quantity: 1, reservation_id: hold.id }], { channel: 'marketplace' });
    const placed = await server.request('POST', '/v1/orders', { body });
    expect(placed.status).toBe(422);
    expect(placed.body).toMatchObject({ code: 'reservation_channel_mismatch', reservation_id: hold.id });
    await expectUntouched(hold.id, sku, before);
  });

  it('refuses a channel key that names a hold held for no channel', async () => {
    const sku = net.skus[1]!;
    const hold = await holdAs(undefined, sku, 1);
    expect(hold.channel_id).toBeNull();
    const before = await snapshot(sku);
    const body = orderBody('WEB-NOCHANNEL', [{ sku, quantity: 1, reservation_id: hold.id }]);
    const placed = await server.request('POST', '/v1/orders', { key: keys.web, body });
    expect(placed.status).toBe(422);
    expect(placed.body).toMatchObject({ code: 'reservation_channel_mismatch', reservation_id: hold.id });
    await expectUntouched(hold.id, sku, before);
  });

  it("does not let another channel's key release a web hold", async () => {
    const sku = net.skus[0]!;
    const hold = await holdAs(keys.web, sku, 3);
    const before = await snapshot(sku);
    const released = await server.request('DELETE', `/v1/reservations/${hold.id}`, { key: keys.marketplace });
    expect(released.status).toBe(404);
    expect(released.body).toMatchObject({ code: 'not_found' });
    await expectUntouched(hold.id, sku, before);
  });

  it('refuses a hold named on a line of a SKU it does not hold, and writes nothing', async () => {
    const [skuA, skuB] = [net.skus[1]!, net.skus[2]!];
    const hold = await holdAs(keys.web, skuA, 2);
    const before = await snapshot(skuA);
    const body = orderBody('WEB-SKU', [{ sku: skuB, quantity: 2, reservation_id: hold.id }]);
    const placed = await server.request('POST', '/v1/orders', { key: keys.web, body });
    expect(placed.status).toBe(422);
    expect(placed.body).toMatchObject({
      code: 'reservation_sku_mismatch',
      reservation_id: hold.id,
      errors: [{ pointer: '/lines/0/reservation_id' }],
    });
    await expectUntouched(hold.id, skuA, before);
    expect(await reserved(skuB)).toBe(0);
  });

  it("turns the channel's own hold into its order", async () => {
    const sku = net.skus[2]!;
    const hold = await holdAs(keys.web, sku, 2);
    const body = orderBody('WEB-OWN', [{ sku, quantity: 2, reservation_id: hold.id }]);
    const placed = await server.request('POST', '/v1/orders', { key: keys.web, body });
    expect(placed.status).toBe(201);
    expect((await server.request('GET', `/v1/reservations/${hold.id}`)).body).toMatchObject({
      status: 'committed',
      order_id: placed.body.id,
    });
    expect(await heldMismatches(database.db)).toEqual([]);
  });
});
