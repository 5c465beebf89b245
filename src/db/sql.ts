import { createHash } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from './types.ts';

interface QueryOptions {
  /**
   * Run as a named, server-side prepared statement: PostgreSQL parses and plans it once per
   * connection instead of on every call. Only for statements whose text does not depend on the
   * data (no variable-length IN lists), which is what the hot paths use.
   */
  prepare?: boolean;
}

/** The parts of Drizzle's database and transaction objects that compile and run a named statement. */
interface DrizzleInternals {
  dialect: { sqlToQuery(statement: SQL): { sql: string; params: unknown[] } };
  session: {
    prepareQuery(
      query: { sql: string; params: unknown[] },
      fields: undefined,
      name: string | undefined,
      isResponseInArrayMode: boolean,
    ): { execute(values?: Record<string, unknown>): Promise<unknown> };
  };
}

/** Statement names by text; bounded so a statement built from data cannot grow it without end. */
const statementNames = new Map<string, string>();
const MAX_NAMED_STATEMENTS = 500;

function statementName(text: string): string | undefined {
  let name = statementNames.get(text);
  if (name === undefined && statementNames.size < MAX_NAMED_STATEMENTS) {
    name = `consign_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    statementNames.set(text, name);
  }
  return name;
}

/** Runs a raw statement and returns its rows; the same shape on PGlite and node-postgres. */
export async function query<Row>(executor: Executor, statement: SQL, options?: QueryOptions): Promise<Row[]> {
  if (!options?.prepare) {
    const result = (await executor.execute(statement)) as unknown as { rows: Row[] };
    return result.rows;
  }
  const drizzle = executor as unknown as DrizzleInternals;
  const compiled = drizzle.dialect.sqlToQuery(statement);
  const prepared = drizzle.session.prepareQuery(compiled, undefined, statementName(compiled.sql), false);
  const result = (await prepared.execute()) as { rows: Row[] };
  return result.rows;
}

/**
 * A hot statement built and compiled once: write it with `sql.placeholder(name)` wherever a
 * value goes, and each run binds `values` only. Per call there is no SQL tree to build, no text
 * to compile or name: on a path where PostgreSQL's work is one short statement, that work in
 * Node is a large share of the request. Runs as a named prepared statement, like `prepare`.
 * The statement's text must not depend on the values (build one per shape).
 */
export function preparedStatement<Row>(
  statement: SQL,
): (executor: Executor, values: Record<string, unknown>) => Promise<Row[]> {
  let compiled: { sql: string; params: unknown[]; name: string | undefined } | undefined;
  // Drizzle's prepared query binds one executor (the pool, or one transaction's connection).
  const byExecutor = new WeakMap<Executor, { execute(values: Record<string, unknown>): Promise<unknown> }>();
  return async (executor, values) => {
    let prepared = byExecutor.get(executor);
    if (prepared === undefined) {
      const drizzle = executor as unknown as DrizzleInternals;
      if (compiled === undefined) {
        const query = drizzle.dialect.sqlToQuery(statement);
        compiled = { ...query, name: statementName(query.sql) };
      }
      prepared = drizzle.session.prepareQuery(compiled, undefined, compiled.name, false);
      byExecutor.set(executor, prepared);
    }
    const result = (await prepared.execute(values)) as { rows: Row[] };
    return result.rows;
  };
}

export async function queryOne<Row>(
  executor: Executor,
  statement: SQL,
  options?: QueryOptions,
): Promise<Row | undefined> {
  const rows = await query<Row>(executor, statement, options);
  return rows[0];
}

/**
 * Several row sets in one round trip: each named statement's rows come back as a JSON array, in
 * the statement's own order. Through JSON, timestamps arrive as ISO 8601 text (`toIso` reads
 * them) and int8 as plain numbers.
 */
export async function queryRowsets<Sets extends Record<string, unknown[]>>(
  executor: Executor,
  statements: { [Name in keyof Sets]: SQL },
  options?: QueryOptions,
): Promise<Sets> {
  const columns = Object.entries(statements as Record<string, SQL>).map(
    ([name, statement]) =>
      sql`(select coalesce(json_agg(rowset), '[]'::json) from (${statement}) rowset) as ${sql.identifier(name)}`,
  );
  const row = await queryOne<Sets>(executor, sql`select ${sql.join(columns, sql`, `)}`, options);
  return row!;
}

/** A timestamptz expression as the API writes it (`toIso`'s format), for responses built in SQL. */
export function isoTimestamp(expression: SQL): SQL {
  return sql`to_char(${expression} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/** Timestamps come back as PostgreSQL text (session time zone UTC); the API speaks ISO 8601. */
export function toIso(value: string | Date | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  const normalised = value.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00');
  return new Date(normalised).toISOString();
}
