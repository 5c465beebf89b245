import type { Db } from '../db/index.ts';

export interface SweeperOptions {
  intervalMs: number;
  onError?: (error: unknown) => void;
  onSwept?: (count: number) => void;
}

/** Releases expired cart holds in bounded batches until stopped. (Filled in with the reservations capability.) */
export function startExpirySweeper(_db: Db, _options: SweeperOptions): { stop: () => Promise<void> } {
  return { stop: async () => {} };
}
