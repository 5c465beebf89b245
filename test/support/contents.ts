import { sql } from 'drizzle-orm';
import { openDatabase, query, type Db } from '../../src/db/index.ts';

export interface Contents {
  /** Every table of the `public` schema, as the database lists it, with its rows as sorted JSON. */
  tables: Record<string, string[]>;
  /** Every sequence's last value. */
  sequences: Record<string, number | null>;
}

/** What a restore must reproduce exactly: every row of every table, and the sequences. */
export async function readContents(db: Db): Promise<Contents> {
  const names = await query<{ name: string }>(
    db,
    sql`select tablename as name from pg_tables where schemaname = 'public' order by tablename`,
  );
  const tables: Contents['tables'] = {};
  for (const { name } of names) {
    const rows = await query<{ row: string }>(
      db,
      sql`select row_to_json(t)::text as row from ${sql.identifier(name)} t order by 1`,
    );
    tables[name] = rows.map((r) => r.row);
  }
  const sequences = await query<{ name: string; value: number | null }>(
    db,
    sql`select sequencename as name, last_value as value from pg_sequences where schemaname = 'public'`,
  );
  return { tables, sequences: Object.fromEntries(sequences.map((s) => [s.name, s.value])) };
}

type Target = { env: Record<string, string>; database?: { db: Db } | undefined };

/** Runs `work` on a CLI target's database: its open PostgreSQL connection, or its embedded data directory (no process may hold it). */
export async function onTargetDb<T>(target: Target, work: (db: Db) => Promise<T>): Promise<T> {
  if (target.database) return work(target.database.db);
  const database = await openDatabase({ dataDir: target.env.CONSIGN_DATA_DIR });
  try {
    return await work(database.db);
  } finally {
    await database.close();
  }
}

export const contentsOf = (target: Target) => onTargetDb(target, readContents);

export const rowCount = (contents: Contents) => Object.values(contents.tables).reduce((n, rows) => n + rows.length, 0);
