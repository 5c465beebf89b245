import { sql } from 'drizzle-orm';
import { queryOne, type Executor } from '../db/index.ts';

/**
 * The next number of a series, gap-free: the counter row is created on first use, then bumped
 * by one conditional UPDATE whose row lock is held until the issuing transaction ends. A
 * concurrent issuer waits for it; a rollback gives the number back. Numbers therefore run 1, 2,
 * 3… per series with no gaps and no duplicates, under any concurrency and on every engine.
 */
export async function nextNumber(executor: Executor, series: string): Promise<number> {
  await executor.execute(
    sql`insert into invoice_counters (series, last_number) values (${series}, 0) on conflict (series) do nothing`,
  );
  const row = await queryOne<{ last_number: number }>(
    executor,
    sql`update invoice_counters set last_number = last_number + 1 where series = ${series} returning last_number`,
  );
  if (!row) throw new Error(`invoice counter ${series} vanished`);
  return row.last_number;
}
