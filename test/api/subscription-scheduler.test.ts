import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../src/db/index.ts';
import { runDueSubscriptions } from '../../src/subscriptions/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { createSubscription, createSubscriptionNetwork, DAY_MS, runUntilIdle } from '../support/subscriptions.ts';

let database: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  await createSubscriptionNetwork(server);
});
// Each test keeps its own clock: what an earlier test left active must not be caught up later.
afterEach(async () => {
  await database.db.execute(sql`update subscriptions set status = 'cancelled' where status in ('active', 'paused')`);
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

const at = (iso: string, plusMs = 0) => new Date(new Date(iso).getTime() + plusMs);
const read = async (id: string) => (await server.request('GET', `/v1/subscriptions/${id}`)).body;
const ordersOf = (id: string) =>
  query<{ id: string; external_id: string; status: string }>(
    database.db,
    sql`select id, external_id, status from orders where external_id like ${`${id}:%`} order by placed_at, external_id`,
  );
const eventTypes = async (id: string) =>
  (await server.request('GET', `/v1/events?subject_id=${id}&limit=200`)).body.data.map((e: { type: string }) => e.type);

describe('the scheduler', () => {
  it("places a due period's order through the order pipeline, once", async () => {
    const start = '2026-02-01T09:00:00.000Z';
    const { id } = await createSubscription(server.request, { starts_at: start });
    expect(await runUntilIdle(database.db, at(start, -1))).toMatchObject({ ordered: 0 });
    expect(await runUntilIdle(database.db, at(start, 3_600_000))).toMatchObject({ ordered: 1 });
    expect(await runUntilIdle(database.db, at(start, 3_600_000))).toMatchObject({ ordered: 0 });
    const [order] = await ordersOf(id);
    expect(order!.external_id).toBe(`${id}:1`);
    const placed = (await server.request('GET', `/v1/orders/${order!.id}`)).body;
    expect(placed).toMatchObject({ status: 'in_process', total: { amount: 3000, currency: 'USD' } });
    expect(placed.payments).toMatchObject([{ kind: 'authorization', status: 'succeeded', amount: { amount: 3000 } }]);
    const subscription = await read(id);
    expect(subscription.periods).toMatchObject([{ period: 1, status: 'ordered', order_id: order!.id, attempts: 1 }]);
    expect(subscription.attempts).toMatchObject([{ period: 1, attempt: 1, outcome: 'ordered', order_id: order!.id }]);
    expect(subscription.next_period).toMatchObject({ period: 2, scheduled_for: '2026-02-02T09:00:00.000Z' });
    expect(await eventTypes(id)).toEqual(['subscription.created', 'subscription.order_created']);
  });

  it('catch-up `all` after downtime creates every missed period exactly once', async () => {
    const start = '2026-03-01T09:00:00.000Z';
    const { id } = await createSubscription(server.request, { starts_at: start, catch_up: 'all' });
    const afterDowntime = at(start, 4 * DAY_MS + 3_600_000);
    expect(await runUntilIdle(database.db, afterDowntime, 2)).toMatchObject({ ordered: 5 });
    expect(await runUntilIdle(database.db, afterDowntime)).toMatchObject({ ordered: 0 });
    expect((await ordersOf(id)).map((o) => o.external_id)).toEqual([1, 2, 3, 4, 5].map((n) => `${id}:${n}`));
    const subscription = await read(id);
    expect(subscription.periods.map((p: { status: string }) => p.status)).toEqual(Array(5).fill('ordered'));
    expect(subscription.next_period).toMatchObject({ period: 6, scheduled_for: '2026-03-06T09:00:00.000Z' });
  });

  it('catch-up `latest_only` orders the latest missed period and records the others as skipped', async () => {
    const start = '2026-04-01T09:00:00.000Z';
    const { id } = await createSubscription(server.request, { starts_at: start, catch_up: 'latest_only' });
    expect(await runUntilIdle(database.db, at(start, 4 * DAY_MS + 3_600_000))).toMatchObject({ ordered: 1 });
    expect((await ordersOf(id)).map((o) => o.external_id)).toEqual([`${id}:5`]);
    const subscription = await read(id);
    expect(
      subscription.periods.map((p: { status: string; reason: string | null }) => `${p.status}:${p.reason}`),
    ).toEqual([...Array(4).fill('skipped:missed'), 'ordered:null']);
    expect(await eventTypes(id)).toEqual([
      'subscription.created',
      'subscription.skipped',
      'subscription.order_created',
    ]);
  });

  it('two schedulers racing over the same due periods create each period once', async () => {
    const start = '2026-05-01T09:00:00.000Z';
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await createSubscription(server.request, { starts_at: start })).id);
    const now = at(start, 2 * DAY_MS + 60_000);
    const [a, b] = await Promise.all([runUntilIdle(database.db, now, 3), runUntilIdle(database.db, now, 3)]);
    expect(a.ordered + b.ordered).toBe(12);
    expect(a.errors + b.errors + a.failed + b.failed + a.retrying + b.retrying).toBe(0);
    for (const id of ids) {
      expect((await ordersOf(id)).map((o) => o.external_id)).toEqual([1, 2, 3].map((n) => `${id}:${n}`));
      expect((await read(id)).attempts).toHaveLength(3);
    }
  });

  it('a declined payment is retried after the backoff and succeeds with the new card', async () => {
    const start = '2026-06-01T09:00:00.000Z';
    const { id } = await createSubscription(server.request, {
      starts_at: start,
      payment: { gateway: 'test', payment_method: '4000000000000002' },
      retry: { max_attempts: 3, backoff_seconds: 600 },
    });
    expect(await runDueSubscriptions(database.db, { now: at(start) })).toMatchObject({ retrying: 1, ordered: 0 });
    let subscription = await read(id);
    expect(subscription.attempts).toMatchObject([{ attempt: 1, outcome: 'failed', code: 'payment_declined' }]);
    expect(subscription.next_period).toMatchObject({
      period: 1,
      attempts: 1,
      next_attempt_at: '2026-06-01T09:10:00.000Z',
    });
    expect(await runUntilIdle(database.db, at(start, 599_000))).toMatchObject({ ordered: 0, retrying: 0 });
    const updated = await server.request('PATCH', `/v1/subscriptions/${id}`, {
      body: { payment: { gateway: 'test', payment_method: 'pm_card_visa' } },
    });
    expect(updated.status).toBe(200);
    expect(await runUntilIdle(database.db, at(start, 600_000))).toMatchObject({ ordered: 1 });
    subscription = await read(id);
    expect(subscription.attempts.map((a: { outcome: string }) => a.outcome)).toEqual(['failed', 'ordered']);
    expect(subscription.periods).toMatchObject([{ period: 1, status: 'ordered', attempts: 2 }]);
    expect(await eventTypes(id)).toEqual([
      'subscription.created',
      'subscription.order_failed',
      'subscription.updated',
      'subscription.order_created',
    ]);
  });

  const policies: ['continue' | 'pause', string][] = [
    ['continue', 'active'],
    ['pause', 'paused'],
  ];
  for (const [onFailure, status] of policies) {
    it(`no stock on every attempt fails the period, then the subscription is ${status} (on_failure ${onFailure})`, async () => {
      const start = '2026-07-01T09:00:00.000Z';
      const { id } = await createSubscription(server.request, {
        starts_at: start,
        lines: [{ sku: 'SKU-0003', quantity: 5000, unit_price: { amount: 100, currency: 'USD' } }],
        retry: { max_attempts: 2, backoff_seconds: 60 },
        on_failure: onFailure,
      });
      expect(await runUntilIdle(database.db, at(start))).toMatchObject({ retrying: 1 });
      expect(await runUntilIdle(database.db, at(start, 60_000))).toMatchObject({ failed: 1 });
      const subscription = await read(id);
      expect(subscription.status).toBe(status);
      expect(subscription.attempts.map((a: { code: string }) => a.code)).toEqual([
        'insufficient_stock',
        'insufficient_stock',
      ]);
      expect(subscription.periods).toMatchObject([
        { period: 1, status: 'failed', reason: 'insufficient_stock', attempts: 2 },
      ]);
      expect(subscription.next_period).toMatchObject({ period: 2, attempts: 0 });
      expect(await ordersOf(id)).toEqual([]);
      const events = await eventTypes(id);
      expect(events.filter((e: string) => e === 'subscription.order_failed')).toHaveLength(2);
      expect(events.includes('subscription.paused')).toBe(onFailure === 'pause');
    });
  }

  it('a subscription whose schedule ends completes', async () => {
    const start = '2026-08-01T09:00:00.000Z';
    const { id } = await createSubscription(server.request, {
      starts_at: start,
      schedule: { rrule: 'FREQ=WEEKLY;COUNT=2' },
    });
    expect(await runUntilIdle(database.db, at(start, 30 * DAY_MS))).toMatchObject({ ordered: 2 });
    const subscription = await read(id);
    expect(subscription).toMatchObject({ status: 'completed', next_period: null });
    expect((await eventTypes(id)).at(-1)).toBe('subscription.completed');
  });
});

describe('a subscription the scheduler cannot handle', () => {
  it('is recorded and paused, and the other due subscriptions still get their orders', async () => {
    const start = '2026-09-01T09:00:00.000Z';
    const broken = await createSubscription(server.request, {
      starts_at: start,
      retry: { max_attempts: 1, backoff_seconds: 60 },
    });
    const healthy = await createSubscription(server.request, { starts_at: start });
    // Data no current code writes: a stored rule that no longer parses.
    await database.db.execute(
      sql`update subscriptions set schedule = '{"rrule": "FREQ=HOURLY"}' where id = ${broken.id}`,
    );
    const run = await runUntilIdle(database.db, at(start, 60_000));
    expect(run).toMatchObject({ errors: 1, ordered: 1 });
    expect((await ordersOf(healthy.id)).map((o) => o.external_id)).toEqual([`${healthy.id}:1`]);
    expect(await ordersOf(broken.id)).toEqual([]);
    expect(await read(broken.id)).toMatchObject({ status: 'paused', periods: [] });
    expect((await eventTypes(broken.id)).at(-1)).toBe('subscription.paused');
  });
});
