import type { EngineResult } from './engine-run.ts';
import type { DeliveryFigures } from './outbox.ts';
import { median } from './stats.ts';
import { medianP99, NETWORK_LABELS, PLANNER_RUNS, type PlannerRow } from './planner-report.ts';
import { TARGET_CONCURRENCY, type Distribution } from './scenarios.ts';

/** The targets for PostgreSQL on the 2-core reference machine. */
export const TARGETS = {
  holdShareOfFloor: 0.5,
  /** One hot SKU at c=32: holds that arrive together are written together, past the one-row-per-commit floor. */
  hotHoldShareOfFloor: 1.5,
  availabilityOneSkuP99Ms: 5,
  availabilityThousandSkusP99Ms: 50,
  feedRowsPerSec: 20_000,
  orderShareOfFloor: 0.4,
  plannerP99Ms: 1,
  /**
   * The split-forcing network (partial assortments, few units): the same 1 ms as broad stock. Its
   * orders' own planning time (each order's fastest of 5 timings) has a p99 of about 0.3 ms, twice
   * broad stock's 0.14 ms: searches over several locations, 0.3% of them stopped at the work bound
   * (up to about 3 ms). 1 ms leaves room for collector pauses, and a checkout whose order must split
   * should not wait longer than one that ships whole. On a busy machine the measured p99 is mostly
   * preemption and misses on both networks alike; the own p99 and the ratio to broad stock show it.
   */
  plannerSplitP99Ms: 1,
  webhookBurstEventsPerSec: 2_000,
  webhookSteadyLagP50Ms: 50,
  webhookSteadyLagP99Ms: 250,
} as const;

/** The concurrency the hot SKU's group-commit target is set at. */
const HOT_HOLD_CONCURRENCY = 32;
/** The concurrency the orders target is set at. */
export const ORDER_TARGET_CONCURRENCY = 8;
/** The order source the target is read from. */
const ORDER_TARGET_SOURCE = 'POST /v1/orders';

export interface TargetCheck {
  target: string;
  measured: string;
  pass: boolean;
}

const ms = (value: number) => `${value.toFixed(2)} ms`;
const perSec = (value: number) => Math.round(value).toLocaleString('en-US');

function holdCheck(
  result: Pick<EngineResult, 'holds'>,
  distribution: Distribution,
  concurrency: number,
  share: number,
): TargetCheck {
  const row = result.holds.find(
    (h) => h.distribution === distribution && h.concurrency === concurrency && h.idempotencyKey,
  );
  const ratio = row?.floor && row.floor.opsPerSec > 0 ? row.api.opsPerSec / row.floor.opsPerSec : Number.NaN;
  const label = distribution === 'hot' ? 'one hot SKU' : 'spread SKUs';
  return {
    target: `Holds, ${label}, c=${concurrency}: API ≥ ${share * 100}% of the SQL floor`,
    measured: row?.floor
      ? `${(ratio * 100).toFixed(0)}% (${perSec(row.api.opsPerSec)} of ${perSec(row.floor.opsPerSec)} ops/s)`
      : 'not measured',
    pass: ratio >= share && (row?.api.errors ?? 1) === 0,
  };
}

/** The holds' targets: their share of the SQL floor at c=8, and the hot SKU's at c=32. */
export function holdChecks(result: Pick<EngineResult, 'holds'>): TargetCheck[] {
  return [
    holdCheck(result, 'hot', TARGET_CONCURRENCY, TARGETS.holdShareOfFloor),
    holdCheck(result, 'spread', TARGET_CONCURRENCY, TARGETS.holdShareOfFloor),
    holdCheck(result, 'hot', HOT_HOLD_CONCURRENCY, TARGETS.hotHoldShareOfFloor),
  ];
}

function availabilityCheck(result: EngineResult, skus: 1 | 1000, limitMs: number): TargetCheck {
  const row = result.availability.find((a) => a.skus === skus && a.concurrency === 1);
  return {
    target: `Availability, ${skus === 1 ? '1 SKU' : '1,000 SKUs'}, c=1: p99 ≤ ${limitMs} ms`,
    measured: row ? `p99 ${ms(row.result.p99Ms)} (p50 ${ms(row.result.p50Ms)})` : 'not measured',
    pass: row !== undefined && row.result.errors === 0 && row.result.p99Ms <= limitMs,
  };
}

const shareOfFloor = (api: number, floor: number | undefined) =>
  floor !== undefined && floor > 0 ? api / floor : Number.NaN;

function orderCheck(result: EngineResult): TargetCheck {
  const row = result.orders.find((o) => o.source === ORDER_TARGET_SOURCE && o.concurrency === ORDER_TARGET_CONCURRENCY);
  const ratio = row ? shareOfFloor(row.api.opsPerSec, row.floor?.opsPerSec) : Number.NaN;
  return {
    target: `Orders (3 lines, routed), c=${ORDER_TARGET_CONCURRENCY}: API ≥ ${TARGETS.orderShareOfFloor * 100}% of the SQL floor`,
    measured: row?.floor
      ? `${(ratio * 100).toFixed(0)}% (${perSec(row.api.opsPerSec)} of ${perSec(row.floor.opsPerSec)} orders/s)`
      : 'not measured',
    pass: ratio >= TARGETS.orderShareOfFloor && (row?.api.errors ?? 1) === 0,
  };
}

export function plannerCheck(row: PlannerRow): TargetCheck {
  const limitMs = row.network === 'split' ? TARGETS.plannerSplitP99Ms : TARGETS.plannerP99Ms;
  const first = row.runs[0]!;
  const p99 = medianP99(row);
  return {
    target: `Routing planner, ${first.linesPerOrder} lines × ${first.locations} locations, ${NETWORK_LABELS[row.network]}: p99 ≤ ${limitMs} ms (median of ${PLANNER_RUNS} runs)`,
    measured:
      `p99 ${p99.toFixed(3)} ms (runs: ${row.runs.map((r) => r.p99Ms.toFixed(3)).join(', ')} ms; ` +
      `own p99 ${median(row.runs.map((r) => r.ownP99Ms)).toFixed(3)} ms)`,
    pass: p99 <= limitMs,
  };
}

/** Every target checked against one engine's results (they are set for PostgreSQL) and the planner's. */
export function checkTargets(result: EngineResult, planner: PlannerRow[]): TargetCheck[] {
  const feeds = result.feeds;
  return [
    ...holdChecks(result),
    availabilityCheck(result, 1, TARGETS.availabilityOneSkuP99Ms),
    availabilityCheck(result, 1000, TARGETS.availabilityThousandSkusP99Ms),
    {
      target: `Feed ingestion: ≥ ${TARGETS.feedRowsPerSec.toLocaleString('en-US')} rows/s`,
      measured: `${Math.round(feeds.medianRowsPerSec).toLocaleString('en-US')} rows/s (median of ${feeds.runs.length} feeds of ${feeds.rowsPerFeed.toLocaleString('en-US')} rows)`,
      pass: feeds.runs.length > 0 && feeds.medianRowsPerSec >= TARGETS.feedRowsPerSec,
    },
    orderCheck(result),
    ...webhookChecks(result),
    ...planner.map(plannerCheck),
  ];
}

/** A receiver's burst rate and its lag at a steady 300 events/s: the webhook endpoint, or a JetStream consumer. */
export function deliveryChecks(receiver: string, figures: DeliveryFigures): TargetCheck[] {
  const steady = figures.steady;
  return [
    {
      target: `${receiver}, a burst of ${figures.events.toLocaleString('en-US')} events: ≥ ${perSec(TARGETS.webhookBurstEventsPerSec)} events/s`,
      measured: `${perSec(figures.eventsPerSec)} events/s (${perSec(figures.ms)} ms from commit to the last delivery)`,
      pass: figures.duplicates === 0 && figures.eventsPerSec >= TARGETS.webhookBurstEventsPerSec,
    },
    {
      target: `${receiver} at a steady ${perSec(steady.eventsPerSec)} events/s: lag p50 ≤ ${TARGETS.webhookSteadyLagP50Ms} ms, p99 ≤ ${TARGETS.webhookSteadyLagP99Ms} ms`,
      measured: `p50 ${ms(steady.lagP50Ms)}, p99 ${ms(steady.lagP99Ms)}`,
      pass: steady.lagP50Ms <= TARGETS.webhookSteadyLagP50Ms && steady.lagP99Ms <= TARGETS.webhookSteadyLagP99Ms,
    },
  ];
}

/** Webhook delivery, and JetStream publishing when the server published: burst rate and steady lag. */
function webhookChecks(result: EngineResult): TargetCheck[] {
  const { outbox } = result;
  return [
    ...deliveryChecks('Webhooks', outbox),
    ...(outbox.jetstream ? deliveryChecks('JetStream publishing', outbox.jetstream) : []),
  ];
}
