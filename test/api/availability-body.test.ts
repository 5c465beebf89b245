import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/index.ts';
import { createProduct } from '../../src/catalog/index.ts';
import {
  AvailabilityResponse,
  getAvailability,
  getAvailabilityBody,
  setStockLevel,
  SHORT_SKU_LIST,
  type AvailabilityResult,
} from '../../src/inventory/index.ts';
import { resolveLocationScope, type LocationScope } from '../../src/network/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createSmallNetwork, setStock, type SmallNetwork } from '../support/fixtures.ts';
import { startTestServer, TEST_ADMIN_KEY, type TestServer } from '../support/server.ts';

/**
 * A long SKU list is answered with a body the database writes (getAvailabilityBody), past the
 * response serializer. It must be exactly what the serializer writes for getAvailability's result:
 * the same bytes, so the same keys, key order, SKU order, location order and escapes.
 */

let database: TestDatabase;
let server: TestServer;
let net: SmallNetwork;
let closedStore: string;
let channelKey: string;

/** Serializes like the API's short path: Fastify's serializer compiled from AvailabilityResponse. */
const reference = Fastify();
let referenceValue: AvailabilityResult = { data: [], unknown_skus: [] };
reference.get('/', { schema: { response: { 200: AvailabilityResponse } } }, async () => referenceValue);
async function serialized(value: AvailabilityResult): Promise<string> {
  referenceValue = value;
  const response = await reference.inject('/');
  expect(response.statusCode).toBe(200);
  return response.body;
}

/** Products whose SKUs need JSON escapes or are not ASCII; they are stocked below. */
const oddSkus = [
  'QUOTE-"-1',
  'BACK\\SLASH',
  'ÜNÏCODE-é-😀',
  'TAB\tINSIDE',
  'CTRL-\u0001-\u001f',
  '</script>',
  'LINE\u2028SEP',
  'DEL\u007f',
];
const plainSkus = Array.from({ length: 70 }, (_, i) => `AVB-${String(i + 1).padStart(3, '0')}`);
const unknownSkus = ['GHOST-1', 'GHOST-"2"', 'GHOST-\\3', 'GHÖST-4-🙂', 'GHOST\t5', 'GHOST-\u0002'];

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  net = await createSmallNetwork(server, 3);
  const closed = await server.request('POST', '/v1/locations', {
    body: {
      code: 'CLOSED',
      type: 'store',
      name: 'Closed store',
      address: { line1: '1 Main St', city: 'Hartford', country: 'US' },
      timezone: 'America/New_York',
      capabilities: ['ship'],
    },
  });
  closedStore = closed.body.id;
  for (const sku of [...plainSkus, ...oddSkus]) {
    const created = await createProduct(database.db, { sku, name: `Product ${sku}` });
    if (!created.ok) throw new Error(`product ${sku}: ${created.problem.detail}`);
  }
  // Every third plain SKU has no stock at all; the others are spread over the locations with
  // safety stock (sometimes above on_hand, so available is floored at zero).
  const stocked = [...plainSkus.filter((_, i) => i % 3 !== 2), ...oddSkus];
  for (const [i, sku] of stocked.entries()) {
    const levels: [string, number, number][] = [
      [net.dc, 100 + i, i % 4],
      [net.storeA, i % 7, i % 5 === 0 ? 9 : 0],
      [closedStore, 50, 0],
    ];
    if (i % 2 === 0) levels.push([net.storeB, 1_000_000 + i, 3]);
    for (const [locationId, onHand, safetyStock] of levels) {
      const set = await setStockLevel(database.db, { locationId, sku, onHand, safetyStock });
      if (!set.ok) throw new Error(`stock ${sku}: ${set.problem.detail}`);
    }
  }
  await setStock(server, net.storeA, net.skus[0]!, 12, 1);
  const hold = await server.request('POST', '/v1/reservations', {
    body: { lines: [{ sku: plainSkus[0], quantity: 5, location_id: net.dc }], expires_in_seconds: 3600 },
  });
  expect(hold.status).toBe(201);
  // An inactive location's stock counts nowhere.
  const closing = await server.request('PATCH', `/v1/locations/${closedStore}`, { body: { active: false } });
  expect(closing.status).toBe(200);
  channelKey = (await createApiKey(database.db, { role: 'channel', channelId: net.channelId })).secret;
});
afterAll(async () => {
  await reference.close();
  await server?.close();
  await database?.close();
});

/** Asked SKUs in a deliberate order: unknown ones in between, duplicates, odd characters. */
function askedSkus(): string[] {
  const asked: string[] = [];
  for (const [i, sku] of [...plainSkus].reverse().entries()) {
    asked.push(sku);
    if (i % 11 === 0) asked.push(unknownSkus[(i / 11) % unknownSkus.length]!);
  }
  asked.splice(7, 0, ...oddSkus, net.skus[0]!, plainSkus[3]!, net.skus[1]!);
  asked.push(plainSkus[10]!, 'GHOST-1');
  return asked;
}

async function scopeOf(scope: LocationScope): Promise<string[] | null> {
  const resolved = await resolveLocationScope(database.db, scope);
  if (!resolved.ok) throw new Error(resolved.problem.detail);
  return resolved.value;
}

describe('the availability body built by the database', () => {
  const scopes: [string, () => Promise<string[] | null>][] = [
    ['the whole network', async () => null],
    ['a location group', () => scopeOf({ locationGroupId: net.groupId })],
    ['a channel', () => scopeOf({ channelId: 'web' })],
    ['one location', () => scopeOf({ locationId: net.storeA })],
    ['an inactive location', async () => [closedStore]],
    ['no location at all', async () => []],
  ];
  for (const [name, scope] of scopes) {
    it(`equals the serialized rows for ${name}`, async () => {
      const skus = askedSkus();
      const locationIds = await scope();
      const expected = await serialized(await getAvailability(database.db, skus, locationIds));
      expect(await getAvailabilityBody(database.db, skus, locationIds)).toBe(expected);
    });
  }

  it('equals the serialized rows for a short list, one SKU and only unknown SKUs', async () => {
    for (const skus of [[plainSkus[0]!], [oddSkus[0]!, 'GHOST-1', plainSkus[2]!], unknownSkus]) {
      const expected = await serialized(await getAvailability(database.db, skus, null));
      expect(await getAvailabilityBody(database.db, skus, null)).toBe(expected);
    }
  });

  it('has the values the rows have (reserved, safety stock, inactive locations)', async () => {
    const body = JSON.parse(await getAvailabilityBody(database.db, askedSkus(), null)) as AvailabilityResult;
    const first = body.data.find((entry) => entry.sku === plainSkus[0])!;
    expect(first.reserved).toBe(5);
    expect(first.locations.map((l) => l.location_id)).not.toContain(closedStore);
    expect(first.available).toBe(first.locations.reduce((sum, l) => sum + l.available, 0));
    expect(body.unknown_skus).toEqual([...new Set(askedSkus().filter((sku) => sku.startsWith('GH')))]);
    expect(body.data.map((entry) => entry.sku)).toEqual(
      [...new Set(askedSkus())].filter((sku) => !sku.startsWith('GH')),
    );
  });
});

describe('POST /v1/availability/query and GET /v1/availability with a long list', () => {
  async function ask(method: 'GET' | 'POST', skus: string[], key = TEST_ADMIN_KEY) {
    return server.app.inject({
      method,
      url: method === 'GET' ? `/v1/availability?skus=${encodeURIComponent(skus.join(','))}` : '/v1/availability/query',
      headers: { authorization: `Bearer ${key}` },
      ...(method === 'POST' ? { payload: { skus } } : {}),
    });
  }

  it('answers with the serializer’s bytes and content type', async () => {
    const skus = askedSkus();
    expect(new Set(skus).size).toBeGreaterThan(SHORT_SKU_LIST);
    const expected = await serialized(await getAvailability(database.db, skus, null));
    const short = await ask('POST', skus.slice(0, 3));
    for (const method of ['GET', 'POST'] as const) {
      const response = await ask(method, skus);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe(short.headers['content-type']);
      expect(response.body).toBe(expected);
    }
  });

  it('shows a channel key only its channel’s locations', async () => {
    const skus = askedSkus();
    const response = await ask('POST', skus, channelKey);
    expect(response.statusCode).toBe(200);
    const inChannel = await scopeOf({ channelId: net.channelId });
    expect(response.body).toBe(await serialized(await getAvailability(database.db, skus, inChannel)));
    const body = JSON.parse(response.body) as AvailabilityResult;
    const seen = new Set(body.data.flatMap((entry) => entry.locations.map((l) => l.location_id)));
    expect([...seen].every((id) => inChannel!.includes(id))).toBe(true);
    expect(seen.has(net.dc)).toBe(false);
  });
});
