import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_SCHEDULE_MS, defaultMaxAttempts, retryDelayMs } from './retry.ts';

describe('retry schedule', () => {
  it('backs off exponentially-ish, 5 s to 10 h, over 8 attempts', () => {
    const mid = () => 0.5; // no jitter
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => retryDelayMs(n, DEFAULT_RETRY_SCHEDULE_MS, mid))).toEqual([
      5_000, 30_000, 120_000, 600_000, 3_600_000, 14_400_000, 36_000_000,
    ]);
    expect(defaultMaxAttempts(DEFAULT_RETRY_SCHEDULE_MS)).toBe(8);
  });

  it('repeats the last step and jitters within ±20 %', () => {
    expect(retryDelayMs(20, [1_000, 2_000], () => 0.5)).toBe(2_000);
    expect(retryDelayMs(1, [10_000], () => 0)).toBe(8_000);
    expect(retryDelayMs(1, [10_000], () => 0.999999)).toBe(12_000);
    expect(retryDelayMs(3, [0])).toBe(0);
    expect(retryDelayMs(1, [])).toBe(0);
  });

  it('refuses a nonsensical attempt count', () => {
    expect(() => retryDelayMs(0, DEFAULT_RETRY_SCHEDULE_MS)).toThrow(/≥ 1/);
  });
});
