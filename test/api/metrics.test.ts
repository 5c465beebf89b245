import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.ts';
import { sweepExpired } from '../../src/reservations/index.ts';
import { createWebhookDispatcher } from '../../src/webhooks/index.ts';
import { createRequester, type Requester } from '../support/client.ts';
import { createTestDatabase, testEngine, type TestDatabase } from '../support/db.ts';
import { createWarehouseChannel } from '../support/warehouse.ts';
import { orderBody, placeOrder } from '../support/orders.ts';
import { startTestServer, TEST_ADMIN_KEY, type TestServer } from '../support/server.ts';
import { allowLocalWebhooks } from '../support/webhook-receiver.ts';

let database: TestDatabase;
let server: TestServer;
let warehouse: string;
/** In stock at the warehouse, and a product nobody holds. */
const STOCKED = 'MET-STOCKED';
const NOWHERE = 'MET-NOWHERE';
let restoreTargets: () => void;

beforeAll(async () => {
  restoreTargets = allowLocalWebhooks();
  database = await createTestDatabase();
  server = await startTestServer(database);
  warehouse = await createWarehouseChannel(server.request, {
    code: 'WH',
    name: 'Warehouse',
    skus: [{ sku: STOCKED }],
    onHand: 50,
  });
  expect((await server.request('POST', '/v1/products', { body: { sku: NOWHERE, name: NOWHERE } })).status).toBe(201);
});
afterAll(async () => {
  await server?.close();
  await database?.close();
  restoreTargets?.();
});

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses Prometheus's text format (one sample per line, `# HELP`/`# TYPE` comments skipped). */
function parse(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return samples;
}

async function scrape(request: Requester = server.request, key: string | null = null) {
  const response = await request('GET', '/metrics', { key });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parse(String(response.body));
}

/** The value of one sample (0 when absent, as Prometheus treats a counter not yet seen). */
function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return found?.value ?? 0;
}

describe('GET /metrics', () => {
  it('counts requests per route template and status, with their latency', async () => {
    const before = await scrape();
    for (let i = 0; i < 3; i++) {
      const placed = await placeOrder(server, orderBody(`MET-${i}`, [{ sku: STOCKED, quantity: 1 }]));
      expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    }
    expect((await placeOrder(server, { nonsense: true })).status).toBe(400);
    const after = await scrape();
    const created = { method: 'POST', route: '/v1/orders', status: '201' };
    const refused = { method: 'POST', route: '/v1/orders', status: '400' };
    expect(
      value(after, 'consign_http_requests_total', created) - value(before, 'consign_http_requests_total', created),
    ).toBe(3);
    expect(
      value(after, 'consign_http_requests_total', refused) - value(before, 'consign_http_requests_total', refused),
    ).toBe(1);
    const count = (s: Sample[]) => value(s, 'consign_http_request_duration_seconds_count', created);
    expect(count(after) - count(before)).toBe(3);
    const sum = (s: Sample[]) => value(s, 'consign_http_request_duration_seconds_sum', created);
    expect(sum(after)).toBeGreaterThan(sum(before));
    // An order's path is its template, never the order's ID (one series per route, not per order).
    const id = (await server.request('GET', '/v1/orders?limit=1')).body.data[0].id as string;
    await server.request('GET', `/v1/orders/${id}`);
    const read = await scrape();
    expect(value(read, 'consign_http_requests_total', { route: '/v1/orders/:id', status: '200' })).toBeGreaterThan(0);
    expect(read.some((s) => Object.values(s.labels).some((v) => v.includes(id)))).toBe(false);
  });

  it('counts routing decisions by cause and outcome, and times the planner', async () => {
    const before = await scrape();
    await placeOrder(server, orderBody('MET-ROUTE', [{ sku: STOCKED, quantity: 2 }]));
    // No stock anywhere for the second SKU: routing rejects, the order waits on a routing hold.
    await placeOrder(server, orderBody('MET-NONE', [{ sku: NOWHERE, quantity: 1 }]));
    const after = await scrape();
    const delta = (labels: Record<string, string>) =>
      value(after, 'consign_routing_decisions_total', labels) -
      value(before, 'consign_routing_decisions_total', labels);
    expect(delta({ cause: 'capture', outcome: 'allocated' })).toBe(1);
    expect(delta({ cause: 'capture', outcome: 'rejected' })).toBe(1);
    const plans = (s: Sample[]) => value(s, 'consign_routing_plan_duration_seconds_count', { cause: 'capture' });
    expect(plans(after) - plans(before)).toBe(2);
  });

  it('counts cart holds the sweeper expired, and the holds each statement wrote', async () => {
    const statements = (s: Sample[]) => value(s, 'consign_hold_statement_holds_count');
    const written = (s: Sample[]) => value(s, 'consign_hold_statement_holds_sum');
    const start = await scrape();
    const held = await server.request('POST', '/v1/reservations', {
      body: { lines: [{ sku: STOCKED, quantity: 1, location_id: warehouse }], channel: 'web', reference: 'met' },
    });
    expect(held.status).toBe(201);
    const before = await scrape();
    expect(statements(before) - statements(start)).toBe(1);
    expect(written(before) - written(start)).toBe(1);
    await database.db.execute(
      sql`update reservations set expires_at = now() - interval '1 second' where id = ${held.body.id}`,
    );
    expect(await sweepExpired(database.db)).toBe(1);
    expect(value(await scrape(), 'consign_holds_expired_total') - value(before, 'consign_holds_expired_total')).toBe(1);
  });

  it("shows how far the webhook follower is behind and the deliveries waiting, then their attempts' outcomes", async () => {
    // An endpoint nobody listens on: every attempt fails and is retried.
    const subscription = await server.request('POST', '/v1/webhook-subscriptions', {
      body: { url: 'http://127.0.0.1:9/hook', event_types: ['order.created'] },
    });
    expect(subscription.status).toBe(201);
    await placeOrder(server, orderBody('MET-HOOK', [{ sku: STOCKED, quantity: 1 }]));
    const dispatcher = createWebhookDispatcher(database.db, { gapGraceMs: 0, timeoutMs: 2000 });
    // Before the follower runs it has not seen the order's events; afterwards it is caught up.
    await dispatcher.fanOut(); // creates the follower's cursor
    await placeOrder(server, orderBody('MET-HOOK-2', [{ sku: STOCKED, quantity: 1 }]));
    const behind = await scrape();
    expect(value(behind, 'consign_outbox_events_behind', { follower: 'webhooks' })).toBeGreaterThan(0);
    expect(value(behind, 'consign_outbox_lag_seconds', { follower: 'webhooks' })).toBeGreaterThanOrEqual(0);
    await dispatcher.fanOut();
    const queued = await scrape();
    expect(value(queued, 'consign_outbox_events_behind', { follower: 'webhooks' })).toBe(0);
    expect(value(queued, 'consign_outbox_lag_seconds', { follower: 'webhooks' })).toBe(0);
    expect(value(queued, 'consign_webhook_backlog')).toBe(2); // one order.created per order
    const retryingBefore = value(queued, 'consign_webhook_attempts_total', { outcome: 'retrying' });
    await dispatcher.send();
    const sent = await scrape();
    expect(value(sent, 'consign_webhook_attempts_total', { outcome: 'retrying' }) - retryingBefore).toBe(2);
    expect(value(sent, 'consign_webhook_backlog')).toBe(2); // still owed: retried later
    await server.request('PATCH', `/v1/webhook-subscriptions/${subscription.body.id}`, { body: { active: false } });
  });

  it('reports the PostgreSQL pool on the server engine, and process figures on both', async () => {
    const samples = await scrape();
    expect(value(samples, 'consign_process_resident_memory_bytes')).toBeGreaterThan(0);
    const pool = samples.filter((s) => s.name === 'consign_db_pool_connections');
    if (testEngine() === 'postgres') {
      expect(value(samples, 'consign_db_pool_connections', { state: 'max' })).toBeGreaterThan(0);
      expect(value(samples, 'consign_db_pool_connections', { state: 'total' })).toBeGreaterThan(0);
    } else expect(pool).toEqual([]);
  });

  it('asks for the token when CONSIGN_METRICS_TOKEN is set', async () => {
    const app = await buildApp({
      database,
      bootstrapAdminKey: TEST_ADMIN_KEY,
      logLevel: 'silent',
      metricsToken: 'scrape-secret',
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const address = app.server.address();
      if (!address || typeof address === 'string') throw new Error('no port');
      const request = createRequester(`http://127.0.0.1:${address.port}`);
      const missing = await request('GET', '/metrics', { key: null });
      expect(missing.status).toBe(401);
      expect(missing.body.code).toBe('unauthorized');
      expect((await request('GET', '/metrics', { key: 'wrong' })).status).toBe(401);
      expect((await request('GET', '/metrics', { key: TEST_ADMIN_KEY })).status).toBe(401);
      const samples = await scrape(request, 'scrape-secret');
      expect(samples.some((s) => s.name === 'consign_http_requests_total')).toBe(true);
    } finally {
      await app.close();
    }
  });
});
