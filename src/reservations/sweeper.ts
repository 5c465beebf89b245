import { inTransaction, type Db } from '../db/index.ts';
import { countExpiredHolds } from '../telemetry/index.ts';
import { startIntervalWorker } from '../shared/interval-worker.ts';
import { ok } from '../shared/result.ts';
import { expireDueReservations } from './release.ts';

interface SweeperOptions {
  intervalMs: number;
  /** Holds expired per transaction. */
  batchSize?: number;
  /** Transactions per tick at most, so one tick never runs unbounded. */
  maxBatchesPerTick?: number;
  onError?: (error: unknown) => void;
  onSwept?: (count: number) => void;
}

/** Expires due holds, batch by batch, until none are due or the tick's bound is reached. */
export async function sweepExpired(db: Db, batchSize = 200, maxBatches = 50): Promise<number> {
  let total = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const result = await inTransaction(db, async (tx) => ok(await expireDueReservations(tx, batchSize)));
    const count = result.ok ? result.value : 0;
    total += count;
    countExpiredHolds(count);
    if (count < batchSize) break;
  }
  return total;
}

/** Releases expired cart holds every `intervalMs` until stopped; ticks never overlap. */
export function startExpirySweeper(db: Db, options: SweeperOptions): { stop: () => Promise<void> } {
  return startIntervalWorker(
    options.intervalMs,
    async () => {
      const count = await sweepExpired(db, options.batchSize, options.maxBatchesPerTick);
      if (count > 0) options.onSwept?.(count);
    },
    (error) => options.onError?.(error),
  );
}
