import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRoutingRules } from '../../src/routing/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { setStock } from '../support/fixtures.ts';
import { orderBody, placeOrder } from '../support/orders.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/*
 * Routing told in words: a decision's sentence on the order (GET /v1/orders/{id}/routing) and a
 * draft's changes against the active rules (POST /v1/routing/rules/compare), on a Denver network
 * whose distances and freight are known.
 */

let database: TestDatabase;
let server: TestServer;
let cherryCreek: string;
let reno: string;

async function must(method: string, path: string, body?: unknown) {
  const response = await server.request(method, path, { body });
  if (response.status >= 300)
    throw new Error(`${method} ${path} → ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as Record<string, unknown> & { id: string };
}

const location = (code: string, name: string, latitude: number, longitude: number, timezone: string) =>
  must('POST', '/v1/locations', {
    code,
    type: 'warehouse',
    name,
    address: { line1: '1 Main St', city: name, country: 'US' },
    latitude,
    longitude,
    timezone,
    capabilities: ['ship'],
  });

/** An order of one 500 g mug to downtown Denver. */
const denverOrder = (externalId: string) =>
  orderBody(externalId, [{ sku: 'MUG', quantity: 1 }], {
    shipping_address: {
      name: 'Pat Doe',
      line1: '1437 Bannock St',
      city: 'Denver',
      region: 'CO',
      postal_code: '80202',
      country: 'US',
      latitude: 39.7392,
      longitude: -104.9903,
    },
  });

async function sentenceOf(externalId: string): Promise<string> {
  const placed = await placeOrder(server, denverOrder(externalId));
  expect(placed.status).toBe(201);
  const routing = await server.request('GET', `/v1/orders/${placed.body.id}/routing`);
  return routing.body.latest.explanation_text as string;
}

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  cherryCreek = (await location('CC', 'Cherry Creek', 39.717, -104.953, 'America/Denver')).id;
  reno = (await location('RNO', 'Reno', 39.5296, -119.8138, 'America/Los_Angeles')).id;
  const group = await must('POST', '/v1/location-groups', {
    code: 'west',
    name: 'West',
    location_ids: [cherryCreek, reno],
  });
  await must('POST', '/v1/channels', { code: 'web', name: 'Web', type: 'web', location_group_id: group.id });
  await must('POST', '/v1/products', { sku: 'MUG', name: 'Mug', weight_grams: 500 });
  await setStock(server, cherryCreek, 'MUG', 5);
  await setStock(server, reno, 'MUG', 5);
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

describe('routing in plain words', () => {
  it("tells an order's routing in one sentence with the runner-up's distance and freight", async () => {
    // Zone 2 from Cherry Creek: $8.50 + 1 kg × $0.90 = $9.40; zone 5 from Reno: $10.00 + $1.60 = $11.60.
    expect(await sentenceOf('PW-1')).toBe(
      'Ships from Cherry Creek: nearest and cheapest with all items, 4 km; Reno was 1,268 km and $2.20 dearer.',
    );
  });

  it("lists a draft's changes against the active rules, and refuses an unknown location by field", async () => {
    const draft = { ...defaultRoutingRules, maxShipments: 1, pickupFallback: 'ship', excludedLocations: [cherryCreek] };
    const compared = await server.request('POST', '/v1/routing/rules/compare', { body: { rules: draft } });
    expect(compared.status).toBe(200);
    expect(compared.body).toEqual({
      against: { version: null },
      changes: [
        'Max shipments: no limit → 1',
        'Pickup fallback: refuse the order → ship it instead',
        'Excluded: Cherry Creek added',
      ],
      errors: [],
    });

    const unknown = { ...defaultRoutingRules, excludedLocations: ['loc_nowhere'] };
    const refused = await server.request('POST', '/v1/routing/rules/compare', { body: { rules: unknown } });
    expect(refused.body.errors).toEqual([
      { pointer: '/rules/excludedLocations/0', message: 'no location has the id "loc_nowhere"' },
    ]);
    const saved = await server.request('PUT', '/v1/routing/rules', { body: { rules: unknown } });
    expect(saved.status).toBe(400);
    expect(saved.body.errors).toEqual(refused.body.errors);

    const version = (await must('PUT', '/v1/routing/rules', { rules: draft })).version as number;
    const byVersion = await server.request('POST', '/v1/routing/rules/compare', { body: { version } });
    expect(byVersion.body).toMatchObject({ version, status: 'draft', changes: compared.body.changes });
    await must('POST', `/v1/routing/rules/${version}/activate`);
    const after = await server.request('POST', '/v1/routing/rules/compare', { body: { version } });
    expect(after.body).toMatchObject({ against: { version }, changes: [] });
    const back = await server.request('POST', '/v1/routing/rules/compare', { body: { rules: defaultRoutingRules } });
    expect(back.body.changes).toEqual([
      'Max shipments: 1 → no limit',
      'Pickup fallback: ship it instead → refuse the order',
      'Excluded: Cherry Creek removed',
    ]);
    expect((await server.request('POST', '/v1/routing/rules/compare', { body: { version: 999 } })).status).toBe(404);
  });

  it('routes around a location the active rules exclude, and says so', async () => {
    expect(await sentenceOf('PW-2')).toBe(
      'Ships from Reno: the only location with all items, 1,268 km; no other plan was possible; ' +
        'Cherry Creek (4 km) was nearer but is excluded by the routing rules.',
    );
  });
});
