/** Latency and throughput figures of one measured run. */
export interface Summary {
  /** Operations that succeeded inside the measured window. */
  count: number;
  errors: number;
  elapsedMs: number;
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Nearest-rank percentile of an ascending array (`p` in 0–100); NaN for an empty one. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

export function summarize(latenciesMs: readonly number[], errors: number, elapsedMs: number): Summary {
  const sorted = Float64Array.from(latenciesMs).sort();
  const asArray = Array.from(sorted);
  return {
    count: latenciesMs.length,
    errors,
    elapsedMs,
    opsPerSec: elapsedMs > 0 ? (latenciesMs.length * 1000) / elapsedMs : 0,
    p50Ms: percentile(asArray, 50),
    p99Ms: percentile(asArray, 99),
    maxMs: asArray.at(-1) ?? Number.NaN,
  };
}

/** The least, median and greatest of repeated runs' figures. */
export interface Spread {
  min: number;
  median: number;
  max: number;
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return { min: sorted[0]!, median: median(sorted), max: sorted.at(-1)! };
}
