import { randomBytes } from 'node:crypto';
import type { DriveOptions, DriveResult } from './drive.ts';
import { ApiClient, generateLoad, type HttpCall } from './loadgen.ts';
import { FEED_ROWS, type BenchNetwork, type StockPoint } from './network.ts';
import { median } from './stats.ts';

export type Distribution = 'hot' | 'spread';

export interface HoldCase {
  distribution: Distribution;
  concurrency: number;
  /** Whether each hold carries its own Idempotency-Key, as real storefronts send. */
  idempotencyKey: boolean;
}

export interface AvailabilityCase {
  skus: 1 | 1000;
  concurrency: number;
}

export interface FeedRun {
  ms: number;
  rowsPerSec: number;
}

export interface FeedResult {
  rowsPerFeed: number;
  runs: FeedRun[];
  medianRowsPerSec: number;
  medianMs: number;
}

/** Where the server under test listens and the key it accepts. */
export interface Target {
  url: string;
  apiKey: string;
}

const HOLD_CONCURRENCIES = [1, 8, 32] as const;
/** The concurrency the hold target is set at; also where holds without a key are measured. */
export const TARGET_CONCURRENCY = 8;

export function holdCases(): HoldCase[] {
  const distributions: Distribution[] = ['hot', 'spread'];
  return [
    ...distributions.flatMap((distribution) =>
      HOLD_CONCURRENCIES.map((concurrency) => ({ distribution, concurrency, idempotencyKey: true })),
    ),
    ...distributions.map((distribution) => ({ distribution, concurrency: TARGET_CONCURRENCY, idempotencyKey: false })),
  ];
}

export function availabilityCases(): AvailabilityCase[] {
  return [
    { skus: 1, concurrency: 1 },
    { skus: 1000, concurrency: 1 },
    { skus: 1, concurrency: TARGET_CONCURRENCY },
    { skus: 1000, concurrency: TARGET_CONCURRENCY },
  ];
}

const randomOf = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

/** The stock level the next hold (API or floor) draws on. */
export function picker(network: BenchNetwork, distribution: Distribution): () => StockPoint {
  return distribution === 'hot' ? () => network.hot : () => randomOf(network.spread);
}

/** POST /v1/reservations: one line, one unit, at an explicit location (the storefront path). */
export function measureHolds(
  target: Target,
  network: BenchNetwork,
  hold: HoldCase,
  options: DriveOptions,
): Promise<DriveResult> {
  const pick = picker(network, hold.distribution);
  const run = randomBytes(4).toString('hex');
  let sequence = 0;
  const next = (): HttpCall => {
    const point = pick();
    return {
      method: 'POST',
      path: '/v1/reservations',
      headers: hold.idempotencyKey ? { 'idempotency-key': `bench-${run}-${++sequence}` } : {},
      body: JSON.stringify({
        lines: [{ sku: point.sku, quantity: 1, location_id: point.locationId }],
        expires_in_seconds: 3600,
      }),
    };
  };
  return generateLoad(target.url, target.apiKey, { ...options, concurrency: hold.concurrency }, next, [201]);
}

/** 1 SKU: GET /v1/availability?skus=<random SKU>. 1,000 SKUs: POST /v1/availability/query. */
export function measureAvailability(
  target: Target,
  network: BenchNetwork,
  query: AvailabilityCase,
  options: DriveOptions,
): Promise<DriveResult> {
  const all = JSON.stringify({ skus: network.spreadSkus.slice(0, query.skus) });
  const next = (): HttpCall =>
    query.skus === 1
      ? { method: 'GET', path: `/v1/availability?skus=${encodeURIComponent(randomOf(network.spreadSkus))}` }
      : { method: 'POST', path: '/v1/availability/query', body: all };
  return generateLoad(target.url, target.apiKey, { ...options, concurrency: query.concurrency }, next, [200]);
}

/**
 * Brings a freshly started server to steady state before anything is measured: a bounded burst of
 * every kind of call (holds with and without a key on both stock patterns, both availability
 * queries), so JIT compilation, connection set-up and cold caches land here.
 */
export async function warmUpServer(target: Target, network: BenchNetwork, durationMs: number): Promise<DriveResult> {
  const holds = holdCases().map((hold) => ({ hold, pick: picker(network, hold.distribution) }));
  const thousand = JSON.stringify({ skus: network.spreadSkus });
  const run = randomBytes(4).toString('hex');
  let sequence = 0;
  const next = (): HttpCall => {
    const turn = ++sequence % (holds.length + 2);
    if (turn === holds.length)
      return { method: 'GET', path: `/v1/availability?skus=${encodeURIComponent(randomOf(network.spreadSkus))}` };
    if (turn === holds.length + 1) return { method: 'POST', path: '/v1/availability/query', body: thousand };
    const { hold, pick } = holds[turn]!;
    const point = pick();
    return {
      method: 'POST',
      path: '/v1/reservations',
      headers: hold.idempotencyKey ? { 'idempotency-key': `bench-warm-${run}-${sequence}` } : {},
      body: JSON.stringify({
        lines: [{ sku: point.sku, quantity: 1, location_id: point.locationId }],
        expires_in_seconds: 3600,
      }),
    };
  };
  const options = { concurrency: 4, durationMs, warmupMs: 0, maxOps: 100_000 };
  return generateLoad(target.url, target.apiKey, options, next, [200, 201]);
}

function feedBody(network: BenchNetwork, feedNo: number, runTag: string, asOfMs: number): string {
  return JSON.stringify({
    feed_id: `bench-${runTag}-${feedNo}`,
    mode: 'snapshot',
    as_of: new Date(asOfMs).toISOString(),
    source: 'bench',
    rows: network.feedPoints.map((p, i) => ({
      location_id: p.locationId,
      sku: p.sku,
      on_hand: 1_000 + feedNo + (i % 7),
    })),
  });
}

/**
 * POST /v1/inventory/feeds: `count` snapshot feeds of 10,000 rows one after another, each with a
 * new feed_id, a later as_of and changed quantities (every row applies). One unmeasured feed
 * warms up first. Stops early once `budgetMs` is spent.
 */
export async function measureFeeds(
  target: Target,
  network: BenchNetwork,
  count: number,
  budgetMs: number,
): Promise<FeedResult> {
  const client = new ApiClient(target.url, target.apiKey, 1);
  const runTag = randomBytes(4).toString('hex');
  const firstAsOf = Date.now() - 3_600_000;
  const runs: FeedRun[] = [];
  const deadline = performance.now() + budgetMs;
  try {
    for (let feedNo = 0; feedNo <= count && performance.now() < deadline; feedNo++) {
      const body = feedBody(network, feedNo, runTag, firstAsOf + feedNo * 1_000);
      const started = performance.now();
      const response = await client.expect({ method: 'POST', path: '/v1/inventory/feeds', body }, [201]);
      const ms = performance.now() - started;
      const summary = JSON.parse(response.body.toString('utf8')) as { applied: number };
      if (summary.applied !== FEED_ROWS)
        throw new Error(`feed ${feedNo} applied ${summary.applied} of ${FEED_ROWS} rows`);
      if (feedNo > 0) runs.push({ ms, rowsPerSec: (FEED_ROWS * 1000) / ms });
    }
  } finally {
    client.close();
  }
  return {
    rowsPerFeed: FEED_ROWS,
    runs,
    medianRowsPerSec: median(runs.map((r) => r.rowsPerSec)),
    medianMs: median(runs.map((r) => r.ms)),
  };
}
