import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { must, type Requester } from '../support/client.ts';
import { createDeployment, type Deployment } from '../support/deployment.ts';
import { deliveryProblems, listAllEvents, undelivered, webhookIdOf, type OutboxEvent } from '../support/outbox.ts';
import { waitFor } from '../support/wait.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';

/**
 * At-least-once delivery across a crash: `consign serve` is killed with SIGKILL while webhook
 * deliveries are in flight to a slow subscriber. After a restart every event reaches the
 * subscriber (the ones cut off mid-request again, once their lease runs out), and deduplicated
 * by `webhook-id` the subscriber has exactly the outbox.
 */
const SKUS = ['CRASH-A', 'CRASH-B', 'CRASH-C', 'CRASH-D'];
const BATCHES = 4;
/** More events than the dispatcher claims at once (50), so the crash always leaves some unsent. */
const MOVEMENTS_PER_BATCH = 150;
/** Each delivery takes this long to answer, so a batch is always in flight for a while. */
const RECEIVER_DELAY_MS = 200;
const RECEIVED_BEFORE_KILL = 30;
/**
 * A delivery cut off by the crash is tried again when its lease runs out: the request timeout
 * (10 s, the server's default) plus a 60 s margin. The wait covers that with room to spare.
 */
const REDELIVERY_WAIT_MS = 150_000;
const TEST_TIMEOUT_MS = 240_000;

let deployment: Deployment;
let locationId: string;
const receiver = new WebhookReceiver(RECEIVER_DELAY_MS);
const request: Requester = (method, path, options) => deployment.servers[0]!.request(method, path, options);

beforeAll(async () => {
  await receiver.start();
  deployment = await createDeployment({
    serverCount: 1,
    env: { CONSIGN_WEBHOOK_INTERVAL_MS: '50', CONSIGN_WEBHOOK_ALLOW_HOSTS: '127.0.0.1' },
  });
  const location = await must(request, 'POST', '/v1/locations', {
    code: 'WH-CRASH',
    type: 'warehouse',
    name: 'Crash test warehouse',
    address: { line1: '1 Dock Rd', city: 'Newark', country: 'US' },
    timezone: 'America/New_York',
    capabilities: ['ship'],
  });
  locationId = location.id;
  for (const sku of SKUS) {
    await must(request, 'POST', '/v1/products', { sku, name: sku });
    await must(request, 'PUT', `/v1/inventory/${locationId}/${sku}`, { on_hand: 1 }); // before the subscription
  }
}, TEST_TIMEOUT_MS);
afterAll(async () => {
  try {
    await deployment?.close();
  } finally {
    await receiver.stop();
  }
});

/**
 * A burst of stock events: one receipt per movement, each its own outbox event. Resolves with
 * the answer's status, or undefined when the crash cut the request off.
 */
async function receiveStock(batch: number): Promise<number | undefined> {
  const movements = Array.from({ length: MOVEMENTS_PER_BATCH }, (_, i) => ({
    kind: 'receipt',
    sku: SKUS[i % SKUS.length]!,
    location_id: locationId,
    quantity: 1 + batch,
  }));
  const response = await request('POST', '/v1/inventory/adjustments', {
    body: { reason: `crash burst ${batch}`, movements },
  }).catch(() => undefined);
  return response?.status;
}

/** The server has recorded an outcome for every delivery (the receiver may count one before that). */
async function nonePending(subscriptionId: string): Promise<boolean> {
  const path = `/v1/webhook-subscriptions/${subscriptionId}/deliveries?status=pending&limit=1`;
  return (await must(request, 'GET', path)).data.length === 0;
}

describe('kill -9 while webhooks are being delivered', () => {
  it(
    'loses nothing: after a restart every event arrives at least once, exactly once by webhook-id',
    async () => {
      const lastBefore = Number((await listAllEvents(request)).at(-1)?.id ?? 0);
      expect(lastBefore).toBeGreaterThan(0);
      const subscription = await must(request, 'POST', '/v1/webhook-subscriptions', {
        url: receiver.url,
        event_types: ['*'],
      });
      receiver.trust(subscription.secret);

      const burst = Promise.all(Array.from({ length: BATCHES }, (_, batch) => receiveStock(batch)));
      await waitFor(
        'deliveries in flight after the first ones arrived',
        () => receiver.received.length >= RECEIVED_BEFORE_KILL && receiver.inFlight > 0,
        { timeoutMs: 60_000, describe: () => `received ${receiver.received.length}, in flight ${receiver.inFlight}` },
      );
      // In one synchronous step: the signal goes out, then the requests it was waiting on are cut
      // off unanswered, so none of them can have been recorded as delivered.
      const exited = deployment.servers[0]!.kill('SIGKILL');
      const cutOff = receiver.dropUnanswered();
      expect(await exited).toMatchObject({ signal: 'SIGKILL' });
      const answers = await burst;
      expect(answers.filter((status) => status !== undefined && status !== 201)).toEqual([]);
      const acknowledged = answers.filter((status) => status === 201).length * MOVEMENTS_PER_BATCH;
      const receivedAtKill = receiver.counts().size;
      expect(cutOff.length).toBeGreaterThan(0);

      await deployment.restart();
      const expected: OutboxEvent[] = (await listAllEvents(request)).filter((e) => Number(e.id) > lastBefore);
      expect(receivedAtKill, 'the crash came before every event was sent').toBeLessThan(expected.length);
      expect(
        expected.filter((e) => e.type === 'inventory.availability_changed').length,
        'every acknowledged stock movement has its event',
      ).toBeGreaterThanOrEqual(acknowledged);
      await waitFor('every event delivered after the restart', () => undelivered(receiver, expected).length === 0, {
        timeoutMs: REDELIVERY_WAIT_MS,
        describe: () => `${undelivered(receiver, expected).length} of ${expected.length} events not received`,
      });
      await waitFor(
        'every cut-off delivery sent again',
        () => cutOff.every((id) => (receiver.counts().get(id) ?? 0) >= 2),
        { timeoutMs: REDELIVERY_WAIT_MS, describe: () => `cut off: ${cutOff.join(', ')}` },
      );
      await waitFor('no delivery left pending', () => nonePending(subscription.id), { timeoutMs: 30_000 });
      expect(deliveryProblems(receiver, expected, { duplicates: 'allowed' })).toBeUndefined();
      expect(new Set(receiver.received.map((r) => r.webhookId))).toEqual(new Set(expected.map(webhookIdOf)));
    },
    TEST_TIMEOUT_MS,
  );
});
