/**
 * Clocks differ a little: a time a caller gives (a count's `as_of`, a parcel's `shipped_at`) up to
 * this far ahead of ours is still taken as given; further ahead, it is refused.
 */
export const CLOCK_SKEW_MS = 5 * 60_000;

/** Whether `at` (an ISO 8601 time) lies further ahead of `nowMs` than the clock-skew allowance. */
export function beyondClockSkew(at: string, nowMs: number = Date.now()): boolean {
  return Date.parse(at) > nowMs + CLOCK_SKEW_MS;
}
