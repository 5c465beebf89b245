import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { Database } from '../src/db/index.ts';
import { newId } from '../src/shared/ids.ts';
import { drive, type DriveOptions, type DriveResult } from './drive.ts';
import type { StockPoint } from './seed.ts';

/**
 * The raw SQL floor of taking one unit: the guarded UPDATE … RETURNING and its ledger row, with
 * nothing around them (no HTTP, no validation, no reservation or order rows, no event, no
 * idempotency claim). What the API achieves is measured against it.
 */
const RESERVE_SQL = `update stock_levels set reserved = reserved + 1
  where location_id = $1 and sku = $2 and on_hand - reserved - safety_stock >= 1
  returning on_hand, reserved`;
const LEDGER_SQL = `insert into inventory_ledger
  (location_id, sku, kind, on_hand_delta, reserved_delta, on_hand_after, reserved_after, reference_type, reference_id, actor)
  values ($1, $2, 'reservation', 0, 1, $3, $4, $5, $6, 'bench-floor')`;

interface Moved {
  on_hand: number;
  reserved: number;
}

/** Runs one statement of the floor: prepared by name on PostgreSQL, plain on PGlite. */
export type FloorExec = <T>(name: string, text: string, values: unknown[]) => Promise<T[]>;

/** The statements of one floor transaction (BEGIN and COMMIT are the driver's). */
export type FloorTransaction = (exec: FloorExec) => Promise<void>;

/** Takes one unit at `point` and writes its ledger row, referring to `referenceType`/`referenceId`. */
export async function reserveUnit(
  exec: FloorExec,
  point: StockPoint,
  referenceType: 'reservation' | 'order',
  referenceId: string,
): Promise<void> {
  const [level] = await exec<Moved>('bench_floor_reserve', RESERVE_SQL, [point.locationId, point.sku]);
  if (!level) throw new Error(`floor: no stock left at ${point.locationId}/${point.sku}`);
  await exec('bench_floor_ledger', LEDGER_SQL, [
    point.locationId,
    point.sku,
    level.on_hand,
    level.reserved,
    referenceType,
    referenceId,
  ]);
}

/** A hold's floor: one unit at the picked stock level. */
export const holdTransaction =
  (pick: () => StockPoint): FloorTransaction =>
  (exec) =>
    reserveUnit(exec, pick(), 'reservation', newId('res'));

/**
 * PostgreSQL: one pooled connection per worker, held for the whole run, with named (server-side
 * prepared) statements: BEGIN; the transaction's statements; COMMIT.
 */
export async function postgresFloor(
  databaseUrl: string,
  transaction: FloorTransaction,
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
        const exec: FloorExec = async <T>(name: string, text: string, values: unknown[]) =>
          (await client.query<T & pg.QueryResultRow>({ name, text, values })).rows;
        await client.query('begin');
        try {
          await transaction(exec);
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
  transaction: FloorTransaction,
  options: DriveOptions,
): Promise<DriveResult> {
  // drizzle exposes the driver it wraps as `$client`.
  const client = (database.db as unknown as { $client: PGlite }).$client;
  return drive(options, () =>
    client.transaction(async (tx) => {
      const exec: FloorExec = async <T>(_name: string, text: string, values: unknown[]) =>
        (await tx.query<T>(text, values)).rows;
      await transaction(exec);
    }),
  );
}
