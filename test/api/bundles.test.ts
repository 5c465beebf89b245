import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createSmallNetwork, setStock, type SmallNetwork } from '../support/fixtures.ts';
import { tableCounts } from '../support/invariants.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let database: TestDatabase;
let server: TestServer;
let net: SmallNetwork;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  net = await createSmallNetwork(server, 4);
  for (const sku of ['KIT-A', 'KIT-B', 'KIT-C', 'KIT-D']) {
    await server.request('POST', '/v1/products', { body: { sku, name: `Bundle ${sku}` } });
  }
});

afterAll(async () => {
  await server?.close();
  await database?.close();
});

const setComponents = (sku: string, components: unknown) =>
  server.request('PUT', `/v1/products/${sku}/components`, { body: { components } });

/** A refused definition answers problem+json with `code` and leaves every table as it was. */
async function expectRefused(sku: string, components: unknown, status: number, code: string) {
  const before = await tableCounts(database.db);
  const response = await setComponents(sku, components);
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(response.body.code).toBe(code);
  expect(await tableCounts(database.db)).toEqual(before);
  return response.body;
}

describe('PUT /v1/products/{sku}/components', () => {
  it('makes a product a bundle and shows its components on the product', async () => {
    const [a, b] = net.skus;
    const set = await setComponents('KIT-A', [
      { sku: a, quantity: 2, price_weight: 300 },
      { sku: b, quantity: 1 },
    ]);
    expect(set.status).toBe(200);
    expect(set.body.components).toEqual([
      { sku: a, quantity: 2, price_weight: 300 },
      { sku: b, quantity: 1, price_weight: 1 },
    ]);
    const read = await server.request('GET', '/v1/products/KIT-A');
    expect(read.body.components).toEqual(set.body.components);
    const plain = await server.request('GET', `/v1/products/${a}`);
    expect(plain.body.components).toEqual([]);
  });

  it('refuses a bundle containing itself, directly or through another bundle', async () => {
    await expectRefused('KIT-B', [{ sku: 'KIT-B', quantity: 1 }], 422, 'bundle_cycle');
    expect((await setComponents('KIT-B', [{ sku: 'KIT-A', quantity: 1 }])).status).toBe(200);
    expect((await setComponents('KIT-C', [{ sku: 'KIT-B', quantity: 2 }])).status).toBe(200);
    const problem = await expectRefused('KIT-A', [{ sku: 'KIT-C', quantity: 1 }], 422, 'bundle_cycle');
    expect(problem.path).toEqual(['KIT-A', 'KIT-C', 'KIT-B', 'KIT-A']);
  });

  it('refuses unknown components, duplicates, zero and negative quantities and unknown products', async () => {
    await expectRefused('KIT-D', [{ sku: 'NO-SUCH-SKU', quantity: 1 }], 422, 'unknown_sku');
    await expectRefused(
      'KIT-D',
      [
        { sku: net.skus[0], quantity: 1 },
        { sku: net.skus[0], quantity: 2 },
      ],
      422,
      'duplicate_component',
    );
    await expectRefused('KIT-D', [{ sku: net.skus[0], quantity: 0 }], 400, 'validation_failed');
    await expectRefused('KIT-D', [{ sku: net.skus[0], quantity: -1 }], 400, 'validation_failed');
    await expectRefused('KIT-D', [{ sku: net.skus[0], quantity: 1.5 }], 400, 'validation_failed');
    await expectRefused('KIT-D', [{ sku: net.skus[0] }], 400, 'validation_failed');
    await expectRefused('NO-SUCH-KIT', [{ sku: net.skus[0], quantity: 1 }], 404, 'not_found');
  });

  it('refuses to make a product with stock levels a bundle, and stock for a bundle', async () => {
    await setStock(server, net.dc, net.skus[3]!, 5);
    await expectRefused(net.skus[3]!, [{ sku: net.skus[0], quantity: 1 }], 409, 'bundle_has_stock');
    const before = await tableCounts(database.db);
    const put = await server.request('PUT', `/v1/inventory/${net.dc}/KIT-A`, { body: { on_hand: 3 } });
    expect(put.status).toBe(422);
    expect(put.body.code).toBe('bundle_not_stocked');
    const feed = await server.request('POST', '/v1/inventory/feeds', {
      body: {
        feed_id: 'bundle-feed',
        mode: 'snapshot',
        as_of: new Date().toISOString(),
        rows: [{ location_id: net.dc, sku: 'KIT-A', on_hand: 3 }],
      },
    });
    expect(feed.status).toBe(422);
    expect(JSON.stringify(feed.body)).toContain('bundle_not_stocked');
    expect(await tableCounts(database.db)).toEqual(before);
  });
});

describe('availability of bundles', () => {
  it('is the minimum over components of ⌊available ÷ quantity⌋ per location, nested bundles expanded', async () => {
    const [a, b] = net.skus as [string, string];
    await setStock(server, net.storeA, a, 7); // KIT-A needs 2 a + 1 b: 3 kits by a
    await setStock(server, net.storeA, b, 10, 2); // 8 available: 8 kits by b
    await setStock(server, net.storeB, a, 9); // no b at store B: no kits there
    const response = await server.request('GET', '/v1/availability?skus=KIT-A,KIT-C,' + a);
    expect(response.status).toBe(200);
    const [kitA, kitC] = response.body.data;
    expect(kitA).toMatchObject({ sku: 'KIT-A', available: 3 });
    expect(kitA.locations).toEqual([
      { location_id: net.storeA, available: 3, on_hand: 3, reserved: 0, safety_stock: 0 },
    ]);
    // KIT-C = 2 × KIT-B = 2 × KIT-A: 4 a and 2 b per kit → ⌊7 ÷ 4⌋ = 1.
    expect(kitC).toMatchObject({ sku: 'KIT-C', available: 1 });
    expect(response.body.data[2]).toMatchObject({ sku: a, available: 16 });
  });

  it('answers a long list with bundles the same way', async () => {
    const skus = ['KIT-A', ...Array.from({ length: 60 }, (_, i) => `MISSING-${i}`)];
    const response = await server.request('GET', `/v1/availability?skus=${skus.join(',')}`);
    expect(response.status).toBe(200);
    expect(response.body.data[0]).toMatchObject({ sku: 'KIT-A', available: 3 });
    expect(response.body.unknown_skus).toHaveLength(60);
  });
});

describe('holds of a bundle', () => {
  it('are refused with bundle_not_stocked, at a named location or not, and write nothing', async () => {
    const [a, b] = net.skus as [string, string];
    await setStock(server, net.storeA, a, 7);
    await setStock(server, net.storeA, b, 10);
    const before = await tableCounts(database.db);
    for (const line of [
      { sku: 'KIT-A', quantity: 1, location_id: net.storeA },
      { sku: 'KIT-A', quantity: 1 },
    ]) {
      const response = await server.request('POST', '/v1/reservations', { body: { lines: [line] } });
      expect(response.status, JSON.stringify(line)).toBe(422);
      expect(response.body.code).toBe('bundle_not_stocked');
    }
    expect(await tableCounts(database.db)).toEqual(before);
  });
});
