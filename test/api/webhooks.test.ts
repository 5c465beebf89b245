import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/index.ts';
import { queryOne } from '../../src/db/index.ts';
import { recordEvents } from '../../src/events/index.ts';
import { buildApp } from '../../src/http/app.ts';
import { gapGraceMsFor } from '../../src/streaming/index.ts';
import {
  createWebhookDispatcher,
  startWebhookDispatcher,
  verify,
  webhookRoutes,
  type WebhookDispatcher,
} from '../../src/webhooks/index.ts';
import { createRequester } from '../support/client.ts';
import { createTestDatabase, testEngine, type TestDatabase } from '../support/db.ts';
import { createSmallNetwork, setStock, type SmallNetwork } from '../support/fixtures.ts';
import { openTransaction } from '../support/open-transaction.ts';
import { orderBody, placeOrder } from '../support/orders.ts';
import { drainDispatcher } from '../support/outbox.ts';
import { primaryReads, TEST_ADMIN_KEY, type TestServer } from '../support/server.ts';
import { allowLocalWebhooks } from '../support/webhook-receiver.ts';

// ── a receiver: a real HTTP server that records what it gets and answers per path ─────────────

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

class Receiver {
  readonly received: Received[] = [];
  /** Status codes to answer on a path, in turn; the last one repeats. Default 204. */
  readonly scripts = new Map<string, number[]>();
  private server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      this.received.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      const script = this.scripts.get(path) ?? [204];
      const status = script.length > 1 ? script.shift()! : script[0]!;
      response
        .writeHead(status, { 'content-type': 'text/plain' })
        .end(status >= 300 ? `receiver says no (${status})` : '');
    });
  });
  url = '';

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }
}

/** startTestServer, plus the webhook routes for as long as app.ts does not register them itself. */
async function startServer(database: TestDatabase): Promise<TestServer> {
  const app = await buildApp({ database, bootstrapAdminKey: TEST_ADMIN_KEY, logLevel: 'silent' });
  if (!app.hasRoute({ method: 'POST', url: '/v1/webhook-subscriptions' })) {
    await app.register(async (v1) => webhookRoutes(v1, { database, reads: primaryReads(database) }), { prefix: '/v1' });
  }
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return { app, url, request: createRequester(url), close: () => app.close() };
}

// ── the suite ─────────────────────────────────────────────────────────────────────────────────

const MAX_ATTEMPTS = 4;
let database: TestDatabase;
let server: TestServer;
let net: SmallNetwork;
let dispatcher: WebhookDispatcher;
const receiver = new Receiver();
const clock = { ms: Date.now() };
const keys: Record<'agent' | 'channel' | 'fulfillment', string> = { agent: '', channel: '', fulfillment: '' };

let restoreAllowList: () => void = () => {};
beforeAll(async () => {
  restoreAllowList = allowLocalWebhooks();
  database = await createTestDatabase();
  server = await startServer(database);
  await receiver.start();
  net = await createSmallNetwork(server, 4);
  for (const sku of net.skus) await setStock(server, net.storeA, sku, 50);
  await server.request('PATCH', `/v1/locations/${net.storeA}`, { body: { latitude: 42.3601, longitude: -71.0589 } });
  dispatcher = createWebhookDispatcher(database.db, {
    retryScheduleMs: [0], // retry at once: the test runs ticks instead of waiting
    maxAttempts: MAX_ATTEMPTS,
    timeoutMs: 5_000,
    gapGraceMs: gapGraceMsFor(testEngine()),
    now: () => clock.ms,
  });
  await dispatcher.tick(); // the stock set-up happened before any subscription: nothing to send
  keys.agent = (await createApiKey(database.db, { role: 'agent' })).secret;
  keys.channel = (await createApiKey(database.db, { role: 'channel', channelId: net.channelId })).secret;
  keys.fulfillment = (await createApiKey(database.db, { role: 'fulfillment', locationIds: [net.storeA] })).secret;
});
afterAll(async () => {
  dispatcher?.abort();
  await server?.close();
  await receiver.stop();
  await database?.close();
  restoreAllowList();
});

const drain = () => drainDispatcher(dispatcher);

async function subscribe(path: string, eventTypes: string[], extra: Record<string, unknown> = {}) {
  const response = await server.request('POST', '/v1/webhook-subscriptions', {
    body: { url: receiver.url + path, event_types: eventTypes, ...extra },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { id: string; secret: string };
}

/** `count` events of `type`, committed together, with payloads `{ n: 0 }`, `{ n: 1 }`, … */
const recordTestEvents = (type: string, count: number) =>
  recordEvents(
    database.db,
    Array.from({ length: count }, (_, n) => ({ type, subjectType: 'test', subjectId: `${type}-${n}`, payload: { n } })),
  );

const deliveries = async (id: string) =>
  (await server.request('GET', `/v1/webhook-subscriptions/${id}/deliveries`)).body.data;
const pause = (id: string) => server.request('PATCH', `/v1/webhook-subscriptions/${id}`, { body: { active: false } });
const verified = (secret: string, r: Received) =>
  verify(secret, r.headers, r.body, { nowSeconds: Math.floor(clock.ms / 1000) });

describe('webhook subscriptions and deliveries', () => {
  it('delivers a stock change exactly once, signed per Standard Webhooks', async () => {
    const sub = await subscribe('/stock', ['inventory.*'], { description: 'storefront availability' });
    expect(sub.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    await setStock(server, net.storeB, net.skus[0]!, 7);
    expect(await drain()).toBe(1);
    expect(await drain()).toBe(0);

    const [got, ...more] = receiver.at('/stock');
    expect(more).toEqual([]);
    expect(verified(sub.secret, got!)).toMatchObject({ valid: true });
    const body = JSON.parse(got!.body);
    const [event] = (
      await server.request('GET', '/v1/events?type=inventory.availability_changed&limit=500')
    ).body.data.slice(-1);
    expect(body).toEqual({
      id: `evt_${event.id}`,
      type: 'inventory.availability_changed',
      timestamp: event.created_at,
      data: expect.objectContaining({ location_id: net.storeB, sku: net.skus[0], on_hand: 7, available: 7 }),
    });
    expect(got!.headers['webhook-id']).toBe(body.id);
    expect(got!.headers['webhook-timestamp']).toBe(String(Math.floor(clock.ms / 1000)));
    expect(got!.headers['content-type']).toBe('application/json');
    expect(await deliveries(sub.id)).toEqual([
      expect.objectContaining({
        event_id: event.id,
        event_type: 'inventory.availability_changed',
        status: 'succeeded',
        attempts: 1,
        last_status_code: 204,
        last_error: null,
        next_attempt_at: null,
      }),
    ]);
    await pause(sub.id);
  });

  it('retries a failing receiver: two failures, then success, is three attempts', async () => {
    const sub = await subscribe('/flaky', ['inventory.availability_changed']);
    receiver.scripts.set('/flaky', [500, 503, 200]);
    await setStock(server, net.storeB, net.skus[1]!, 3);
    await dispatcher.tick();
    expect(await deliveries(sub.id)).toEqual([
      expect.objectContaining({
        status: 'pending',
        attempts: 1,
        last_status_code: 500,
        last_error: 'HTTP 500: receiver says no (500)',
      }),
    ]);
    clock.ms += 5_000; // a later attempt is signed afresh
    await dispatcher.tick();
    await dispatcher.tick();
    expect(await deliveries(sub.id)).toEqual([
      expect.objectContaining({ status: 'succeeded', attempts: 3, last_status_code: 200, last_error: null }),
    ]);
    const attempts = receiver.at('/flaky');
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts.map((a) => a.headers['webhook-id'])).size).toBe(1);
    expect(attempts.every((a) => verified(sub.secret, a).valid)).toBe(true);
    expect(attempts[0]!.headers['webhook-timestamp']).not.toBe(attempts[1]!.headers['webhook-timestamp']);
    await pause(sub.id);
  });

  it('gives up after the maximum attempts: dead, and not tried again', async () => {
    const sub = await subscribe('/down', ['inventory.availability_changed']);
    receiver.scripts.set('/down', [503]);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const nowhere = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/gone`;
    await new Promise((resolve) => closed.close(resolve));
    const unreachable = (
      await server.request('POST', '/v1/webhook-subscriptions', {
        body: { url: nowhere, event_types: ['inventory.*'] },
      })
    ).body;

    await setStock(server, net.storeB, net.skus[2]!, 4);
    await drain();
    expect(receiver.at('/down')).toHaveLength(MAX_ATTEMPTS);
    expect(await deliveries(sub.id)).toEqual([
      expect.objectContaining({ status: 'dead', attempts: MAX_ATTEMPTS, last_status_code: 503, next_attempt_at: null }),
    ]);
    const [refused] = await deliveries(unreachable.id);
    expect(refused).toMatchObject({ status: 'dead', attempts: MAX_ATTEMPTS, last_status_code: null });
    expect(refused.last_error).toMatch(/ECONNREFUSED/);
    expect(await drain()).toBe(0);
    const dead = await server.request('GET', `/v1/webhook-subscriptions/${sub.id}/deliveries?status=dead`);
    expect(dead.body.data).toHaveLength(1);
    await pause(sub.id);
    await pause(unreachable.id);
  });

  it('replays: resets a dead delivery to pending and sends events again on request', async () => {
    const sub = await subscribe('/replay', ['inventory.availability_changed']);
    receiver.scripts.set('/replay', [500]);
    await setStock(server, net.storeB, net.skus[3]!, 9);
    await drain();
    const [dead] = await deliveries(sub.id);
    expect(dead).toMatchObject({ status: 'dead', attempts: MAX_ATTEMPTS });

    receiver.scripts.set('/replay', [200]);
    const replayed = await server.request('POST', `/v1/webhook-subscriptions/${sub.id}/replay`, {
      body: { from_event_id: dead.event_id },
    });
    expect(replayed.status).toBe(202);
    expect(replayed.body).toEqual({
      enqueued: 1,
      last_event_id: dead.event_id,
      has_more: false,
      next_from_event_id: null,
    });
    expect((await deliveries(sub.id))[0]).toMatchObject({ status: 'pending', attempts: 0, last_error: null });
    await drain();
    expect((await deliveries(sub.id))[0]).toMatchObject({ status: 'succeeded', attempts: 1 });

    // By ID: an event from before the subscription existed, sent because it was asked for.
    const older = (await server.request('GET', '/v1/events?type=inventory.availability_changed&limit=1')).body.data[0];
    const byId = await server.request('POST', `/v1/webhook-subscriptions/${sub.id}/replay`, {
      body: { event_ids: [older.id, dead.event_id] },
    });
    expect(byId.body).toMatchObject({ enqueued: 2 });
    const before = receiver.at('/replay').length;
    expect(await drain()).toBe(2);
    const resent = receiver
      .at('/replay')
      .slice(before)
      .map((r) => JSON.parse(r.body).id);
    expect(resent.sort()).toEqual([`evt_${older.id}`, `evt_${dead.event_id}`].sort());

    const since = await server.request('POST', `/v1/webhook-subscriptions/${sub.id}/replay`, {
      body: { since: '2000-01-01T00:00:00Z', event_ids: ['999999999'] },
    });
    expect(since.body).toMatchObject({ enqueued: 0, last_event_id: null });
    expect((await server.request('POST', `/v1/webhook-subscriptions/${sub.id}/replay`, { body: {} })).status).toBe(400);
    expect(
      (await server.request('POST', `/v1/webhook-subscriptions/whs_missing/replay`, { body: { event_ids: ['1'] } }))
        .status,
    ).toBe(404);
    await pause(sub.id);
  });

  it('matches exact types, prefix wildcards and *, and scopes to a channel by the payload', async () => {
    const other = (
      await server.request('POST', '/v1/channels', {
        body: { code: 'b2b', name: 'B2B', type: 'b2b', location_group_id: net.groupId },
      })
    ).body;
    const all = await subscribe('/all', ['*']);
    const orders = await subscribe('/orders', ['order.*']);
    const stock = await subscribe('/stock-exact', ['inventory.availability_changed']);
    const mine = await subscribe('/mine', ['order.*'], { channel_id: net.channelId });
    const theirs = await subscribe('/theirs', ['order.*'], { channel_id: other.id });
    const placed = await placeOrder(server, orderBody('WH-1', [{ sku: net.skus[0]!, quantity: 1 }]));
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    await drain();

    const types = (path: string) => receiver.at(path).map((r) => JSON.parse(r.body).type as string);
    expect(types('/all').length).toBeGreaterThanOrEqual(3);
    expect(types('/all')).toEqual(expect.arrayContaining(['order.created', 'inventory.availability_changed']));
    expect(types('/orders').length).toBeGreaterThan(0);
    expect(types('/orders').every((t) => t.startsWith('order.'))).toBe(true);
    expect(types('/orders')).toEqual(types('/all').filter((t) => t.startsWith('order.')));
    expect(types('/stock-exact')).toEqual(types('/all').filter((t) => t === 'inventory.availability_changed'));
    expect(types('/mine')).toEqual(types('/orders')); // every order event names its channel
    expect(JSON.parse(receiver.at('/mine')[0]!.body).data).toMatchObject({
      order_id: placed.body.id,
      channel_id: net.channelId,
    });
    expect(types('/theirs')).toEqual([]);
    for (const sub of [all, orders, stock, mine, theirs]) await pause(sub.id);
  });

  it('rotates the secret: later deliveries verify with the new secret only', async () => {
    const sub = await subscribe('/rotate', ['inventory.*']);
    const rotated = await server.request('POST', `/v1/webhook-subscriptions/${sub.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body).toMatchObject({ id: sub.id, secret: expect.stringMatching(/^whsec_/) });
    expect(rotated.body.secret).not.toBe(sub.secret);
    await setStock(server, net.storeB, net.skus[0]!, 8);
    await drain();
    const [got] = receiver.at('/rotate');
    expect(verified(rotated.body.secret, got!)).toMatchObject({ valid: true });
    expect(verified(sub.secret, got!)).toEqual({ valid: false, reason: 'no_matching_signature' });
    await pause(sub.id);
  });

  it('pauses and resumes, edits, and never shows the secret after creation', async () => {
    const sub = await subscribe('/edit', ['order.created']);
    const patched = await server.request('PATCH', `/v1/webhook-subscriptions/${sub.id}`, {
      body: { url: `${receiver.url}/edited`, event_types: ['inventory.*'], description: null, active: false },
    });
    expect(patched.body).toMatchObject({
      url: `${receiver.url}/edited`,
      event_types: ['inventory.*'],
      active: false,
      description: null,
    });
    expect(patched.body).not.toHaveProperty('secret');
    await setStock(server, net.storeB, net.skus[1]!, 11);
    await drain();
    expect(receiver.at('/edited')).toEqual([]); // paused: events meanwhile are not enqueued
    await server.request('PATCH', `/v1/webhook-subscriptions/${sub.id}`, { body: { active: true } });
    await setStock(server, net.storeB, net.skus[1]!, 12);
    await drain();
    expect(receiver.at('/edited').map((r) => JSON.parse(r.body).data.on_hand)).toEqual([12]);

    const read = await server.request('GET', `/v1/webhook-subscriptions/${sub.id}`);
    expect(read.body).toMatchObject({ id: sub.id, active: true });
    expect(read.body).not.toHaveProperty('secret');
    const listed = await server.request('GET', '/v1/webhook-subscriptions?limit=2');
    expect(listed.body.data).toHaveLength(2);
    expect(listed.body.next_cursor).toEqual(expect.any(String));
    expect(listed.body.data.some((s: object) => 'secret' in s)).toBe(false);
    const active = await server.request('GET', '/v1/webhook-subscriptions?active=true&limit=500');
    expect(active.body.data.map((s: { id: string }) => s.id)).toEqual([sub.id]);
    await pause(sub.id);
    expect((await server.request('GET', '/v1/webhook-subscriptions/whs_missing')).status).toBe(404);
    expect(
      (await server.request('PATCH', '/v1/webhook-subscriptions/whs_missing', { body: { active: true } })).status,
    ).toBe(404);
    expect((await server.request('POST', '/v1/webhook-subscriptions/whs_missing/rotate-secret')).status).toBe(404);
    expect((await server.request('GET', '/v1/webhook-subscriptions/whs_missing/deliveries')).status).toBe(404);
  });

  it('rejects bad subscriptions and writes nothing', async () => {
    const count = async () =>
      (await queryOne<{ n: number }>(database.db, sql`select count(*)::int as n from webhook_subscriptions`))!.n;
    const before = await count();
    const post = (body: unknown) => server.request('POST', '/v1/webhook-subscriptions', { body });
    const ok = { url: 'https://example.com/hooks', event_types: ['order.*'] };
    expect((await post({ ...ok, url: 'ftp://example.com/x' })).body).toMatchObject({
      code: 'validation_failed',
      errors: [{ pointer: '/url' }],
    });
    expect((await post({ ...ok, url: 'https://user:pw@example.com/x' })).status).toBe(400);
    expect((await post({ ...ok, url: 'not a url' })).status).toBe(400);
    for (const pattern of ['order.*.x', 'Order.created', '**', 'order.', '', '*.created']) {
      expect((await post({ ...ok, event_types: [pattern] })).status, pattern).toBe(400);
    }
    expect((await post({ ...ok, event_types: [] })).status).toBe(400);
    expect((await post({ ...ok, secret: 'whsec_mine' })).status).toBe(400);
    expect((await post({ ...ok, channel_id: 'chn_nosuchchannel' })).body).toMatchObject({ code: 'unknown_reference' });
    const patch = (body: unknown) => server.request('PATCH', '/v1/webhook-subscriptions/whs_x', { body });
    expect((await patch({})).status).toBe(400);
    expect((await patch({ url: 'ftp://x' })).status).toBe(400);
    expect(await count()).toBe(before);
  });

  it('replays the creation for the same Idempotency-Key, secret included', async () => {
    const body = { url: `${receiver.url}/idem`, event_types: ['order.created'] };
    const headers = { 'idempotency-key': 'create-webhook-1' };
    const first = await server.request('POST', '/v1/webhook-subscriptions', { body, headers });
    const again = await server.request('POST', '/v1/webhook-subscriptions', { body, headers });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    const conflict = await server.request('POST', '/v1/webhook-subscriptions', {
      body: { ...body, event_types: ['*'] },
      headers,
    });
    expect(conflict.body.code).toBe('idempotency_conflict');
    await pause(first.body.id);
  });

  it('is documented in the OpenAPI document', async () => {
    const { paths } = (await server.request('GET', '/openapi.json')).body;
    expect(
      Object.keys(paths)
        .filter((p) => p.startsWith('/v1/webhook-subscriptions'))
        .sort(),
    ).toEqual([
      '/v1/webhook-subscriptions',
      '/v1/webhook-subscriptions/{id}',
      '/v1/webhook-subscriptions/{id}/deliveries',
      '/v1/webhook-subscriptions/{id}/replay',
      '/v1/webhook-subscriptions/{id}/rotate-secret',
    ]);
    expect(Object.keys(paths['/v1/webhook-subscriptions/{id}']).sort()).toEqual(['get', 'patch']);
  });

  it('is for admin keys only: 401 without a key, 403 for the other roles', async () => {
    const sub = await subscribe('/auth', ['order.created']);
    await pause(sub.id);
    const calls: [string, string, unknown?][] = [
      ['POST', '/v1/webhook-subscriptions', { url: 'https://example.com', event_types: ['*'] }],
      ['GET', '/v1/webhook-subscriptions'],
      ['GET', `/v1/webhook-subscriptions/${sub.id}`],
      ['PATCH', `/v1/webhook-subscriptions/${sub.id}`, { active: true }],
      ['POST', `/v1/webhook-subscriptions/${sub.id}/rotate-secret`],
      ['GET', `/v1/webhook-subscriptions/${sub.id}/deliveries`],
      ['POST', `/v1/webhook-subscriptions/${sub.id}/replay`, { event_ids: ['1'] }],
    ];
    for (const [method, path, body] of calls) {
      expect((await server.request(method, path, { body, key: null })).status, `${method} ${path}`).toBe(401);
      for (const key of Object.values(keys)) {
        const response = await server.request(method, path, { body, key });
        expect(response.status, `${method} ${path}`).toBe(403);
        expect(response.body.code).toBe('forbidden');
      }
    }
    expect((await server.request('GET', `/v1/webhook-subscriptions/${sub.id}`)).body.active).toBe(false);
  });
});

describe('dispatchers in several processes', () => {
  it('deliver each event exactly once when four of them tick at the same time', async () => {
    const sub = await subscribe('/crowd', ['inventory.*']);
    const crowd = Array.from({ length: 4 }, () =>
      createWebhookDispatcher(database.db, {
        gapGraceMs: gapGraceMsFor(testEngine()),
        fanOutBatchSize: 3,
        sendBatchSize: 2,
        maxBatchesPerTick: 2,
      }),
    );
    for (let i = 1; i <= 12; i++) await setStock(server, net.storeB, net.skus[i % 4]!, 100 + i);
    for (let round = 0; round < 30; round++) {
      const ticks = await Promise.all(crowd.map((d) => d.tick()));
      if (ticks.every((t) => t.events === 0 && t.attempted === 0)) break;
    }
    const ids = receiver.at('/crowd').map((r) => JSON.parse(r.body).id as string);
    expect(ids).toHaveLength(12);
    expect(new Set(ids).size).toBe(12);
    expect(
      (await deliveries(sub.id)).every(
        (d: { status: string; attempts: number }) => d.status === 'succeeded' && d.attempts === 1,
      ),
    ).toBe(true);
    await pause(sub.id);
  });

  it('startWebhookDispatcher delivers on its own timer and stops cleanly', async () => {
    const sub = await subscribe('/timer', ['inventory.*']);
    const ticks: number[] = [];
    const errors: unknown[] = [];
    const running = startWebhookDispatcher(database.db, {
      intervalMs: 20,
      gapGraceMs: gapGraceMsFor(testEngine()),
      onTick: (result) => ticks.push(result.attempted),
      onError: (error) => errors.push(error),
    });
    await setStock(server, net.storeB, net.skus[0]!, 77);
    const deadline = Date.now() + 10_000;
    // Wait for the delivery and for the tick that made it to report: stopping earlier cancels the
    // in-flight send, which then counts as not attempted.
    const attempted = () => ticks.reduce((a, b) => a + b, 0);
    while ((receiver.at('/timer').length === 0 || attempted() === 0) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    await running.stop();
    expect(receiver.at('/timer').map((r) => JSON.parse(r.body).data.on_hand)).toEqual([77]);
    expect(attempted()).toBeGreaterThanOrEqual(1);
    expect(errors).toEqual([]);
    await pause(sub.id);
  });
});

describe('draining a burst', () => {
  it('delivers a burst bigger than one tick takes after a single wake, without waiting for the interval', async () => {
    const sub = await subscribe('/burst', ['test.burst']);
    const ticks: { attempted: number; backlog: boolean }[] = [];
    const errors: unknown[] = [];
    // A tick takes at most 2 claims of 5 deliveries; the interval never comes within the test.
    const running = startWebhookDispatcher(database.db, {
      intervalMs: 3_600_000,
      sendBatchSize: 5,
      fanOutBatchSize: 8,
      maxBatchesPerTick: 2,
      gapGraceMs: gapGraceMsFor(testEngine()),
      onTick: (result) => ticks.push({ attempted: result.attempted, backlog: result.backlog }),
      onError: (error) => errors.push(error),
    });
    await recordTestEvents('test.burst', 47);
    running.wake();
    const deadline = Date.now() + 30_000;
    while (receiver.at('/burst').length < 47 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await running.stop();
    const received = receiver.at('/burst').map((r) => JSON.parse(r.body).data.n as number);
    expect(received.sort((a, b) => a - b)).toEqual(Array.from({ length: 47 }, (_, i) => i));
    // Five full ticks of 10 and one of 7 (or fewer, if a tick found part of the burst not yet settled).
    expect(ticks.length).toBeGreaterThanOrEqual(5);
    expect(ticks.filter((t) => t.backlog).length).toBeGreaterThanOrEqual(4);
    expect(ticks.every((t) => t.attempted <= 10)).toBe(true);
    expect(errors).toEqual([]);
    await pause(sub.id);
  });
});

describe('sending many at once', () => {
  it('delivers a batch bigger than the connections to one receiver, each event once, two batches in flight', async () => {
    const sub = await subscribe('/wide', ['test.wide']);
    await recordTestEvents('test.wide', 250);
    const wide = createWebhookDispatcher(database.db, {
      gapGraceMs: gapGraceMsFor(testEngine()),
      sendBatchSize: 100,
      maxBatchesPerTick: 3,
    });
    const tick = await wide.tick();
    expect(tick).toMatchObject({ events: 250, deliveries: 250, attempted: 250, succeeded: 250, backlog: false });
    const ids = receiver.at('/wide').map((r) => JSON.parse(r.body).id as string);
    expect(ids).toHaveLength(250);
    expect(new Set(ids).size).toBe(250);
    expect(receiver.at('/wide').every((r) => r.headers['webhook-id'] === JSON.parse(r.body).id)).toBe(true);
    const rows = (await server.request('GET', `/v1/webhook-subscriptions/${sub.id}/deliveries?limit=250`)).body.data;
    expect(
      rows.filter((d: { status: string; attempts: number }) => d.status === 'succeeded' && d.attempts === 1),
    ).toHaveLength(250);
    await pause(sub.id);
  });

  it('counts a 2xx at its status line, without waiting for a body that does not end', async () => {
    const endless = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write('still going');
    });
    await new Promise<void>((resolve) => endless.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(endless.address() as AddressInfo).port}/endless`;
      const created = await server.request('POST', '/v1/webhook-subscriptions', {
        body: { url, event_types: ['test.endless'] },
      });
      await recordTestEvents('test.endless', 1);
      const patient = createWebhookDispatcher(database.db, {
        gapGraceMs: gapGraceMsFor(testEngine()),
        timeoutMs: 60_000,
      });
      expect(await patient.tick()).toMatchObject({ events: 1, attempted: 1, succeeded: 1 });
      expect(await deliveries(created.body.id)).toEqual([
        expect.objectContaining({ status: 'succeeded', attempts: 1, last_status_code: 200 }),
      ]);
      patient.abort();
      await pause(created.body.id);
    } finally {
      endless.closeAllConnections();
      await new Promise((resolve) => endless.close(resolve));
    }
  });

  it('stopping aborts the requests in flight: their deliveries go back to pending, the attempt uncounted', async () => {
    const arrived: IncomingMessage[] = [];
    const silent = createServer((request) => void arrived.push(request)); // never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/silent`;
      const created = await server.request('POST', '/v1/webhook-subscriptions', {
        body: { url, event_types: ['test.silent'] },
      });
      expect(created.status).toBe(201);
      await recordTestEvents('test.silent', 3);
      const stopping = createWebhookDispatcher(database.db, {
        gapGraceMs: gapGraceMsFor(testEngine()),
        timeoutMs: 60_000,
      });
      expect(await stopping.fanOut()).toMatchObject({ events: 3, deliveries: 3 });
      const sending = stopping.send();
      const deadline = Date.now() + 10_000;
      while (arrived.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(arrived).toHaveLength(3);
      stopping.abort();
      expect(await sending).toEqual({ attempted: 0, succeeded: 0, retrying: 0, dead: 0, backlog: false });
      const rows = await deliveries(created.body.id);
      expect(rows).toHaveLength(3);
      expect(
        rows.every(
          (d: { status: string; attempts: number; last_error: string | null }) =>
            d.status === 'pending' && d.attempts === 0 && d.last_error === null,
        ),
      ).toBe(true);
      await pause(created.body.id);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe('following the outbox across gaps in event IDs', () => {
  it('waits out a missing event ID for the grace period, then passes it', async () => {
    const sub = await subscribe('/gaps', ['test.gap']);
    const gapClock = { ms: 1_000_000_000_000 };
    const careful = createWebhookDispatcher(database.db, {
      gapGraceMs: 10_000,
      now: () => gapClock.ms,
      retryScheduleMs: [0],
    });
    await careful.tick(); // catch up with everything so far
    await database.db
      .transaction(async (tx) => {
        await recordEvents(tx, [{ type: 'test.gap', subjectType: 'test', subjectId: 'rolled-back', payload: {} }]);
        throw new Error('roll back: leaves a hole in the event IDs');
      })
      .catch(() => {});
    await recordEvents(database.db, [
      { type: 'test.gap', subjectType: 'test', subjectId: 'after-the-gap', payload: {} },
    ]);
    expect(await careful.tick()).toMatchObject({ events: 0, attempted: 0 }); // the hole may still fill
    gapClock.ms += 9_999;
    expect(await careful.tick()).toMatchObject({ events: 0 });
    gapClock.ms += 1;
    expect(await careful.tick()).toMatchObject({ events: 1, deliveries: 1, succeeded: 1 });
    expect(receiver.at('/gaps').map((r) => JSON.parse(r.body).type)).toEqual(['test.gap']);
    await pause(sub.id);
  });

  it.skipIf(testEngine() !== 'postgres')(
    'does not pass an event whose transaction is still open (PostgreSQL)',
    async () => {
      const sub = await subscribe('/in-flight', ['test.in_flight']);
      const careful = createWebhookDispatcher(database.db, { gapGraceMs: 60_000, retryScheduleMs: [0] });
      await careful.tick();
      const slow = await openTransaction(database.db, (tx) =>
        recordEvents(tx, [{ type: 'test.in_flight', subjectType: 'test', subjectId: 'slow', payload: {} }]),
      );
      await recordEvents(database.db, [
        { type: 'test.in_flight', subjectType: 'test', subjectId: 'fast', payload: {} },
      ]);
      expect(await careful.tick()).toMatchObject({ events: 0 }); // fast committed first, but slow's ID is lower
      await slow.commit();
      expect(await careful.tick()).toMatchObject({ events: 2, deliveries: 2, succeeded: 2 });
      expect(receiver.at('/in-flight')).toHaveLength(2);
      await pause(sub.id);
    },
  );
});
