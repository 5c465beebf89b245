import { summarize, type Spread, type Summary } from './stats.ts';

export interface DriveOptions {
  /** Workers, each with at most one operation in flight (a closed loop). */
  concurrency: number;
  /** Length of the measured window. */
  durationMs: number;
  /** Operations run before the window opens are not counted (connections, JIT, caches). */
  warmupMs: number;
  /** Upper bound on operations started, warm-up included. */
  maxOps: number;
  /**
   * Slow operations: the window stays open until at least this many operations have started in
   * it, so a scenario whose calls outlast the window still has figures (default 0).
   */
  minOps?: number;
  /** Ends the run early once it says so, checked before each operation (e.g. stock ran out). */
  until?: () => boolean;
}

export interface DriveResult extends Summary {
  /** The first failure's message, to show why a run had errors. */
  firstError: string | undefined;
  /** Every operation run, warm-up and failures included: what CPU time over the run divides by. */
  operations: number;
  /** Repeated runs (`--runs`): the rates' min / median / max; this result is the median run's. */
  rates?: Spread;
}

/** After this many failures with fewer successes the target is broken: stop instead of spinning. */
const GIVE_UP_AFTER_ERRORS = 200;

/**
 * Runs `operation` in `concurrency` parallel loops for warm-up + duration and measures each call
 * that starts inside the window. The HTTP load generator and the SQL floor share this driver, so
 * their figures are measured the same way.
 */
export async function drive(options: DriveOptions, operation: (worker: number) => Promise<void>): Promise<DriveResult> {
  const started = performance.now();
  const windowStart = started + options.warmupMs;
  const windowEnd = windowStart + options.durationMs;
  const latenciesMs: number[] = [];
  let launched = 0;
  let launchedInWindow = 0;
  const minOps = options.minOps ?? 0;
  let errors = 0;
  let lastFinish = windowStart;
  let firstError: string | undefined;

  const loop = async (worker: number) => {
    for (;;) {
      const begin = performance.now();
      if ((begin >= windowEnd && launchedInWindow >= minOps) || launched >= options.maxOps) return;
      if (options.until?.()) return;
      if (errors >= GIVE_UP_AFTER_ERRORS && errors > latenciesMs.length) return;
      launched++;
      const counted = begin >= windowStart;
      if (counted) launchedInWindow++;
      try {
        await operation(worker);
        const end = performance.now();
        if (counted) {
          latenciesMs.push(end - begin);
          lastFinish = Math.max(lastFinish, end);
        }
      } catch (error) {
        if (counted) errors++;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, worker) => loop(worker)));
  const elapsedMs = Math.max(lastFinish, Math.min(performance.now(), windowEnd)) - windowStart;
  return { ...summarize(latenciesMs, errors, elapsedMs), firstError, operations: launched };
}
