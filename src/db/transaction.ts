import { ProblemError } from '../shared/problem.ts';
import type { Result } from '../shared/result.ts';
import type { Db, Tx } from './types.ts';

const RETRYABLE_SQLSTATES = new Set(['40001', '40P01']); // serialization failure, deadlock
const MAX_ATTEMPTS = 5;

export function isRetryable(error: unknown): boolean {
  const code =
    (error as { code?: unknown; cause?: { code?: unknown } } | null)?.code ??
    (error as { cause?: { code?: unknown } })?.cause?.code;
  return typeof code === 'string' && RETRYABLE_SQLSTATES.has(code);
}

/**
 * Runs `work` in one transaction. A failed Result rolls the transaction back and is returned
 * as a value; a deadlock or serialization failure is retried a bounded number of times.
 */
export async function inTransaction<T>(db: Db, work: (tx: Tx) => Promise<Result<T>>): Promise<Result<T>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(async (tx) => {
        const result = await work(tx);
        if (!result.ok) throw new ProblemError(result.problem);
        return result;
      });
    } catch (error) {
      if (error instanceof ProblemError) return { ok: false, problem: error.problem };
      if (attempt < MAX_ATTEMPTS && isRetryable(error)) {
        await new Promise((resolve) => setTimeout(resolve, attempt * 5 + Math.random() * 10));
        continue;
      }
      throw error;
    }
  }
}
