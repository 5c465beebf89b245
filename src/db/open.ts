import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from './schema.ts';
import { INT8_OID, parseInt8 } from './int8.ts';
import { acquireDataDirLock } from './data-dir-lock.ts';
import { DurableNodeFS, durableStartParams } from './durable-nodefs.ts';
import { traceEmbedded, TracedClient } from './traced.ts';
import { tracingActive } from '../telemetry/index.ts';
import type { Database, Db } from './types.ts';

pg.types.setTypeParser(INT8_OID, parseInt8);

export interface OpenOptions {
  databaseUrl?: string | undefined;
  /** PostgreSQL only: a streaming replica of `databaseUrl` for routed reads (src/db/read-routing.ts). */
  readUrl?: string | undefined;
  /** Directory for the embedded database; omit for an in-memory one (tests). */
  dataDir?: string | undefined;
  /** Embedded only: start from this data-directory image (a tarball from `dumpDataDir`). */
  loadDataDir?: Blob | undefined;
  /**
   * Embedded only, with a `dataDir`: a commit returns once it is on disk (fsync), so it
   * survives a power loss. Off, commits survive a killed process but not a power loss.
   */
  fsync?: boolean | undefined;
  poolSize?: number;
}

/** Opens PostgreSQL when a URL is given, otherwise the embedded PGlite; one code path above. */
export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.readUrl && !options.databaseUrl)
    throw new Error('A read replica (DATABASE_READ_URL) needs a PostgreSQL server (DATABASE_URL).');
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, options.readUrl, options.poolSize ?? 16)
    : openPglite(options.dataDir, options.loadDataDir, options.fsync ?? true);
}

/** A replica that does not answer within this long counts as down (the read goes to the primary). */
const REPLICA_CONNECT_TIMEOUT_MS = 2000;

/**
 * Every session: UTC, and no JIT compilation. PostgreSQL JIT-compiles a statement whose estimated
 * cost passes `jit_above_cost`; as history grows, capture's routing reads (candidates with their
 * capacity subqueries) pass it, and compiling each one cost more than the statement: orders/s at
 * 300,000 orders of history went from 12–14 with JIT to 77–85 without (docs/benchmarks.md).
 */
const SESSION_OPTIONS = '-c TimeZone=UTC -c jit=off';

function postgresPool(connectionString: string, poolSize: number, options: Partial<pg.PoolConfig> = {}) {
  const pool = new pg.Pool({
    connectionString,
    max: poolSize,
    options: SESSION_OPTIONS,
    ...(tracingActive() ? { Client: TracedClient as unknown as typeof pg.Client } : {}),
    ...options,
  });
  pool.on('error', (error) => {
    // An idle client lost its connection; the pool replaces it on the next checkout.
    process.emitWarning(`PostgreSQL pool client error: ${error.message}`);
  });
  const url = new URL(connectionString);
  return {
    db: drizzlePg(pool, { schema }) as unknown as Db,
    describe: `PostgreSQL ${url.hostname}:${url.port || 5432}${url.pathname}`,
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: poolSize }),
    close: () => pool.end(),
  };
}

async function openPostgres(databaseUrl: string, readUrl: string | undefined, poolSize: number): Promise<Database> {
  const primary = postgresPool(databaseUrl, poolSize);
  const replica = readUrl
    ? postgresPool(readUrl, poolSize, {
        options: `${SESSION_OPTIONS} -c default_transaction_read_only=on`,
        connectionTimeoutMillis: REPLICA_CONNECT_TIMEOUT_MS,
      })
    : undefined;
  return {
    engine: 'postgres',
    db: primary.db,
    describe: primary.describe + (replica ? `, reads on ${replica.describe}` : ''),
    close: async () => {
      await Promise.all([primary.close(), replica?.close()]);
    },
    listen: (channel, onNotify) => listenOnPostgres(databaseUrl, channel, onNotify),
    poolStats: primary.poolStats,
    ...(replica ? { replica: { db: replica.db, describe: replica.describe, poolStats: replica.poolStats } } : {}),
  };
}

/** Pause before a lost LISTEN connection is made again. */
const RELISTEN_MS = 1000;

/**
 * LISTEN on a connection outside the pool (a pooled one would be handed to queries). A lost
 * connection is made again after a pause; notifications sent meanwhile are lost, so `onNotify`
 * runs once when listening again, and the followers' ticks cover the pause.
 */
async function listenOnPostgres(databaseUrl: string, channel: string, onNotify: () => void) {
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: databaseUrl });
    next.on('notification', (message) => {
      if (message.channel === channel) onNotify();
    });
    next.on('error', () => {
      if (client !== next) return;
      client = undefined;
      void next.end().catch(() => {});
      if (!stopped) retry = setTimeout(() => void reconnect(), RELISTEN_MS);
    });
    await next.connect();
    await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    client = next;
  };
  const reconnect = async () => {
    try {
      await connect();
      onNotify();
    } catch {
      if (!stopped) retry = setTimeout(() => void reconnect(), RELISTEN_MS);
    }
  };
  await connect();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    await client?.end().catch(() => {});
  };
}

/** Where and how PGlite keeps its files: in memory, on disk, or on disk with fsync. */
function pgliteStorage(dataDir: string | undefined, fsync: boolean) {
  if (!dataDir) return {};
  const pgDir = path.join(dataDir, 'pg');
  return fsync ? { fs: new DurableNodeFS(pgDir), startParams: durableStartParams() } : { dataDir: pgDir };
}

async function openPglite(
  dataDir: string | undefined,
  loadDataDir: Blob | undefined,
  fsync: boolean,
): Promise<Database> {
  let releaseLock = () => {};
  if (dataDir) {
    fs.mkdirSync(dataDir, { recursive: true });
    releaseLock = acquireDataDirLock(dataDir);
  }
  const client = new PGlite({
    ...pgliteStorage(dataDir, fsync),
    parsers: { [INT8_OID]: parseInt8 },
    // The order search's trigram indexes (migration 0028); the server engine has it built in.
    extensions: { pg_trgm },
    ...(loadDataDir ? { loadDataDir } : {}),
  });
  try {
    await client.waitReady;
    await client.exec(`SET TIME ZONE 'UTC'`);
  } catch (error) {
    releaseLock(); // a directory that failed to open is not held
    throw error;
  }
  return {
    engine: 'pglite',
    db: drizzlePglite(tracingActive() ? traceEmbedded(client) : client, { schema }) as unknown as Db,
    describe: dataDir ? `embedded PGlite in ${dataDir}` : 'embedded PGlite in memory',
    pglite: client,
    listen: async (channel, onNotify) => {
      const unlisten = await client.listen(channel, () => onNotify());
      return () => unlisten();
    },
    close: async () => {
      await client.close();
      releaseLock();
    },
  };
}
