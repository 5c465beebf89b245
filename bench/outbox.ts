import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../src/config.ts';
import { ApiClient, type HttpCall } from './loadgen.ts';
import type { BenchNetwork, StockPoint } from './network.ts';
import type { Target } from './scenarios.ts';
import { JetStreamReceiver, type Receipt, type ReceiptLog } from './jetstream-receiver.ts';
import { summarize } from './stats.ts';

/** The event type the subscription listens to: one per feed row applied. */
const EVENT_TYPE = 'inventory.availability_changed';
/** Feeds here are dated before every feed the feeds scenario sends, so those still apply. */
const AS_OF_AGO_MS = 7_200_000;
const MIN_WAIT_MS = 60_000;
const POLL_MS = 20;

/** The steady phase's figures: events sent at a fixed rate, and their lag once all arrived. */
interface SteadyFigures {
  events: number;
  eventsPerSec: number;
  lagP50Ms: number;
  lagP99Ms: number;
  lagMaxMs: number;
}

/** How the burst and the steady phase reached one receiver (the webhook endpoint, or a JetStream consumer). */
export interface DeliveryFigures {
  events: number;
  /** From the burst's commit (its feed answered) to the last delivery received. */
  ms: number;
  eventsPerSec: number;
  /** Received time − the event's created_at (the `timestamp` of the delivery body). */
  lagP50Ms: number;
  lagP99Ms: number;
  lagMaxMs: number;
  /** Deliveries of an event already received (a correct run has none). */
  duplicates: number;
  /** The steady phase after the burst: events at a fixed rate, one small feed every STEADY_EVERY_MS. */
  steady: SteadyFigures;
}

export interface OutboxResult extends DeliveryFigures {
  /** The dispatcher's tick interval in the server under test (CONSIGN_WEBHOOK_INTERVAL_MS). */
  intervalMs: number;
  /** The same events as published to JetStream and read by a consumer, when the server publishes. */
  jetstream?: DeliveryFigures;
}

/** The stream the server under test publishes to, for a consumer to read. */
export interface JetStreamTarget {
  url: string;
  stream: string;
  subjectPrefix: string;
}

/** The steady phase: STEADY_ROWS events every STEADY_EVERY_MS for STEADY_MS (300 events/s). */
const STEADY_ROWS = 15;
const STEADY_EVERY_MS = 50;
const STEADY_MS = 5_000;

/** A subscriber's endpoint that only counts: 200 to every POST, receipt time and created_at kept per event. */
class CountingReceiver implements ReceiptLog {
  readonly received = new Map<string, Receipt>();
  duplicates = 0;
  url = '';
  private readonly server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const receivedAtMs = Date.now();
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: string; timestamp: string };
      const id = body.id.replace(/^evt_/, '');
      if (this.received.has(id)) this.duplicates++;
      else this.received.set(id, { receivedAtMs, createdAtMs: Date.parse(body.timestamp) });
      response.writeHead(200).end();
    });
  });

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/events`;
    return this;
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }
}

async function waitUntil(what: string, done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > deadline) throw new Error(`outbox: ${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function feed(points: StockPoint[], id: string, asOfMs: number, onHand: (i: number) => number): HttpCall {
  const rows = points.map((p, i) => ({ location_id: p.locationId, sku: p.sku, on_hand: onHand(i) }));
  const body = { feed_id: id, mode: 'snapshot', as_of: new Date(asOfMs).toISOString(), source: 'bench outbox', rows };
  return { method: 'POST', path: '/v1/inventory/feeds', body: JSON.stringify(body) };
}

/** Lag (receipt − created_at) of `ids` in `log`: p50, p99 and the longest. */
function lagOf(log: ReceiptLog, ids: readonly string[]) {
  const lags = summarize(
    ids.map((id) => log.received.get(id)!).map((d) => d.receivedAtMs - d.createdAtMs),
    0,
    0,
  );
  return { lagP50Ms: lags.p50Ms, lagP99Ms: lags.p99Ms, lagMaxMs: lags.maxMs };
}

/** Measurements made by this process so far. */
let measurements = 0;

const holdsAll = (log: ReceiptLog, ids: readonly string[]) => () => ids.every((id) => log.received.has(id));

/**
 * Events at a steady rate, as a busy store commits them: a feed of `points.length` rows (each
 * row a new level, so an event) every STEADY_EVERY_MS for STEADY_MS, on the schedule's clock
 * (a late feed does not push the next ones back); then every delivery is awaited and its lag
 * (receipt − the event's created_at) summarised, at the webhook receiver and at each of `others`.
 */
async function steadyPhase(
  client: ApiClient,
  receiver: CountingReceiver,
  others: ReceiptLog[],
  points: StockPoint[],
  run: string,
  asOf: number,
): Promise<SteadyFigures[]> {
  const before = new Set(receiver.received.keys());
  const feeds = Math.round(STEADY_MS / STEADY_EVERY_MS);
  const startMs = performance.now();
  for (let n = 0; n < feeds; n++) {
    const dueMs = startMs + n * STEADY_EVERY_MS;
    const waitMs = dueMs - performance.now();
    if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
    await client.expect(
      feed(points, `bench-outbox-${run}-steady-${n}`, asOf + 2_000 + n, (i) => 1_000 + n * points.length + i),
      [201],
    );
  }
  const sentMs = performance.now() - startMs;
  const events = feeds * points.length;
  await waitUntil(
    `delivery of ${events} steady events`,
    () => receiver.received.size >= before.size + events,
    MIN_WAIT_MS,
  );
  const ids = [...receiver.received.keys()].filter((id) => !before.has(id));
  for (const other of others) await waitUntil(`${events} steady events published`, holdsAll(other, ids), MIN_WAIT_MS);
  return [receiver, ...others].map((log) => ({ events, eventsPerSec: (events * 1000) / sentMs, ...lagOf(log, ids) }));
}

/** The burst's figures at one receiver: `ids` committed at `committedAtMs`. */
function burstFigures(log: ReceiptLog, ids: readonly string[], committedAtMs: number) {
  const ms = Math.max(...ids.map((id) => log.received.get(id)!.receivedAtMs)) - committedAtMs;
  return {
    events: ids.length,
    ms,
    eventsPerSec: ms > 0 ? (ids.length * 1000) / ms : Number.NaN,
    ...lagOf(log, ids),
    duplicates: log.duplicates,
  };
}

/**
 * Webhook delivery by the server's own dispatcher: subscribes a local receiver to
 * `inventory.availability_changed`, sends a one-row feed and waits for its delivery (the
 * dispatcher has then caught up with every older event), then commits `count` events at once
 * with one snapshot feed of `count` rows and times their delivery; then a steady phase at 300
 * events/s (`steadyPhase`). With `jetstream`, a consumer of the server's stream times the same
 * events as published there.
 */
export async function measureOutbox(
  target: Target,
  network: BenchNetwork,
  count: number,
  jetstream?: JetStreamTarget,
): Promise<OutboxResult> {
  const intervalMs = loadConfig(process.env).webhookIntervalMs;
  if (intervalMs === 0) throw new Error('outbox: CONSIGN_WEBHOOK_INTERVAL_MS=0 runs no webhook dispatcher');
  const receiver = await new CountingReceiver().start();
  const consumer = jetstream
    ? await new JetStreamReceiver().start(jetstream.url, jetstream.stream, `${jetstream.subjectPrefix}.${EVENT_TYPE}`)
    : undefined;
  const others = consumer ? [consumer] : [];
  const client = new ApiClient(target.url, target.apiKey, 1);
  const run = randomBytes(4).toString('hex');
  const asOf = Date.now() - AS_OF_AGO_MS;
  // Each measurement on the same server sets new levels, or its feeds would change nothing.
  const shift = 3 * measurements++;
  let subscriptionId: string | undefined;
  try {
    const subscription = { url: receiver.url, event_types: [EVENT_TYPE], description: 'bench receiver' };
    const created = await client.expect(
      { method: 'POST', path: '/v1/webhook-subscriptions', body: JSON.stringify(subscription) },
      [201],
    );
    subscriptionId = (JSON.parse(created.body.toString('utf8')) as { id: string }).id;
    const [sentinel, ...burst] = network.feedPoints.slice(0, count + 1);
    await client.expect(
      feed([sentinel!], `bench-outbox-${run}-0`, asOf, () => 400 + shift),
      [201],
    );
    await waitUntil('the first delivery', () => receiver.received.size > 0, MIN_WAIT_MS * 2);
    const [sentinelId] = receiver.received.keys();
    const answer = await client.expect(
      feed(burst, `bench-outbox-${run}-1`, asOf + 1_000, (i) => 500 + shift + (i % 3)),
      [201],
    );
    const committedAtMs = Date.now();
    const applied = (JSON.parse(answer.body.toString('utf8')) as { applied: number }).applied;
    if (applied !== count) throw new Error(`outbox: the burst feed applied ${applied} of ${count} rows`);
    const budgetMs = Math.max(MIN_WAIT_MS, count * 20);
    await waitUntil(`delivery of ${count} events`, () => receiver.received.size >= count + 1, budgetMs);
    const ids = [...receiver.received.keys()].filter((id) => id !== sentinelId);
    for (const other of others) await waitUntil(`${count} events published`, holdsAll(other, ids), budgetMs);
    const points = network.feedPoints.slice(1, STEADY_ROWS + 1);
    const [steady, published] = await steadyPhase(client, receiver, others, points, run, asOf);
    return {
      ...burstFigures(receiver, ids, committedAtMs),
      intervalMs,
      steady: steady!,
      ...(consumer && published
        ? { jetstream: { ...burstFigures(consumer, ids, committedAtMs), steady: published } }
        : {}),
    };
  } finally {
    // Later scenarios must not pay for deliveries: the subscription stops before the receiver does.
    if (subscriptionId) {
      const path = `/v1/webhook-subscriptions/${subscriptionId}`;
      await client.send({ method: 'PATCH', path, body: '{"active":false}' }).catch(() => {});
    }
    client.close();
    await receiver.stop();
    await consumer?.stop();
  }
}
