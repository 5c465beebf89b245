import { describe, expect, it } from 'vitest';
import { startIntervalWorker } from './interval-worker.ts';

const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

describe('startIntervalWorker', () => {
  it('runs again at once while a run says work is left, then waits for a wake or the interval', async () => {
    const answers = [true, true, false];
    let runs = 0;
    const worker = startIntervalWorker(
      3_600_000,
      async () => {
        runs++;
        return answers.shift() ?? false;
      },
      (error) => {
        throw error;
      },
    );
    worker.wake();
    await settle();
    expect(runs).toBe(3);
    worker.wake();
    await settle();
    expect(runs).toBe(4);
    await worker.stop();
  });

  it('stops running again once stopped, even with work left', async () => {
    let runs = 0;
    const worker = startIntervalWorker(
      3_600_000,
      async () => {
        runs++;
        await new Promise((resolve) => setTimeout(resolve, 5));
        return true;
      },
      () => {},
    );
    worker.wake();
    await new Promise((resolve) => setTimeout(resolve, 12));
    await worker.stop();
    const stoppedAt = runs;
    await settle();
    expect(runs).toBe(stoppedAt);
    expect(stoppedAt).toBeGreaterThanOrEqual(1);
  });
});
