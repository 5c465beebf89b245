import { describe, expect, it } from 'vitest';
import { createGapTracker, forgetPassed, gapGraceMsFor, settledCount } from './settle.ts';

describe('settledCount: how far an outbox follower may go', () => {
  it('takes a run of consecutive IDs at once', () => {
    expect(settledCount(createGapTracker(10_000), 4, [5, 6, 7], 0)).toBe(3);
    expect(settledCount(createGapTracker(10_000), 4, [], 0)).toBe(0);
  });

  it('stops before a gap until it has been seen for the grace period', () => {
    const tracker = createGapTracker(10_000);
    expect(settledCount(tracker, 4, [5, 7, 8], 1_000)).toBe(1); // 6 may still commit
    expect(settledCount(tracker, 5, [7, 8], 10_999)).toBe(0);
    expect(settledCount(tracker, 5, [7, 8], 11_000)).toBe(2); // seen at 1,000: 6 rolled back
  });

  it('waits for each gap on its own, measured from when it was first seen', () => {
    const tracker = createGapTracker(100);
    expect(settledCount(tracker, 0, [2, 3, 5], 0)).toBe(0);
    expect(settledCount(tracker, 0, [2, 3, 5], 100)).toBe(2); // past the gap at 1, stops at 4
    expect(settledCount(tracker, 3, [5], 150)).toBe(0);
    expect(settledCount(tracker, 3, [5], 200)).toBe(1);
  });

  it('a missing ID that shows up in time is simply taken', () => {
    const tracker = createGapTracker(100);
    expect(settledCount(tracker, 0, [1, 3], 0)).toBe(1);
    expect(settledCount(tracker, 1, [2, 3], 50)).toBe(2);
    forgetPassed(tracker, 3);
    expect(tracker.firstSeenMs.size).toBe(0);
  });

  it('passes gaps at once without a grace (the embedded engine runs one transaction at a time)', () => {
    expect(gapGraceMsFor('pglite')).toBe(0);
    expect(gapGraceMsFor('postgres')).toBeGreaterThan(0);
    expect(settledCount(createGapTracker(0), 0, [3, 9], 0)).toBe(2);
  });

  it('refuses IDs at or below the cursor: a bug in the caller', () => {
    expect(() => settledCount(createGapTracker(), 5, [5], 0)).toThrow(/ascend/);
  });
});
