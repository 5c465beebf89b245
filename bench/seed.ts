import { inTransaction, type Database } from '../src/db/index.ts';
import { ingestFeed } from '../src/inventory/index.ts';
import type { Result } from '../src/shared/result.ts';

export interface StockPoint {
  sku: string;
  locationId: string;
}

/** Setup counts are dated in the past, so every feed the bench sends later is newer. */
const SETUP_AS_OF = '2000-01-01T00:00:00.000Z';

export function must<T>(result: Result<T>, what: string): T {
  if (!result.ok) throw new Error(`bench setup: ${what}: ${result.problem.detail}`);
  return result.value;
}

/** Sets on_hand for each point through the snapshot-feed use case (ledger and events included). */
export async function count(database: Database, feedId: string, points: StockPoint[], onHand: number): Promise<void> {
  const rows = points.map((p) => ({ location_id: p.locationId, sku: p.sku, on_hand: onHand }));
  const input = { feed_id: feedId, mode: 'snapshot' as const, as_of: SETUP_AS_OF, source: 'bench setup', rows };
  must(
    await inTransaction(database.db, (tx) => ingestFeed(tx, input, `bench-setup-${feedId}`, null)),
    `feed ${feedId}`,
  );
}
