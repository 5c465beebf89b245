import type { DriveResult } from './drive.ts';
import { spread } from './stats.ts';

/**
 * Measures a row `runs` times, one run after another. The median run by rate stands for the row
 * (its latencies, errors…); its result also carries the spread of the runs' rates, and the
 * operations of every run, so CPU read around all of them divides by all of them. One run: the
 * result as measured.
 */
export async function repeatRuns<T>(
  runs: number,
  measure: () => Promise<T>,
  result: (row: T) => DriveResult,
): Promise<T> {
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`runs must be a positive integer (got ${runs})`);
  const rows: T[] = [];
  for (let run = 0; run < runs; run++) rows.push(await measure());
  if (runs === 1) return rows[0]!;
  const rates = rows.map((row) => result(row).opsPerSec);
  const byRate = [...rows].sort((a, b) => result(a).opsPerSec - result(b).opsPerSec);
  const middle = byRate[Math.ceil(byRate.length / 2) - 1]!;
  const chosen = result(middle);
  chosen.rates = spread(rates);
  chosen.operations = rows.reduce((n, row) => n + result(row).operations, 0);
  return middle;
}
