import { sql } from 'drizzle-orm';
import { isoTimestamp, query, queryOne, type Database, type Tx } from '../db/index.ts';
import { appliedMigration, listTables, readSequences, tableId } from './catalog.ts';
import { END_LINE, headerLine, tableLine, type BackupHeader } from './format.ts';

/** Rows fetched per round trip from the snapshot's cursor. */
const FETCH_ROWS = 1_000;

type LineSink = (line: string) => Promise<void> | void;

async function countRows(tx: Tx, tables: string[]): Promise<BackupHeader['tables']> {
  const counted: BackupHeader['tables'] = [];
  for (const name of tables) {
    const row = await queryOne<{ rows: number }>(tx, sql`select count(*)::int as rows from ${tableId(name)}`);
    counted.push({ name, rows: row!.rows });
  }
  return counted;
}

/** Streams one table's rows through a cursor, so no table is ever held in memory whole. */
async function exportTable(tx: Tx, table: BackupHeader['tables'][number], write: LineSink): Promise<void> {
  await write(tableLine(table.name));
  await tx.execute(
    sql`declare consign_backup no scroll cursor for select row_to_json(t)::text as line from ${tableId(table.name)} t`,
  );
  let written = 0;
  for (;;) {
    const rows = await query<{ line: string }>(tx, sql.raw(`fetch forward ${FETCH_ROWS} from consign_backup`));
    for (const row of rows) await write(row.line);
    written += rows.length;
    if (rows.length < FETCH_ROWS) break;
  }
  await tx.execute(sql`close consign_backup`);
  // One snapshot: the count taken at its start and the rows read now must agree.
  if (written !== table.rows) throw new Error(`${table.name}: counted ${table.rows} rows but read ${written}`);
}

/**
 * Writes a consistent snapshot of every table (read from the database, not from Consign's
 * schema files) as a backup (see format.ts), while the database goes on serving: one REPEATABLE
 * READ, read-only transaction sees every table as of one instant, so totals held in one table
 * and the rows they sum in another agree. On the embedded engine the transaction has its one
 * connection to itself: other work waits until the snapshot is written.
 */
export async function exportSnapshot(database: Database, write: LineSink): Promise<BackupHeader> {
  return database.db.transaction(
    async (tx) => {
      const at = await queryOne<{ at: string }>(tx, sql`select ${isoTimestamp(sql`now()`)} as at`);
      const header: BackupHeader = {
        created_at: at!.at,
        engine: database.engine,
        migration: await appliedMigration(tx),
        tables: await countRows(tx, await listTables(tx)),
        sequences: await readSequences(tx),
      };
      await write(headerLine(header));
      for (const table of header.tables) await exportTable(tx, table, write);
      await write(END_LINE);
      return header;
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}
