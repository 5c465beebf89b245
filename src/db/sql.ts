import type { SQL } from 'drizzle-orm';
import type { Executor } from './types.ts';

/** Runs a raw statement and returns its rows; the same shape on PGlite and node-postgres. */
export async function query<Row>(executor: Executor, statement: SQL): Promise<Row[]> {
  const result = (await executor.execute(statement)) as unknown as { rows: Row[] };
  return result.rows;
}

export async function queryOne<Row>(executor: Executor, statement: SQL): Promise<Row | undefined> {
  const rows = await query<Row>(executor, statement);
  return rows[0];
}

/** Timestamps come back as PostgreSQL text (session time zone UTC); the API speaks ISO 8601. */
export function toIso(value: string | Date | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  const normalised = value.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00');
  return new Date(normalised).toISOString();
}
