import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { throttle } from './throttle.ts';

describe('throttle', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('fires an isolated call at once', () => {
    const fire = vi.fn();
    const wake = throttle(fire, 50);
    wake.call();
    expect(fire).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(60);
    wake.call();
    expect(fire).toHaveBeenCalledTimes(2);
  });

  it('folds the calls of a burst into one firing when the gap has passed', () => {
    const fire = vi.fn();
    const wake = throttle(fire, 50);
    wake.call();
    for (let i = 0; i < 20; i++) {
      vi.advanceTimersByTime(2);
      wake.call();
    }
    expect(fire).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(9);
    expect(fire).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(fire).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(500);
    expect(fire).toHaveBeenCalledTimes(2);
  });

  it('never loses the last call of a burst, and fires at most once per gap under steady calls', () => {
    const fire = vi.fn();
    const wake = throttle(fire, 50);
    for (let i = 0; i < 100; i++) {
      wake.call();
      vi.advanceTimersByTime(5);
    }
    // 500 ms of calls every 5 ms: once at the start, then once at each 50 ms up to the last call's.
    expect(fire).toHaveBeenCalledTimes(11);
    vi.advanceTimersByTime(500);
    expect(fire).toHaveBeenCalledTimes(11);
  });

  it('drops a pending firing when cancelled', () => {
    const fire = vi.fn();
    const wake = throttle(fire, 50);
    wake.call();
    wake.call();
    wake.cancel();
    vi.advanceTimersByTime(100);
    expect(fire).toHaveBeenCalledTimes(1);
  });
});
