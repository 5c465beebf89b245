import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createSmallNetwork, setStock, type SmallNetwork } from '../support/fixtures.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/** Drizzle wraps driver errors; the database's own message is the cause. */
const run = (statement: ReturnType<typeof sql>) =>
  database.db.execute(statement).catch((error: { cause?: unknown }) => {
    throw error.cause ?? error;
  });

let database: TestDatabase;
let server: TestServer;
let net: SmallNetwork;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  net = await createSmallNetwork(server, 1);
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

describe('health, readiness and the API description', () => {
  it('answers /health and /ready without a key', async () => {
    expect((await server.request('GET', '/health', { key: null })).body).toEqual({ status: 'ok' });
    const ready = await server.request('GET', '/ready', { key: null });
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ready', database: database.engine });
  });

  it('serves an OpenAPI 3.1 document generated from the route schemas, and interactive docs', async () => {
    const doc = (await server.request('GET', '/openapi.json', { key: null })).body;
    expect(doc.openapi).toBe('3.1.0');
    for (const path of [
      '/v1/locations',
      '/v1/location-groups',
      '/v1/channels',
      '/v1/products',
      '/v1/inventory/{location_id}/{sku}',
      '/v1/inventory/adjustments',
      '/v1/inventory/feeds',
      '/v1/inventory/ledger',
      '/v1/availability',
      '/v1/reservations',
      '/v1/reservations/{id}',
      '/v1/events',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    const feed = doc.paths['/v1/inventory/feeds'].post;
    expect(feed.requestBody.content['application/json'].schema.properties.rows.maxItems).toBe(10_000);
    const docs = await fetch(`${server.url}/docs/`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger');
  });
});

describe('the outbox', () => {
  it('lists events oldest first with a cursor that follows the stream', async () => {
    await setStock(server, net.storeA, net.skus[0]!, 5);
    const first = await server.request('GET', '/v1/events?limit=1&type=inventory.availability_changed');
    expect(first.body.data[0]).toMatchObject({
      type: 'inventory.availability_changed',
      data: { sku: net.skus[0], available: 5 },
    });
    const rest = await server.request(
      'GET',
      `/v1/events?cursor=${first.body.next_cursor}&type=inventory.availability_changed`,
    );
    expect(rest.body).toMatchObject({ data: [], has_more: false });
    expect(rest.body.next_cursor).toBe(first.body.next_cursor);
    await setStock(server, net.storeA, net.skus[0]!, 6);
    const next = await server.request(
      'GET',
      `/v1/events?cursor=${rest.body.next_cursor}&type=inventory.availability_changed`,
    );
    expect(next.body.data.map((e: { data: { available: number } }) => e.data.available)).toEqual([6]);
  });

  it('the ledger and the outbox are append-only in the database itself', async () => {
    await expect(run(sql`update inventory_ledger set on_hand_delta = 0`)).rejects.toThrow(/append-only/);
    await expect(run(sql`delete from inventory_ledger`)).rejects.toThrow(/append-only/);
    await expect(run(sql`delete from events`)).rejects.toThrow(/append-only/);
  });

  it('the database refuses negative stock and reservations above on_hand', async () => {
    await expect(run(sql`update stock_levels set reserved = on_hand + 1 where sku = ${net.skus[0]!}`)).rejects.toThrow(
      /stock_levels_reserved_within_on_hand|check constraint/,
    );
    await expect(run(sql`update stock_levels set on_hand = -1 where sku = ${net.skus[0]!}`)).rejects.toThrow(
      /check constraint/,
    );
  });
});
