import { describe, expect, it } from 'vitest';
import { createTokenBuckets } from './rate-limit.ts';

describe('token buckets per key', () => {
  it('allows the burst at once, then one request per refill, each key on its own', () => {
    const clock = { ms: 0 };
    const take = createTokenBuckets({ perSecond: 2, burst: 3 }, () => clock.ms);
    expect([take('a'), take('a'), take('a')]).toEqual([0, 0, 0]);
    expect(take('a')).toBe(1); // half a second to the next token: Retry-After rounds up to 1 s
    expect(take('b')).toBe(0);
    clock.ms += 500;
    expect(take('a')).toBe(0);
    expect(take('a')).toBe(1);
    clock.ms += 10_000; // a long pause refills to the burst, not beyond
    expect([take('a'), take('a'), take('a'), take('a')]).toEqual([0, 0, 0, 1]);
  });

  it('says how many whole seconds to wait when the refill is slow', () => {
    const clock = { ms: 0 };
    const take = createTokenBuckets({ perSecond: 0.1, burst: 1 }, () => clock.ms);
    expect(take('a')).toBe(0);
    expect(take('a')).toBe(10);
    clock.ms += 4_000;
    expect(take('a')).toBe(6);
  });
});
