import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrate, openDatabase, type Db, type Engine } from '../../src/db/index.ts';
import { createTestDatabase, testEngine, type TestDatabase } from './db.ts';
import { spawnServer, type ServerProcess } from './process.ts';

export interface DeploymentOptions {
  /** Server processes sharing the PostgreSQL database; the embedded database always gets one. */
  serverCount: number;
  /** More environment for every server, e.g. `CONSIGN_SWEEP_INTERVAL_MS`. */
  env?: Record<string, string>;
  /** Runs on the migrated, empty database before any server starts (set-based test data). */
  prepare?: (db: Db) => Promise<void>;
}

/**
 * Consign as it runs in production: `consign serve` child processes on one database of the
 * engine under test. PostgreSQL gets a fresh database shared by `serverCount` processes;
 * PGlite is a single-process database, so it gets one process on a temporary data directory.
 */
export interface Deployment {
  engine: Engine;
  /** The running servers; replaced by `restart` (and by `inspect` on PGlite). */
  servers: ServerProcess[];
  /** PostgreSQL: the test's own connection to the servers' database, usable while they run. */
  liveDb: Db | undefined;
  /** PostgreSQL: the URL of the servers' database, for CLI commands run beside them. */
  databaseUrl: string | undefined;
  /** Stops the servers still running (gracefully) and starts a fresh set on the same database. */
  restart(): Promise<void>;
  /**
   * Runs `work` on the database itself. PostgreSQL: alongside the servers. PGlite: the servers
   * are stopped first (only one process may own the data directory) and started again after.
   */
  inspect<T>(work: (db: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function createDeployment(options: DeploymentOptions): Promise<Deployment> {
  return testEngine() === 'postgres' ? postgresDeployment(options) : pgliteDeployment(options);
}

async function stopAll(servers: ServerProcess[]): Promise<void> {
  const results = await Promise.allSettled(servers.map((server) => server.stop()));
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}

async function postgresDeployment(options: DeploymentOptions): Promise<Deployment> {
  const database: TestDatabase = await createTestDatabase({ poolSize: 4 });
  const start = () =>
    Promise.all(
      Array.from({ length: options.serverCount }, () => spawnServer({ databaseUrl: database.url, env: options.env })),
    );
  try {
    await options.prepare?.(database.db);
    const deployment: Deployment = {
      engine: 'postgres',
      servers: await start(),
      liveDb: database.db,
      databaseUrl: database.url,
      restart: async () => {
        await stopAll(deployment.servers);
        deployment.servers = await start();
      },
      inspect: (work) => work(database.db),
      close: async () => {
        await stopAll(deployment.servers).finally(() => database.close());
      },
    };
    return deployment;
  } catch (error) {
    await database.close();
    throw error;
  }
}

async function withEmbedded<T>(dataDir: string, work: (db: Db) => Promise<T>): Promise<T> {
  const database = await openDatabase({ dataDir });
  try {
    return await work(database.db);
  } finally {
    await database.close();
  }
}

async function pgliteDeployment(options: DeploymentOptions): Promise<Deployment> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'consign-system-'));
  const start = async () => [await spawnServer({ dataDir, env: options.env })];
  const removeDataDir = () => fs.rmSync(dataDir, { recursive: true, force: true });
  try {
    await withEmbedded(dataDir, async (db) => {
      await migrate(db);
      await options.prepare?.(db);
    });
    const deployment: Deployment = {
      engine: 'pglite',
      servers: await start(),
      liveDb: undefined,
      databaseUrl: undefined,
      restart: async () => {
        await stopAll(deployment.servers);
        deployment.servers = await start();
      },
      inspect: async (work) => {
        await stopAll(deployment.servers);
        deployment.servers = [];
        try {
          return await withEmbedded(dataDir, work);
        } finally {
          deployment.servers = await start();
        }
      },
      close: async () => {
        await stopAll(deployment.servers).finally(removeDataDir);
      },
    };
    return deployment;
  } catch (error) {
    removeDataDir();
    throw error;
  }
}
