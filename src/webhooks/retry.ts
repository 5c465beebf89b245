/**
 * When a failed delivery is tried again. The first attempt goes out at once; after each failure
 * the next waits per this schedule (its last step repeats), ±20 % jitter so that receivers coming
 * back from an outage are not hit by every retry at the same instant.
 */
export const DEFAULT_RETRY_SCHEDULE_MS: readonly number[] = [
  5_000, // 5 s
  30_000, // 30 s
  2 * 60_000, // 2 min
  10 * 60_000, // 10 min
  60 * 60_000, // 1 h
  4 * 60 * 60_000, // 4 h
  10 * 60 * 60_000, // 10 h
];

/** One first attempt plus one per step of the schedule: 8 by default, about 15 hours in all. */
export function defaultMaxAttempts(schedule: readonly number[]): number {
  return schedule.length + 1;
}

/** The wait after the `failedAttempts`-th failure (1-based). */
export function retryDelayMs(
  failedAttempts: number,
  schedule: readonly number[],
  random: () => number = Math.random,
): number {
  if (!Number.isInteger(failedAttempts) || failedAttempts < 1)
    throw new Error(`failedAttempts must be ≥ 1, got ${failedAttempts}`);
  const base = schedule[Math.min(failedAttempts, schedule.length) - 1] ?? 0;
  return Math.round(base * (0.8 + 0.4 * random()));
}
