import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { migrate, openDatabase, type Database, type Engine } from '../src/db/index.ts';

/** The server every PostgreSQL run uses when DATABASE_URL is not set. */
export const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const CONNECT_TIMEOUT_MS = 3_000;

/** A fresh database for one engine's run, removed again by `drop`. */
export interface BenchDatabase {
  engine: Engine;
  /** PostgreSQL: this run's own database, for the server child and the floor. */
  databaseUrl: string | undefined;
  /** PGlite: this run's own data directory (temporary). */
  dataDir: string | undefined;
  /** An in-process connection. PGlite is single-process: never while the server child runs. */
  open(poolSize?: number): Promise<Database>;
  drop(): Promise<void>;
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  client.on('error', () => {}); // a dropped connection fails the pending query instead
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function postgresReachable(url: string): Promise<boolean> {
  return withClient(url, async (client) => {
    await client.query('select 1');
    return true;
  }).catch(() => false);
}

export interface PostgresInfo {
  version: string;
  synchronousCommit: string;
  sharedBuffers: string;
  maxConnections: string;
}

export async function postgresInfo(url: string): Promise<PostgresInfo> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ version: string; sc: string; sb: string; mc: string }>(
      `select current_setting('server_version') as version, current_setting('synchronous_commit') as sc,
              current_setting('shared_buffers') as sb, current_setting('max_connections') as mc`,
    );
    const row = rows[0]!;
    return {
      version: row.version.split(' ')[0]!,
      synchronousCommit: row.sc,
      sharedBuffers: row.sb,
      maxConnections: row.mc,
    };
  });
}

/** A database of its own on the server at `serverUrl`: created here, dropped (forcibly) by `drop`. */
async function createPostgres(serverUrl: string): Promise<BenchDatabase> {
  const name = `consign_bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  await withClient(serverUrl, (client) => client.query(`create database ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  return {
    engine: 'postgres',
    databaseUrl,
    dataDir: undefined,
    open: (poolSize = 4) => openDatabase({ databaseUrl, poolSize }),
    drop: () =>
      withClient(serverUrl, (client) => client.query(`drop database if exists ${name} with (force)`)).then(() => {}),
  };
}

/** A temporary PGlite data directory, removed by `drop`. */
function createPglite(): BenchDatabase {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'consign-bench-'));
  return {
    engine: 'pglite',
    databaseUrl: undefined,
    dataDir,
    open: () => openDatabase({ dataDir }),
    drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
  };
}

/**
 * A fresh, empty database for `engine`. Register its `drop` for clean-up right away, then
 * `migrateBenchDatabase` it.
 */
export async function createBenchDatabase(engine: Engine, postgresServerUrl: string): Promise<BenchDatabase> {
  return engine === 'postgres' ? createPostgres(postgresServerUrl) : createPglite();
}

export async function migrateBenchDatabase(bench: BenchDatabase): Promise<void> {
  const database = await bench.open();
  try {
    await migrate(database.db);
  } finally {
    await database.close();
  }
}
