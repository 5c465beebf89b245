import type { EngineResult } from './engine-run.ts';
import { TARGET_CONCURRENCY, type Distribution } from './scenarios.ts';

/** The targets for PostgreSQL on the 2-core reference machine. */
export const TARGETS = {
  holdShareOfFloor: 0.5,
  availabilityOneSkuP99Ms: 5,
  availabilityThousandSkusP99Ms: 50,
  feedRowsPerSec: 20_000,
} as const;

export interface TargetCheck {
  target: string;
  measured: string;
  pass: boolean;
}

const ms = (value: number) => `${value.toFixed(2)} ms`;
const perSec = (value: number) => Math.round(value).toLocaleString('en-US');

function holdCheck(result: EngineResult, distribution: Distribution): TargetCheck {
  const row = result.holds.find(
    (h) => h.distribution === distribution && h.concurrency === TARGET_CONCURRENCY && h.idempotencyKey,
  );
  const ratio = row?.floor && row.floor.opsPerSec > 0 ? row.api.opsPerSec / row.floor.opsPerSec : Number.NaN;
  const label = distribution === 'hot' ? 'one hot SKU' : 'spread SKUs';
  return {
    target: `Holds, ${label}, c=${TARGET_CONCURRENCY}: API ≥ ${TARGETS.holdShareOfFloor * 100}% of the SQL floor`,
    measured: row?.floor
      ? `${(ratio * 100).toFixed(0)}% (${perSec(row.api.opsPerSec)} of ${perSec(row.floor.opsPerSec)} ops/s)`
      : 'not measured',
    pass: ratio >= TARGETS.holdShareOfFloor && (row?.api.errors ?? 1) === 0,
  };
}

function availabilityCheck(result: EngineResult, skus: 1 | 1000, limitMs: number): TargetCheck {
  const row = result.availability.find((a) => a.skus === skus && a.concurrency === 1);
  return {
    target: `Availability, ${skus === 1 ? '1 SKU' : '1,000 SKUs'}, c=1: p99 ≤ ${limitMs} ms`,
    measured: row ? `p99 ${ms(row.result.p99Ms)} (p50 ${ms(row.result.p50Ms)})` : 'not measured',
    pass: row !== undefined && row.result.errors === 0 && row.result.p99Ms <= limitMs,
  };
}

/** Every target checked against one engine's results (they are set for PostgreSQL). */
export function checkTargets(result: EngineResult): TargetCheck[] {
  const feeds = result.feeds;
  return [
    holdCheck(result, 'hot'),
    holdCheck(result, 'spread'),
    availabilityCheck(result, 1, TARGETS.availabilityOneSkuP99Ms),
    availabilityCheck(result, 1000, TARGETS.availabilityThousandSkusP99Ms),
    {
      target: `Feed ingestion: ≥ ${TARGETS.feedRowsPerSec.toLocaleString('en-US')} rows/s`,
      measured: `${Math.round(feeds.medianRowsPerSec).toLocaleString('en-US')} rows/s (median of ${feeds.runs.length} feeds of ${feeds.rowsPerFeed.toLocaleString('en-US')} rows)`,
      pass: feeds.runs.length > 0 && feeds.medianRowsPerSec >= TARGETS.feedRowsPerSec,
    },
  ];
}
