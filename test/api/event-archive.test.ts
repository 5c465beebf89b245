import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query, queryOne, type Db } from '../../src/db/index.ts';
import { archiveEvents, recordEvents, startEventArchiver } from '../../src/events/index.ts';
import { requestNotification } from '../../src/notifications/index.ts';
import { createWebhookDispatcher, type WebhookDispatcher } from '../../src/webhooks/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createSmallNetwork, setStock } from '../support/fixtures.ts';
import { orderBody, placeOrder } from '../support/orders.ts';
import { drainDispatcher } from '../support/outbox.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { waitFor } from '../support/wait.ts';
import { allowLocalWebhooks, WebhookReceiver } from '../support/webhook-receiver.ts';

const liveIds = async (db: Db) =>
  (await query<{ id: number }>(db, sql`select id from events order by id`)).map((r) => Number(r.id));
const archivedIds = async (db: Db) =>
  (await query<{ id: number }>(db, sql`select id from events_archive order by id`)).map((r) => Number(r.id));

async function placeFollowers(db: Db, positions: Record<string, number>): Promise<void> {
  await db.execute(sql`delete from outbox_cursors`);
  for (const [name, position] of Object.entries(positions)) {
    await db.execute(sql`insert into outbox_cursors (name, last_event_id) values (${name}, ${position})`);
  }
}

/** Records `count` events `days` days ago (the outbox takes no edits: old events are written old). */
async function recordOld(db: Db, count: number, days: number): Promise<number[]> {
  const rows = await query<{ id: number }>(
    db,
    sql`insert into events (type, subject_type, subject_id, payload, created_at)
        select 'test.recorded', 'test', 'tst_' || n, '{}'::jsonb, now() - make_interval(days => ${days}::int)
        from generate_series(1, ${count}) n
        returning id`,
  );
  return rows.map((row) => Number(row.id)).sort((a, b) => a - b);
}

/** Every read an archived event must still appear in, as the API answers it. */
async function historyReads(server: TestServer, orderIds: string[], subscriptionId: string) {
  const orders = [];
  for (const id of orderIds) orders.push((await server.request('GET', `/v1/orders/${id}`)).body.timeline);
  const feed = [];
  let cursor: string | undefined;
  for (;;) {
    const page = (await server.request('GET', `/v1/events?limit=7${cursor ? `&cursor=${cursor}` : ''}`)).body;
    feed.push(...page.data);
    if (!page.has_more) break;
    cursor = page.next_cursor;
  }
  const bySubject = (await server.request('GET', `/v1/events?subject_id=${orderIds[0]}`)).body.data;
  const deliveries = (await server.request('GET', `/v1/webhook-subscriptions/${subscriptionId}/deliveries`)).body.data;
  return { orders, feed, bySubject, deliveries };
}

describe('event archival', () => {
  let database: TestDatabase;
  let server: TestServer;
  let orderIds: string[];
  let subscriptionId: string;
  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer(database);
    const net = await createSmallNetwork(server, 2);
    await server.request('PATCH', `/v1/locations/${net.storeA}`, { body: { latitude: 42.3601, longitude: -71.0589 } });
    await server.request('PATCH', `/v1/locations/${net.storeB}`, { body: { latitude: 42.6526, longitude: -73.7562 } });
    for (const location of [net.storeA, net.storeB]) {
      for (const sku of net.skus) await setStock(server, location, sku, 10);
    }
    orderIds = [];
    for (const n of [1, 2, 3]) {
      const placed = await placeOrder(server, orderBody(`ARCH-${n}`, [{ sku: net.skus[0]!, quantity: 1 }]));
      expect(placed.status, JSON.stringify(placed.body)).toBe(201);
      orderIds.push(placed.body.id);
    }
    const cancelled = await server.request('POST', `/v1/orders/${orderIds[1]}/cancel`, { body: { reason: 'test' } });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    const subscription = await server.request('POST', '/v1/webhook-subscriptions', {
      body: { url: 'https://hooks.example/consign', event_types: ['*'] },
    });
    expect(subscription.status, JSON.stringify(subscription.body)).toBe(201);
    subscriptionId = subscription.body.id;
    // A delivery log naming every event so far, as the dispatcher would have left it.
    await database.db.execute(sql`
      insert into webhook_deliveries (subscription_id, event_id, status, attempts)
      select ${subscriptionId}, id, 'succeeded', 1 from events`);
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  it('moves only events past the window that every follower has passed, at most a batch per statement', async () => {
    const recent = await liveIds(database.db); // the orders' events, recorded just now
    const old = await recordOld(database.db, 10, 40);
    const young = await recordOld(database.db, 3, 10);
    const last = young.at(-1)!;
    await placeFollowers(database.db, { webhooks: last, nats: old[5]!, automations: last });

    expect(await archiveEvents(database.db, { retentionDays: 30, batchSize: 2, maxBatches: 1 })).toBe(2);
    expect(await archivedIds(database.db)).toEqual(old.slice(0, 2));

    // The slowest follower (nats, at the sixth old event) holds the rest back.
    expect(await archiveEvents(database.db, { retentionDays: 30, batchSize: 2 })).toBe(4);
    expect(await archivedIds(database.db)).toEqual(old.slice(0, 6));

    // Once it has passed everything, the window alone decides; a second run finds nothing.
    await placeFollowers(database.db, { webhooks: last, nats: last, automations: last });
    expect(await archiveEvents(database.db, { retentionDays: 30, batchSize: 2 })).toBe(4);
    expect(await archiveEvents(database.db, { retentionDays: 30, batchSize: 2 })).toBe(0);
    expect(await archivedIds(database.db)).toEqual(old);
    expect(await liveIds(database.db)).toEqual([...recent, ...young]);
  });

  it('keeps the outbox append-only: no edit, and no delete outside archival', async () => {
    const [id] = await liveIds(database.db);
    await expect(database.db.execute(sql`update events set payload = '{}'::jsonb where id = ${id!}`)).rejects.toThrow();
    await expect(database.db.execute(sql`delete from events where id = ${id!}`)).rejects.toThrow();
    const [archived] = await archivedIds(database.db);
    await expect(database.db.execute(sql`delete from events_archive where id = ${archived!}`)).rejects.toThrow();
    expect(await liveIds(database.db)).toContain(id);
  });

  it('archives nothing past a follower that has not run yet (its cursor at 0)', async () => {
    const live = await liveIds(database.db);
    await placeFollowers(database.db, { webhooks: live.at(-1)!, notifications: 0 });
    expect(await archiveEvents(database.db, { retentionDays: 0 })).toBe(0);
    expect(await liveIds(database.db)).toEqual(live);
  });

  it("keeps orders' timelines, the event feed and the delivery log identical after archiving everything", async () => {
    const live = await liveIds(database.db);
    const before = await historyReads(server, orderIds, subscriptionId);
    expect(before.orders.every((timeline) => timeline.length > 0)).toBe(true);
    await placeFollowers(database.db, { webhooks: live.at(-1)! });

    const all = (await archivedIds(database.db)).length + live.length;
    expect(await archiveEvents(database.db, { retentionDays: 0 })).toBe(live.length);
    expect(await liveIds(database.db)).toEqual([]);
    expect((await archivedIds(database.db)).length).toBe(all);

    const after = await historyReads(server, orderIds, subscriptionId);
    expect(after).toEqual(before);
    expect(after.feed.map((event: { id: string }) => Number(event.id))).toEqual(await archivedIds(database.db));
  });

  it('continues the outbox after the archive: new events take new IDs and follow the old ones in the feed', async () => {
    const archived = await archivedIds(database.db);
    const cancelled = await server.request('POST', `/v1/orders/${orderIds[2]}/cancel`, { body: { reason: 'test' } });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    const live = await liveIds(database.db);
    expect(live.length).toBeGreaterThan(0);
    expect(live[0]!).toBeGreaterThan(archived.at(-1)!);
    const cursorOfArchived = Buffer.from(JSON.stringify(archived.at(-2))).toString('base64url');
    const page = (await server.request('GET', `/v1/events?cursor=${cursorOfArchived}&limit=2`)).body;
    expect(page.data.map((event: { id: string }) => Number(event.id))).toEqual([archived.at(-1), live[0]]);
    const timeline = (await server.request('GET', `/v1/orders/${orderIds[2]}`)).body.timeline;
    expect(timeline.at(-1).type).toBe('order.cancelled');
    const overlap = await queryOne<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from events e join events_archive a using (id)`,
    );
    expect(overlap?.n).toBe(0);
  });

  it("repeats a notification's facts from an archived event", async () => {
    const orderId = orderIds[0]!;
    const confirmed = await queryOne<{ id: number; payload: Record<string, unknown> }>(
      database.db,
      sql`select a.id, a.payload from events_archive a where a.subject_id = ${orderId} and a.type = 'order.confirmed'`,
    );
    expect(confirmed).toBeDefined();
    expect(await requestNotification(database.db, orderId, 'order_confirmed', null)).toMatchObject({ ok: true });
    const requested = await queryOne<{ payload: Record<string, unknown> }>(
      database.db,
      sql`select payload from events where subject_id = ${orderId} and type = 'order.notification_requested'`,
    );
    expect(requested?.payload).toEqual({
      ...confirmed!.payload,
      order_id: orderId,
      actor: null,
      template: 'order_confirmed',
    });
  });

  it('moves each event once when several archivers run at the same time', async () => {
    const old = await recordOld(database.db, 40, 40);
    await placeFollowers(database.db, { webhooks: old.at(-1)! });
    const before = (await archivedIds(database.db)).length;
    const runs = await Promise.all(
      [1, 2, 3].map(() => archiveEvents(database.db, { retentionDays: 30, batchSize: 7 })),
    );
    const rest = await archiveEvents(database.db, { retentionDays: 30, batchSize: 7 });
    expect(runs.reduce((a, b) => a + b, 0) + rest).toBe(old.length);
    const archived = await archivedIds(database.db);
    expect(archived.length).toBe(before + old.length);
    expect(new Set(archived).size).toBe(archived.length);
    expect(archived.slice(-old.length)).toEqual(old);
  });

  it('runs in the background until stopped', async () => {
    const old = await recordOld(database.db, 5, 40);
    await placeFollowers(database.db, { webhooks: old.at(-1)! });
    const counts: number[] = [];
    const archiver = startEventArchiver(database.db, {
      intervalMs: 20,
      retentionDays: 30,
      batchSize: 2,
      maxBatches: 1,
      onArchived: (count) => counts.push(count),
    });
    try {
      await waitFor(
        'the archiver moved the old events',
        async () => (await liveIds(database.db)).every((id) => !old.includes(id)),
        {
          timeoutMs: 30_000,
        },
      );
    } finally {
      await archiver.stop();
    }
    expect(counts.reduce((a, b) => a + b, 0)).toBe(old.length);
    expect(Math.max(...counts)).toBe(2);
  });
});

describe('webhook deliveries of archived events', () => {
  let database: TestDatabase;
  let server: TestServer;
  let dispatcher: WebhookDispatcher;
  let restoreAllowList: () => void = () => {};
  const receiver = new WebhookReceiver();
  beforeAll(async () => {
    restoreAllowList = allowLocalWebhooks();
    database = await createTestDatabase();
    server = await startTestServer(database);
    await receiver.start();
    dispatcher = createWebhookDispatcher(database.db, { retryScheduleMs: [0], gapGraceMs: 0 });
  });
  afterAll(async () => {
    dispatcher?.abort();
    await Promise.all([server?.close(), receiver.stop()]);
    await database?.close();
    restoreAllowList();
  });

  const drain = () => drainDispatcher(dispatcher);

  it('sends a delivery pending when its event was archived, and replays archived events, unchanged', async () => {
    const sub = await server.request('POST', '/v1/webhook-subscriptions', {
      body: { url: receiver.url, event_types: ['test.archived'] },
    });
    expect(sub.status, JSON.stringify(sub.body)).toBe(201);
    receiver.trust(sub.body.secret);
    await recordEvents(
      database.db,
      [0, 1, 2].map((n) => ({ type: 'test.archived', subjectType: 'test', subjectId: `tst_${n}`, payload: { n } })),
    );
    await drain();
    const first = receiver.received.map(({ webhookId, type, data }) => ({ webhookId, type, data }));
    expect(first.map((r) => r.data)).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
    const ids = first.map((r) => r.webhookId.replace('evt_', ''));
    const replay = (body: unknown) =>
      server.request('POST', `/v1/webhook-subscriptions/${sub.body.id}/replay`, { body });

    // The first event's delivery is pending again when the archiver moves every event.
    expect((await replay({ event_ids: [ids[0]] })).body).toMatchObject({ enqueued: 1 });
    const log = (await server.request('GET', `/v1/webhook-subscriptions/${sub.body.id}/deliveries`)).body.data;
    // The notifier (its cursor made by migration 0022) has passed them too, as it would on a server.
    await placeFollowers(database.db, { webhooks: Number(ids[2]), notifications: Number(ids[2]) });
    expect(await archiveEvents(database.db, { retentionDays: 0 })).toBe(3);
    expect((await server.request('GET', `/v1/webhook-subscriptions/${sub.body.id}/deliveries`)).body.data).toEqual(log);
    await drain();
    // The other two are replayed from the archive.
    expect((await replay({ from_event_id: ids[1] })).body).toMatchObject({ enqueued: 2, has_more: false });
    await drain();

    const again = receiver.received.slice(3).map(({ webhookId, type, data }) => ({ webhookId, type, data }));
    expect(again).toEqual(first);
    const deliveries = (await server.request('GET', `/v1/webhook-subscriptions/${sub.body.id}/deliveries`)).body.data;
    expect(deliveries.map((d: { event_type: string; status: string }) => [d.event_type, d.status])).toEqual([
      ['test.archived', 'succeeded'],
      ['test.archived', 'succeeded'],
      ['test.archived', 'succeeded'],
    ]);
  });
});
