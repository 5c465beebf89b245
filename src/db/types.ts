import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type * as schema from './schema.ts';

type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Anything that can run a statement: the database handle or an open transaction. */
export type Executor = Db | Tx;

export type Engine = 'pglite' | 'postgres';

interface PoolStats {
  /** Open connections, idle ones among them, requests waiting for one, and the pool's size. */
  total: number;
  idle: number;
  waiting: number;
  max: number;
}

export interface Database {
  engine: Engine;
  db: Db;
  /** Human description without credentials, for logs. */
  describe: string;
  close(): Promise<void>;
  /**
   * Calls `onNotify` for each NOTIFY on `channel` (PostgreSQL: on a connection of its own, made
   * again after it is lost, then `onNotify` is called once in case something was missed; embedded:
   * PGlite's own LISTEN). Resolves to a function that stops listening.
   */
  listen(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
  /** PostgreSQL's connection pool right now (for metrics); absent on the embedded engine, which has one connection. */
  poolStats?: () => PoolStats;
  /**
   * PostgreSQL with DATABASE_READ_URL: a read-only pool on the streaming replica, for the reads
   * src/db/read-routing.ts sends there. Absent otherwise.
   */
  replica?: { db: Db; describe: string; poolStats: () => PoolStats };
  /** The embedded engine's client, for engine-specific operations (dumps); absent on PostgreSQL. */
  pglite?: import('@electric-sql/pglite').PGlite;
}
