import net from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processRegistry } from '../telemetry/index.ts';
import { createPostgresDatabase, testEngine } from '../../test/support/db.ts';
import { openDatabase } from './open.ts';
import { formatLsn, parseLsn, startReadRouting } from './read-routing.ts';
import { query } from './sql.ts';
import type { Database } from './types.ts';

const bounds = { readAfterWaitMs: 50, maxLagMs: 1000, probeIntervalMs: 60_000 };

async function fallbacks(reason: string): Promise<number> {
  const metric = await processRegistry.getSingleMetric('consign_db_read_fallbacks_total')?.get();
  return metric?.values.find((v) => v.labels.reason === reason)?.value ?? 0;
}

/** A port on 127.0.0.1 nothing listens on: connections to it are refused. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('WAL positions', () => {
  it('read and print as PostgreSQL writes them, and order like the WAL', () => {
    expect(formatLsn(parseLsn('16/B374D848')!)).toBe('16/B374D848');
    expect(formatLsn(parseLsn('0/0')!)).toBe('0/0');
    expect(parseLsn('1/0')! > parseLsn('0/FFFFFFFF')!).toBe(true);
    for (const bad of ['', '16', '16/', 'G/1', '1/2/3', '123456789/1', ' 0/1']) expect(parseLsn(bad)).toBeUndefined();
  });
});

describe.runIf(testEngine() === 'pglite')('read replica on the embedded engine', () => {
  it('is refused: the embedded database has no replicas', async () => {
    await expect(openDatabase({ readUrl: 'postgres://127.0.0.1:5432/consign' })).rejects.toThrow(
      /read replica \(DATABASE_READ_URL\) needs a PostgreSQL server/,
    );
  });
});

describe.runIf(testEngine() === 'postgres')('read routing on PostgreSQL', () => {
  let url: string;
  let drop: () => Promise<void>;
  const opened: Database[] = [];
  const open = async (readUrl: string) => {
    const database = await openDatabase({ databaseUrl: url, readUrl, poolSize: 2 });
    opened.push(database);
    return database;
  };

  beforeAll(async () => {
    ({ url, drop } = await createPostgresDatabase());
  });
  afterAll(async () => {
    await Promise.all(opened.map((database) => database.close()));
    await drop();
  });

  it('refuses a DATABASE_READ_URL that reaches a server which is not a standby', async () => {
    const database = await open(url);
    await expect(startReadRouting(database, bounds)).rejects.toThrow(/is not a streaming replica/);
  });

  it('starts with an unreachable replica marked down, reads on the primary, and reports write positions', async () => {
    const database = await open(`postgres://postgres@127.0.0.1:${await closedPort()}/postgres`);
    const changes: boolean[] = [];
    const router = await startReadRouting(database, { ...bounds, onChange: (up) => changes.push(up) });
    try {
      expect(changes).toEqual([false]);
      const before = await fallbacks('replica_down');
      const [row] = await router.read({ principal: 'key_1' }, (db) =>
        query<{ standby: boolean }>(db, sql`select pg_is_in_recovery() as standby`),
      );
      expect(row!.standby).toBe(false); // answered by the primary
      expect(await fallbacks('replica_down')).toBe(before + 1);
      const position = await router.noteWrite('key_1');
      expect(parseLsn(position!)).toBeGreaterThan(0n);
    } finally {
      router.stop();
    }
  });
});
