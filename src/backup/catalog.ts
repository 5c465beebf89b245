import { sql, type SQL } from 'drizzle-orm';
import { query, queryOne, type Executor } from '../db/index.ts';

/** Consign's tables live in `public`; drizzle's migration history in `drizzle` is not data. */
const SCHEMA = 'public';

/** A table of the `public` schema as a regclass expression, safe for any name. */
export function tableRef(table: string): SQL {
  return sql`format('%I.%I', ${SCHEMA}::text, ${table}::text)::regclass`;
}

/** The table's qualified name, for statements that need an identifier. */
export function tableId(table: string): SQL {
  return sql`${sql.identifier(SCHEMA)}.${sql.identifier(table)}`;
}

/** Every table of Consign's schema, read from the database itself (partitions come with their parent). */
export async function listTables(executor: Executor): Promise<string[]> {
  const rows = await query<{ name: string }>(
    executor,
    sql`select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = ${SCHEMA} and c.relkind in ('r', 'p') and not c.relispartition
        order by c.relname`,
  );
  return rows.map((row) => row.name);
}

/** The columns a restore writes: all but generated ones, in table order. */
export async function writableColumns(executor: Executor, table: string): Promise<string[]> {
  const rows = await query<{ name: string }>(
    executor,
    sql`select attname as name from pg_attribute
        where attrelid = ${tableRef(table)} and attnum > 0 and not attisdropped and attgenerated = ''
        order by attnum`,
  );
  return rows.map((row) => row.name);
}

export interface SequenceValue {
  name: string;
  /** Null: the sequence has never been used. */
  value: number | null;
}

export async function readSequences(executor: Executor): Promise<SequenceValue[]> {
  return query<SequenceValue>(
    executor,
    sql`select sequencename as name, last_value as value from pg_sequences
        where schemaname = ${SCHEMA} order by sequencename`,
  );
}

export interface ForeignKey {
  table: string;
  name: string;
  definition: string;
}

export async function readForeignKeys(executor: Executor): Promise<ForeignKey[]> {
  return query<ForeignKey>(
    executor,
    sql`select c.relname as table, k.conname as name, pg_get_constraintdef(k.oid) as definition
        from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
        where k.contype = 'f' and n.nspname = ${SCHEMA}
        order by c.relname, k.conname`,
  );
}

/** The last migration applied (its `folderMillis`), or 0 on a database never migrated. */
export async function appliedMigration(executor: Executor): Promise<number> {
  const exists = await queryOne<{ present: boolean }>(
    executor,
    sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`,
  );
  if (!exists?.present) return 0;
  const row = await queryOne<{ created_at: number | null }>(
    executor,
    sql`select max(created_at) as created_at from drizzle.__drizzle_migrations`,
  );
  return row?.created_at ?? 0;
}

/** The first table that holds a row, or undefined when every table is empty. */
export async function firstTableWithRows(executor: Executor): Promise<string | undefined> {
  for (const table of await listTables(executor)) {
    const row = await queryOne<{ present: boolean }>(
      executor,
      sql`select exists (select 1 from ${tableId(table)}) as present`,
    );
    if (row?.present) return table;
  }
  return undefined;
}
