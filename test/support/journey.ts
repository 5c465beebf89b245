import { expect } from 'vitest';
import { gapGraceMsFor } from '../../src/streaming/index.ts';
import { startWebhookDispatcher } from '../../src/webhooks/index.ts';
import { carrierSecretEnv } from './carrier-webhooks.ts';
import { must, type Requester } from './client.ts';
import { createTestDatabase, testEngine, type TestDatabase } from './db.ts';
import { deliveryProblems, listAllEvents, undelivered, type OutboxEvent } from './outbox.ts';
import { startTestServer, type TestServer } from './server.ts';
import { waitFor } from './wait.ts';
import { allowLocalWebhooks, WebhookReceiver } from './webhook-receiver.ts';

/** How long every event may take to reach the subscriber (PostgreSQL waits out outbox gaps for 10 s). */
const DELIVERY_WAIT_MS = 30_000;
const DISPATCH_INTERVAL_MS = 25;
/** Nothing fails in these runs, so nothing is sent twice. */
const once = { duplicates: 'forbidden' } as const;

/** A DC and two stores around New York; orders ship to 350 5th Ave (see orders.ts). */
export interface JourneyNetwork {
  /** Edison, NJ: about 45 km from the customer; ships only. */
  dc: string;
  /** Midtown Manhattan: about 1 km from the customer; ships and offers pickup. */
  midtown: string;
  /** Brooklyn: about 8 km from the customer; ships and offers pickup. */
  brooklyn: string;
  channelId: string;
}

/**
 * One end-to-end run: a real Consign server in this process (accepting EasyPost and AfterShip
 * webhooks signed with the test secrets), its webhook dispatcher ticking in the background as in
 * `consign serve`, and a subscriber's receiver subscribed to `*` once the set-up is done.
 */
export interface Journey {
  database: TestDatabase;
  server: TestServer;
  request: Requester;
  receiver: WebhookReceiver;
  subscription: { id: string; created_at: string };
  /** The newest outbox event when the subscription was made (0: none). */
  lastEventIdBefore: number;
  network: JourneyNetwork;
  close(): Promise<void>;
}

export interface JourneyOptions {
  skus: string[];
  /** Set-up before the subscription exists (stock): its events must not reach the subscriber. */
  prepare?: (request: Requester, network: JourneyNetwork) => Promise<void>;
}

/** Runs `work` with `env` set, then puts the environment back as it was. */
async function withEnv<T>(env: Record<string, string>, work: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  try {
    return await work();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

export async function startJourney(options: JourneyOptions): Promise<Journey> {
  const stops: (() => Promise<void>)[] = [];
  /** Newest first; every one runs even when an earlier one fails. */
  const stopAll = async () => {
    const failures: unknown[] = [];
    while (stops.length > 0) await stops.pop()!().catch((error: unknown) => failures.push(error));
    if (failures.length > 0) throw failures[0];
  };
  try {
    const database = await createTestDatabase();
    stops.push(() => database.close());
    // The tracking routes read their secrets when the app is built.
    const server = await withEnv(carrierSecretEnv, () => startTestServer(database));
    stops.push(() => server.close());
    const restoreAllowList = allowLocalWebhooks();
    stops.push(async () => restoreAllowList());
    const receiver = await new WebhookReceiver().start();
    stops.push(() => receiver.stop());
    const network = await createJourneyNetwork(server.request, options.skus);
    await options.prepare?.(server.request, network);
    const lastEventIdBefore = Number((await listAllEvents(server.request)).at(-1)?.id ?? 0);
    const subscription = await must(server.request, 'POST', '/v1/webhook-subscriptions', {
      url: receiver.url,
      event_types: ['*'],
      description: 'end-to-end subscriber',
    });
    receiver.trust(subscription.secret);
    const dispatchErrors: unknown[] = [];
    const dispatcher = startWebhookDispatcher(database.db, {
      intervalMs: DISPATCH_INTERVAL_MS,
      gapGraceMs: gapGraceMsFor(testEngine()),
      timeoutMs: 5_000,
      onError: (error) => dispatchErrors.push(error),
    });
    stops.push(() => dispatcher.stop());
    return {
      database,
      server,
      request: server.request,
      receiver,
      subscription: { id: subscription.id, created_at: subscription.created_at },
      lastEventIdBefore,
      network,
      close: async () => {
        await stopAll();
        if (dispatchErrors.length > 0) throw new Error(`the dispatcher failed: ${String(dispatchErrors[0])}`);
      },
    };
  } catch (error) {
    await stopAll().catch(() => {}); // the set-up failure is the one to report
    throw error;
  }
}

export async function createJourneyNetwork(request: Requester, skus: string[]): Promise<JourneyNetwork> {
  const location = (code: string, type: string, city: string, at: [number, number], capabilities: string[]) =>
    must(request, 'POST', '/v1/locations', {
      code,
      type,
      name: `${city} ${type.replace('_', ' ')}`,
      address: { line1: '1 Main St', city, region: 'NY', country: 'US' },
      latitude: at[0],
      longitude: at[1],
      timezone: 'America/New_York',
      capabilities,
    });
  const dc = await location('DC-EDISON', 'distribution_center', 'Edison', [40.5187, -74.4121], ['ship']);
  const midtown = await location('ST-MIDTOWN', 'store', 'New York', [40.758, -73.9855], ['ship', 'pickup']);
  const brooklyn = await location('ST-BROOKLYN', 'store', 'Brooklyn', [40.6782, -73.9442], ['ship', 'pickup']);
  const group = await must(request, 'POST', '/v1/location-groups', {
    code: 'nyc',
    name: 'New York area',
    location_ids: [dc.id, midtown.id, brooklyn.id],
  });
  const channel = await must(request, 'POST', '/v1/channels', {
    code: 'web',
    name: 'Web',
    type: 'web',
    location_group_id: group.id,
  });
  for (const sku of skus)
    await must(request, 'POST', '/v1/products', { sku, name: `Product ${sku}`, weight_grams: 400 });
  return { dc: dc.id, midtown: midtown.id, brooklyn: brooklyn.id, channelId: channel.id };
}

/** The events created after the subscription: the ones it must receive. */
async function eventsForSubscriber(journey: Journey): Promise<OutboxEvent[]> {
  const events = await listAllEvents(journey.request);
  const after = events.filter((e) => e.created_at >= journey.subscription.created_at);
  // Nothing ran alongside the subscription, so "created after it" and "newer than the last event
  // before it" must be the same events.
  expect(after).toEqual(events.filter((e) => Number(e.id) > journey.lastEventIdBefore));
  return after;
}

/**
 * Waits (bounded) until the receiver has every outbox event created after the subscription, then
 * checks what it got: every delivery verified, each event exactly once, nothing else, and each
 * with the event's own type and data. Returns the events for the caller's own checks.
 */
export async function expectEveryEventDeliveredOnce(journey: Journey): Promise<OutboxEvent[]> {
  const { receiver } = journey;
  const events = await waitFor(
    'every event delivered to the subscriber',
    async () => {
      const expected = await eventsForSubscriber(journey);
      return undelivered(receiver, expected).length === 0 && expected;
    },
    {
      timeoutMs: DELIVERY_WAIT_MS,
      describe: async () => JSON.stringify(deliveryProblems(receiver, await eventsForSubscriber(journey), once)),
    },
  );
  // The receiver counts a delivery before the dispatcher has recorded its answer.
  const pendingPath = `/v1/webhook-subscriptions/${journey.subscription.id}/deliveries?status=pending&limit=1`;
  await waitFor(
    'every delivery settled',
    async () => (await must(journey.request, 'GET', pendingPath)).data.length === 0,
    { timeoutMs: DELIVERY_WAIT_MS },
  );
  const settled = await must(
    journey.request,
    'GET',
    `/v1/webhook-subscriptions/${journey.subscription.id}/deliveries?status=succeeded&limit=500`,
  );
  expect(settled.data.length, 'every delivery succeeded').toBe(events.length);
  expect(deliveryProblems(receiver, events, once)).toBeUndefined();
  return events;
}
