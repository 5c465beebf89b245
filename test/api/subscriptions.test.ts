import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/index.ts';
import { queryOne } from '../../src/db/index.ts';
import {
  canTransitionSubscription,
  refuseAction,
  subscriptionActions,
  subscriptionStatuses,
  type SubscriptionAction,
  type SubscriptionStatus,
} from '../../src/subscriptions/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import type { SmallNetwork } from '../support/fixtures.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import {
  createSubscription,
  createSubscriptionNetwork,
  runUntilIdle,
  subscriptionBody,
} from '../support/subscriptions.ts';

let database: TestDatabase;
let server: TestServer;
let net: SmallNetwork;
const keys: Record<string, string> = {};

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  net = await createSubscriptionNetwork(server);
  keys.agent = (await createApiKey(database.db, { role: 'agent' })).secret;
  keys.channel = (await createApiKey(database.db, { role: 'channel', channelId: net.channelId })).secret;
  keys.fulfillment = (await createApiKey(database.db, { role: 'fulfillment', locationIds: [net.storeA] })).secret;
  const other = await server.request('POST', '/v1/channels', {
    body: { code: 'b2b', name: 'B2B', type: 'b2b', location_group_id: net.groupId },
  });
  keys.otherChannel = (await createApiKey(database.db, { role: 'channel', channelId: other.body.id })).secret;
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

const count = async () =>
  (await queryOne<{ n: number }>(database.db, sql`select count(*)::int as n from subscriptions`))!.n;
const eventsOf = async (id: string) =>
  (await server.request('GET', `/v1/events?subject_id=${id}&limit=100`)).body.data.map((e: { type: string }) => e.type);

describe('POST /v1/subscriptions', () => {
  it('creates an active subscription with its first period, and replays by Idempotency-Key', async () => {
    const headers = { 'idempotency-key': 'sub-create-1' };
    const body = subscriptionBody({ schedule: { rrule: 'FREQ=MONTHLY;BYMONTHDAY=-1' } });
    const created = await server.request('POST', '/v1/subscriptions', { body, headers });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^sub_/),
      channel_id: net.channelId,
      status: 'active',
      total: { amount: 3000, currency: 'USD' },
      lines: [{ line_id: 'L1', sku: 'SKU-0001', quantity: 2, unit_price: { amount: 1250, currency: 'USD' } }],
      next_period: { period: 1, scheduled_for: '2030-01-31T09:00:00.000Z', attempts: 0 },
      catch_up: 'all',
      retry: { max_attempts: 3, backoff_seconds: 3600 },
      periods: [],
      attempts: [],
    });
    const replay = await server.request('POST', '/v1/subscriptions', { body, headers });
    expect(replay.status).toBe(201);
    expect(replay.body.id).toBe(created.body.id);
    expect(await eventsOf(created.body.id)).toEqual(['subscription.created']);
    const listed = await server.request('GET', '/v1/subscriptions?status=active&email=SAM@example.com');
    expect(listed.body.data.map((s: { id: string }) => s.id)).toContain(created.body.id);
  });

  const invalid: [string, Record<string, unknown>, number, string][] = [
    [
      'an unknown SKU',
      { lines: [{ sku: 'NOPE', quantity: 1, unit_price: { amount: 100, currency: 'USD' } }] },
      422,
      'unknown_sku',
    ],
    ['an unknown channel', { channel: 'nowhere' }, 422, 'unknown_reference'],
    ['a rule outside the subset', { schedule: { rrule: 'FREQ=YEARLY' } }, 400, 'validation_failed'],
    ['a rule with no date', { schedule: { rrule: 'FREQ=DAILY;UNTIL=20290101' } }, 400, 'validation_failed'],
    ['a zero interval', { schedule: { every: 0, unit: 'day' } }, 400, 'validation_failed'],
    ['two currencies', { shipping: { amount: 500, currency: 'EUR' } }, 400, 'validation_failed'],
    [
      'a currency the channel does not sell in',
      {
        lines: [{ sku: 'SKU-0001', quantity: 1, unit_price: { amount: 100, currency: 'EUR' } }],
        shipping: { amount: 0, currency: 'EUR' },
      },
      400,
      'validation_failed',
    ],
    ['an unknown gateway', { payment: { gateway: 'nope', payment_method: 'pm' } }, 400, 'validation_failed'],
    ['an unknown field', { colour: 'red' }, 400, 'validation_failed'],
    [
      'a negative quantity',
      { lines: [{ sku: 'SKU-0001', quantity: -1, unit_price: { amount: 100, currency: 'USD' } }] },
      400,
      'validation_failed',
    ],
    ['an unknown catch-up policy', { catch_up: 'some' }, 400, 'validation_failed'],
  ];
  for (const [name, over, status, code] of invalid) {
    it(`rejects ${name} with ${code} and writes nothing`, async () => {
      const before = await count();
      const response = await server.request('POST', '/v1/subscriptions', { body: subscriptionBody(over) });
      expect(response.status).toBe(status);
      expect(response.body.code).toBe(code);
      expect(await count()).toBe(before);
    });
  }
});

describe('permissions', () => {
  it('agents and the channel’s own key manage; other channels and fulfillment keys do not', async () => {
    const byAgent = await server.request('POST', '/v1/subscriptions', { body: subscriptionBody(), key: keys.agent });
    expect(byAgent.status).toBe(201);
    const byChannel = await server.request('POST', '/v1/subscriptions', {
      body: subscriptionBody(),
      key: keys.channel,
    });
    expect(byChannel.status).toBe(201);
    const forOther = await server.request('POST', '/v1/subscriptions', {
      body: subscriptionBody(),
      key: keys.otherChannel,
    });
    expect(forOther.status).toBe(403);
    const byFulfillment = await server.request('POST', '/v1/subscriptions', {
      body: subscriptionBody(),
      key: keys.fulfillment,
    });
    expect(byFulfillment.status).toBe(403);
    const id = byAgent.body.id;
    expect((await server.request('GET', `/v1/subscriptions/${id}`, { key: keys.channel })).status).toBe(200);
    expect((await server.request('GET', `/v1/subscriptions/${id}`, { key: keys.otherChannel })).status).toBe(404);
    expect(
      (await server.request('POST', `/v1/subscriptions/${id}/pause`, { body: {}, key: keys.otherChannel })).status,
    ).toBe(404);
    const own = await server.request('GET', '/v1/subscriptions', { key: keys.otherChannel });
    expect(own.body.data).toEqual([]);
    expect(
      (await server.request('POST', `/v1/subscriptions/${id}/pause`, { body: {}, key: keys.channel })).status,
    ).toBe(200);
  });
});

describe('the lifecycle table', () => {
  it('allows exactly the transitions of the table', () => {
    /** From-status → the statuses it may move to. */
    const moves: Record<SubscriptionStatus, SubscriptionStatus[]> = {
      active: ['paused', 'cancelled', 'completed'],
      paused: ['active', 'cancelled', 'completed'],
      cancelled: [],
      completed: [],
    };
    expect(Object.keys(moves).sort()).toEqual([...subscriptionStatuses].sort());
    for (const from of subscriptionStatuses)
      for (const to of subscriptionStatuses)
        expect([from, to, canTransitionSubscription(from, to)]).toEqual([from, to, moves[from].includes(to)]);
    for (const rule of Object.values(subscriptionActions))
      if (rule.to) for (const from of rule.from) expect(canTransitionSubscription(from, rule.to)).toBe(true);
  });

  /** A subscription in `status`, reached through the API (and the scheduler for `completed`). */
  async function inStatus(status: SubscriptionStatus): Promise<string> {
    const rrule = status === 'completed' ? 'FREQ=DAILY;COUNT=1' : 'FREQ=DAILY';
    const { id } = await createSubscription(server.request, {
      schedule: { rrule },
      starts_at: new Date(Date.now() + 86_400_000).toISOString(),
    });
    if (status === 'paused' || status === 'cancelled')
      await server.request('POST', `/v1/subscriptions/${id}/${status === 'paused' ? 'pause' : 'cancel'}`, { body: {} });
    if (status === 'completed') await runUntilIdle(database.db, new Date(Date.now() + 2 * 86_400_000));
    return id;
  }

  const expectedStatus: Record<SubscriptionAction, (from: SubscriptionStatus) => SubscriptionStatus> = {
    pause: () => 'paused',
    resume: () => 'active',
    cancel: () => 'cancelled',
    skip: (from) => from,
  };
  for (const from of subscriptionStatuses) {
    for (const action of Object.keys(subscriptionActions) as SubscriptionAction[]) {
      const allowed = refuseAction(action, from) === null;
      it(`${action} on ${from} → ${allowed ? expectedStatus[action](from) : '409 illegal_transition'}`, async () => {
        const id = await inStatus(from);
        const before = await eventsOf(id);
        const response = await server.request('POST', `/v1/subscriptions/${id}/${action}`, {
          body: { reason: 'test' },
        });
        if (!allowed) {
          expect(response.status).toBe(409);
          expect(response.body).toMatchObject({ code: 'illegal_transition', from, action });
          expect(response.body.detail).toBe(refuseAction(action, from));
          expect(await eventsOf(id)).toEqual(before);
          return;
        }
        expect(response.status).toBe(200);
        expect(response.body.status).toBe(expectedStatus[action](from));
        const eventName = { pause: 'paused', resume: 'resumed', cancel: 'cancelled', skip: 'skipped' }[action];
        expect((await eventsOf(id)).slice(before.length)).toContain(`subscription.${eventName}`);
        if (action === 'skip')
          expect(response.body.periods).toMatchObject([{ period: 1, status: 'skipped', reason: 'requested' }]);
      });
    }
  }

  it('skip twice with one Idempotency-Key skips one period', async () => {
    const { id } = await createSubscription(server.request, {
      starts_at: new Date(Date.now() + 86_400_000).toISOString(),
    });
    const headers = { 'idempotency-key': `skip-${id}` };
    await server.request('POST', `/v1/subscriptions/${id}/skip`, { body: {}, headers });
    const again = await server.request('POST', `/v1/subscriptions/${id}/skip`, { body: {}, headers });
    expect(again.status).toBe(200);
    expect(again.body.next_period.period).toBe(2);
    expect(again.body.periods).toHaveLength(1);
  });

  it('resume skips the periods that fell while paused', async () => {
    const { id } = await createSubscription(server.request, {
      starts_at: new Date(Date.now() - 2.5 * 86_400_000).toISOString(),
    });
    await server.request('POST', `/v1/subscriptions/${id}/pause`, { body: {} });
    const resumed = await server.request('POST', `/v1/subscriptions/${id}/resume`, { body: {} });
    expect(resumed.body.periods.map((p: { status: string; reason: string }) => `${p.status}:${p.reason}`)).toEqual([
      'skipped:paused',
      'skipped:paused',
      'skipped:paused',
    ]);
    expect(new Date(resumed.body.next_period.scheduled_for).getTime()).toBeGreaterThan(Date.now());
  });
});

describe('reads and changes', () => {
  it('an unknown status filter is a 400; a cancelled subscription cannot be changed', async () => {
    const listed = await server.request('GET', '/v1/subscriptions?status=nope');
    expect(listed).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
    const { id } = await createSubscription(server.request);
    const payment = { gateway: 'test', payment_method: 'pm_new' };
    expect((await server.request('PATCH', `/v1/subscriptions/${id}`, { body: { colour: 'red' } })).status).toBe(400);
    const changed = await server.request('PATCH', `/v1/subscriptions/${id}`, { body: { payment } });
    expect(changed.body.payment).toEqual(payment);
    await server.request('POST', `/v1/subscriptions/${id}/cancel`, { body: {} });
    const refused = await server.request('PATCH', `/v1/subscriptions/${id}`, { body: { payment } });
    expect(refused).toMatchObject({ status: 409, body: { code: 'illegal_transition' } });
    expect((await server.request('GET', '/v1/subscriptions/sub_nope')).status).toBe(404);
  });
});
