import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { Database } from '../src/db/index.ts';
import { newId } from '../src/shared/ids.ts';
import { drive, type DriveOptions, type DriveResult } from './drive.ts';
import type { StockPoint } from './network.ts';

/**
 * The raw SQL floor of a hold: the guarded UPDATE … RETURNING and its ledger row in one
 * transaction, with nothing around them (no HTTP, no validation, no reservation row, no event,
 * no idempotency claim). What the API achieves is measured against it.
 */
const RESERVE_SQL = `update stock_levels set reserved = reserved + 1
  where location_id = $1 and sku = $2 and on_hand - reserved - safety_stock >= 1
  returning on_hand, reserved`;
const LEDGER_SQL = `insert into inventory_ledger
  (location_id, sku, kind, on_hand_delta, reserved_delta, on_hand_after, reserved_after, reference_type, reference_id, actor)
  values ($1, $2, 'reservation', 0, 1, $3, $4, 'reservation', $5, 'bench-floor')`;

interface Moved {
  on_hand: number;
  reserved: number;
}

function refused(point: StockPoint): Error {
  return new Error(`floor: no stock left at ${point.locationId}/${point.sku}`);
}

/**
 * PostgreSQL: one pooled connection per worker, held for the whole run, with named (server-side
 * prepared) statements: BEGIN; UPDATE … RETURNING; INSERT ledger; COMMIT.
 */
export async function postgresFloor(
  databaseUrl: string,
  pick: () => StockPoint,
  options: DriveOptions,
): Promise<DriveResult> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: options.concurrency });
  // A lost connection fails the worker's next statement (counted as an error); it must not crash the bench.
  const ignore = () => {};
  pool.on('error', ignore);
  try {
    const clients = await Promise.all(Array.from({ length: options.concurrency }, () => pool.connect()));
    for (const client of clients) client.on('error', ignore);
    try {
      return await drive(options, async (worker) => {
        const client = clients[worker]!;
        const point = pick();
        await client.query('begin');
        try {
          const moved = await client.query<Moved>({
            name: 'bench_floor_reserve',
            text: RESERVE_SQL,
            values: [point.locationId, point.sku],
          });
          const level = moved.rows[0];
          if (!level) throw refused(point);
          await client.query({
            name: 'bench_floor_ledger',
            text: LEDGER_SQL,
            values: [point.locationId, point.sku, level.on_hand, level.reserved, newId('res')],
          });
          await client.query('commit');
        } catch (error) {
          await client.query('rollback');
          throw error;
        }
      });
    } finally {
      for (const client of clients) client.release();
    }
  } finally {
    await pool.end();
  }
}

/**
 * PGlite: the embedded engine is one connection in one process, so the floor runs in the bench
 * process on the same data directory after the server child has exited. Concurrent workers queue
 * on PGlite's transaction lock, exactly as the server's requests do.
 */
export async function pgliteFloor(
  database: Database,
  pick: () => StockPoint,
  options: DriveOptions,
): Promise<DriveResult> {
  // drizzle exposes the driver it wraps as `$client`.
  const client = (database.db as unknown as { $client: PGlite }).$client;
  return drive(options, async () => {
    const point = pick();
    await client.transaction(async (tx) => {
      const moved = await tx.query<Moved>(RESERVE_SQL, [point.locationId, point.sku]);
      const level = moved.rows[0];
      if (!level) throw refused(point);
      await tx.query(LEDGER_SQL, [point.locationId, point.sku, level.on_hand, level.reserved, newId('res')]);
    });
  });
}
