import { describe, expect, it } from 'vitest';
import type { DriveResult } from './drive.ts';
import { repeatRuns } from './repeat.ts';

const run = (opsPerSec: number, p99Ms: number): DriveResult => ({
  count: opsPerSec,
  errors: 0,
  elapsedMs: 1_000,
  opsPerSec,
  p50Ms: p99Ms / 2,
  p99Ms,
  maxMs: p99Ms,
  firstError: undefined,
  operations: opsPerSec + 10,
});

function measurer(results: DriveResult[]) {
  let calls = 0;
  return { measure: async () => ({ label: 'row', result: results[calls++]! }), calls: () => calls };
}

describe('repeatRuns', () => {
  it('measures every run and keeps the median run by rate, with the spread of the rates', async () => {
    const { measure, calls } = measurer([run(90, 30), run(70, 50), run(110, 20)]);

    const row = await repeatRuns(3, measure, (r) => r.result);

    expect(calls()).toBe(3);
    expect(row.result.p99Ms).toBe(30);
    expect(row.result.rates).toEqual({ min: 70, median: 90, max: 110 });
    expect(row.result.operations).toBe(100 + 80 + 120);
  });

  it('takes the lower middle run of an even number', async () => {
    const { measure } = measurer([run(40, 1), run(10, 2), run(30, 3), run(20, 4)]);

    const row = await repeatRuns(4, measure, (r) => r.result);

    expect(row.result.p99Ms).toBe(4);
    expect(row.result.rates).toEqual({ min: 10, median: 20, max: 40 });
  });

  it('leaves a single run as measured', async () => {
    const { measure } = measurer([run(50, 5)]);

    const row = await repeatRuns(1, measure, (r) => r.result);

    expect(row.result.rates).toBeUndefined();
    expect(row.result.operations).toBe(60);
  });

  it('refuses a run count that is not a positive integer', async () => {
    const { measure, calls } = measurer([run(50, 5)]);

    await expect(repeatRuns(0, measure, (r) => r.result)).rejects.toThrow(/positive integer/);
    expect(calls()).toBe(0);
  });
});
