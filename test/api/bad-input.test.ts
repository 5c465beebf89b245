import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createSmallNetwork, setStock, type SmallNetwork } from '../support/fixtures.ts';
import { tableCounts } from '../support/invariants.ts';
import { startTestServer, type TestServer, type RequestOptions } from '../support/server.ts';

let database: TestDatabase;
let server: TestServer;
let net: SmallNetwork;
const keys: Record<string, string> = {};

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  net = await createSmallNetwork(server, 2);
  await setStock(server, net.storeA, net.skus[0]!, 10);
  keys.agent = (await createApiKey(database.db, { role: 'agent' })).secret;
  keys.channel = (await createApiKey(database.db, { role: 'channel', channelId: net.channelId })).secret;
  keys.storeB = (await createApiKey(database.db, { role: 'fulfillment', locationIds: [net.storeB] })).secret;
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

interface Case {
  name: string;
  method: string;
  path: () => string;
  options: () => RequestOptions;
  status: number;
  code: string;
}

const sku = () => net.skus[0]!;
const hold = (line: Record<string, unknown>) => ({ lines: [{ sku: sku(), location_id: net.storeA, ...line }] });

const cases: Case[] = [
  {
    name: 'malformed JSON',
    method: 'POST',
    path: () => '/v1/reservations',
    options: () => ({ rawBody: '{"lines": [' }),
    status: 400,
    code: 'malformed_json',
  },
  {
    name: 'empty JSON body',
    method: 'POST',
    path: () => '/v1/reservations',
    options: () => ({ rawBody: '', headers: { 'content-type': 'application/json' } }),
    status: 400,
    code: 'malformed_json',
  },
  {
    name: 'unknown field',
    method: 'POST',
    path: () => '/v1/reservations',
    options: () => ({ body: { ...hold({ quantity: 1 }), colour: 'red' } }),
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'unknown field in a line',
    method: 'POST',
    path: () => '/v1/reservations',
    options: () => ({ body: hold({ quantity: 1, gift: true }) }),
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'negative quantity',
    method: 'POST',
    path: () => '/v1/reservations',
    options: () => ({ body: hold({ quantity: -1 }) }),
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'zero quantity',
    method: 'POST',
    path: () => '/v1/reservations',
    options: () => ({ body: hold({ quantity: 0 }) }),
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'fractional quantity',
    method: 'POST',
    path: () => '/v1/reservations',
    options: () => ({ body: hold({ quantity: 1.5 }) }),
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'quantity as a string',
    method: 'POST',
    path: () => '/v1/reservations',
    options: () => ({ body: hold({ quantity: '2' }) }),
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'unknown SKU',
    method: 'POST',
    path: () => '/v1/reservations',
    options: () => ({ body: { lines: [{ sku: 'NO-SUCH', quantity: 1 }] } }),
    status: 422,
    code: 'unknown_sku',
  },
  {
    name: 'unknown location',
    method: 'POST',
    path: () => '/v1/reservations',
    options: () => ({ body: hold({ quantity: 1, location_id: 'loc_nowhere' }) }),
    status: 422,
    code: 'unknown_location',
  },
  {
    name: 'more than available',
    method: 'POST',
    path: () => '/v1/reservations',
    options: () => ({ body: hold({ quantity: 11 }) }),
    status: 409,
    code: 'insufficient_stock',
  },
  {
    name: 'oversized body',
    method: 'POST',
    path: () => '/v1/reservations',
    options: () => ({ body: { lines: [{ sku: 'x'.repeat(2_000_000), quantity: 1 }] } }),
    status: 413,
    code: 'payload_too_large',
  },
  {
    name: 'oversized feed (over 16 MiB)',
    method: 'POST',
    path: () => '/v1/inventory/feeds',
    options: () => ({
      rawBody: JSON.stringify({
        feed_id: 'big',
        mode: 'delta',
        as_of: '2026-01-01T00:00:00Z',
        rows: [],
        pad: 'x'.repeat(17 * 1024 * 1024),
      }),
    }),
    status: 413,
    code: 'payload_too_large',
  },
  {
    name: 'not JSON',
    method: 'POST',
    path: () => '/v1/reservations',
    options: () => ({ rawBody: 'lines=1', headers: { 'content-type': 'text/plain' } }),
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'negative on_hand',
    method: 'PUT',
    path: () => `/v1/inventory/${net.storeA}/${sku()}`,
    options: () => ({ body: { on_hand: -5 } }),
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'fractional adjustment',
    method: 'POST',
    path: () => '/v1/inventory/adjustments',
    options: () => ({
      body: { reason: 'x', movements: [{ kind: 'receipt', sku: sku(), location_id: net.dc, quantity: 2.5 }] },
    }),
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'adjustment at an unknown location',
    method: 'POST',
    path: () => '/v1/inventory/adjustments',
    options: () => ({
      body: { reason: 'x', movements: [{ kind: 'receipt', sku: sku(), location_id: 'loc_nowhere', quantity: 2 }] },
    }),
    status: 422,
    code: 'unknown_location',
  },
  {
    name: 'feed row with a negative count',
    method: 'POST',
    path: () => '/v1/inventory/feeds',
    options: () => ({
      body: {
        feed_id: 'neg',
        mode: 'snapshot',
        as_of: '2026-01-01T00:00:00Z',
        rows: [{ location_id: net.dc, sku: sku(), on_hand: -1 }],
      },
    }),
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'no API key',
    method: 'POST',
    path: () => '/v1/reservations',
    options: () => ({ body: hold({ quantity: 1 }), key: null }),
    status: 401,
    code: 'unauthorized',
  },
  {
    name: 'unknown API key',
    method: 'POST',
    path: () => '/v1/reservations',
    options: () => ({ body: hold({ quantity: 1 }), key: 'csk_not_a_real_key' }),
    status: 401,
    code: 'unauthorized',
  },
  {
    name: 'agent may not hold stock',
    method: 'POST',
    path: () => '/v1/reservations',
    options: () => ({ body: hold({ quantity: 1 }), key: keys.agent! }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'agent may not create locations',
    method: 'POST',
    path: () => '/v1/locations',
    options: () => ({
      body: {
        type: 'store',
        name: 'x',
        address: { line1: 'a', city: 'b', country: 'US' },
        timezone: 'UTC',
        capabilities: [],
      },
      key: keys.agent!,
    }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'channel key may not adjust stock',
    method: 'POST',
    path: () => '/v1/inventory/adjustments',
    options: () => ({
      body: { reason: 'x', movements: [{ kind: 'receipt', sku: sku(), location_id: net.dc, quantity: 2 }] },
      key: keys.channel!,
    }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'store key may not count another store',
    method: 'PUT',
    path: () => `/v1/inventory/${net.storeA}/${sku()}`,
    options: () => ({ body: { on_hand: 1 }, key: keys.storeB! }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'channel key may not read the events',
    method: 'GET',
    path: () => '/v1/events',
    options: () => ({ key: keys.channel! }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'bad cursor',
    method: 'GET',
    path: () => '/v1/events?cursor=!!',
    options: () => ({}),
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'unknown route',
    method: 'GET',
    path: () => '/v1/nothing-here',
    options: () => ({}),
    status: 404,
    code: 'not_found',
  },
];

describe('bad input gets a 4xx problem+json with a stable code and writes nothing', () => {
  for (const c of cases) {
    it(`${c.name} → ${c.status} ${c.code}`, async () => {
      const before = await tableCounts(database.db);
      const response = await server.request(c.method, c.path(), c.options());
      expect(response.status).toBe(c.status);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body).toMatchObject({ status: c.status, code: c.code, type: `/problems/${c.code}` });
      expect(typeof response.body.detail).toBe('string');
      expect(await tableCounts(database.db)).toEqual(before);
    });
  }

  it('a store key may count its own store', async () => {
    const response = await server.request('PUT', `/v1/inventory/${net.storeB}/${sku()}`, {
      body: { on_hand: 3 },
      key: keys.storeB!,
    });
    expect(response.status).toBe(200);
  });

  it('a channel key holds within its own channel', async () => {
    const response = await server.request('POST', '/v1/reservations', {
      body: { lines: [{ sku: sku(), quantity: 1 }] },
      key: keys.channel!,
    });
    expect(response.status).toBe(201);
    expect([net.storeA, net.storeB]).toContain(response.body.lines[0].location_id);
    expect(response.body.channel_id).toBe(net.channelId);
  });
});
