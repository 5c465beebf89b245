import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/index.ts';
import { sql } from 'drizzle-orm';
import { openDatabase, query, type Database } from '../../src/db/index.ts';
import { testEngine } from '../support/db.ts';
import { createSmallNetwork, setStock, type SmallNetwork } from '../support/fixtures.ts';
import { orderBody, placeOrder } from '../support/orders.ts';
import { postgresBinaries, startPostgresPair, type PostgresPair } from '../support/postgres-replica.ts';
import { spawnServer, type ServerProcess } from '../support/process.ts';
import { serviceOrSkip } from '../support/required-service.ts';
import type { TestServer } from '../support/server.ts';
import { waitFor } from '../support/wait.ts';

/**
 * A Consign server with DATABASE_URL on a primary and DATABASE_READ_URL on its streaming replica
 * (both started by the test): reads go to the replica, a client reads its own writes while the
 * replica's replay is paused, a replica past the lag bound or killed sends reads to the primary
 * without a failed request, and a restarted replica serves again.
 */
const postgres = testEngine() === 'postgres';
const bindir = postgres ? postgresBinaries() : undefined;
const installed =
  postgres &&
  serviceOrSkip(
    bindir !== undefined,
    'The read-replica test starts a PostgreSQL primary and replica of its own, and initdb, pg_ctl or pg_basebackup is not installed (apt-get install postgresql-15).',
  );

const MAX_LAG_MS = 3000;
const READ_AFTER_WAIT_MS = 200;
const LOAD_MS = 4000;
const KILL_AFTER_MS = 1500;

type Metrics = Map<string, number>;

async function metrics(server: ServerProcess): Promise<Metrics> {
  const response = await server.request('GET', '/metrics', { key: null });
  const values = new Map<string, number>();
  for (const line of String(response.body).split('\n')) {
    const match = /^(consign_db_(?:reads_total|read_fallbacks_total|replica_\w+))(\{[^}]*\})? (\S+)$/.exec(line);
    if (match) values.set(match[1]! + (match[2] ?? ''), Number(match[3]));
  }
  return values;
}

const served = (m: Metrics, target: 'replica' | 'primary') => m.get(`consign_db_reads_total{target="${target}"}`) ?? 0;
const fellBack = (m: Metrics, reason: string) => m.get(`consign_db_read_fallbacks_total{reason="${reason}"}`) ?? 0;

describe.skipIf(!installed)(
  'A streaming read replica (PostgreSQL only: the embedded engine has no replicas, and the test needs the PostgreSQL binaries)',
  () => {
    let pair: PostgresPair;
    let server: ServerProcess;
    let primary: Database;
    let replicaAdmin: pg.Client;
    let net: SmallNetwork;
    /** A second principal: it writes nothing, so its reads wait for nothing. */
    let readerKey: string;
    const figures: Record<string, number> = {};
    /** When the write the paused replica has not replayed was made. */
    let pausedWriteAt = 0;

    beforeAll(async () => {
      pair = await startPostgresPair(bindir!);
      server = await spawnServer({
        databaseUrl: pair.primaryUrl,
        env: {
          DATABASE_READ_URL: pair.replicaUrl,
          CONSIGN_REPLICA_MAX_LAG_MS: String(MAX_LAG_MS),
          CONSIGN_READ_AFTER_WAIT_MS: String(READ_AFTER_WAIT_MS),
          CONSIGN_REPLICA_PROBE_INTERVAL_MS: '200',
        },
      });
      primary = await openDatabase({ databaseUrl: pair.primaryUrl, poolSize: 2 });
      readerKey = (await createApiKey(primary.db, { role: 'admin' })).secret;
      replicaAdmin = new pg.Client({ connectionString: pair.replicaUrl });
      await replicaAdmin.connect();
      replicaAdmin.on('error', () => {}); // the replica is killed below
      const asTestServer = server as unknown as TestServer;
      net = await createSmallNetwork(asTestServer, 2);
      await server.request('PATCH', `/v1/locations/${net.storeA}`, { body: { latitude: 42.36, longitude: -71.06 } });
      for (const sku of net.skus) await setStock(asTestServer, net.storeA, sku, 100);
      const placed = await placeOrder(asTestServer, orderBody('RR-1', [{ sku: net.skus[1]!, quantity: 1 }]));
      expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    }, 120_000);

    afterAll(async () => {
      await replicaAdmin?.end().catch(() => {});
      await primary?.close();
      await server?.stop();
      pair?.destroy();
      if (Object.keys(figures).length > 0) console.info('read replica figures (ms, counts):', figures);
    });

    const availableAt = async (key: string | undefined, headers: Record<string, string> = {}) => {
      const sku = net.skus[0]!;
      const response = await server.request('GET', `/v1/availability?skus=${sku}&location_id=${net.storeA}`, {
        ...(key ? { key } : {}),
        headers,
      });
      expect(response.status).toBe(200);
      return response.body.data[0].available as number;
    };
    const adjust = (quantity: number) =>
      server.request('POST', '/v1/inventory/adjustments', {
        body: {
          reason: 'count',
          movements: [{ kind: 'adjustment', sku: net.skus[0]!, location_id: net.storeA, quantity }],
        },
      });
    const replayCaughtUp = () =>
      waitFor(
        'the replica replays what the primary wrote',
        async () => {
          const [row] = await query<{ lsn: string }>(primary.db, sql`select pg_current_wal_lsn()::text as lsn`);
          const replayed = await replicaAdmin.query('select pg_last_wal_replay_lsn() >= $1::pg_lsn as caught_up', [
            row!.lsn,
          ]);
          return replayed.rows[0].caught_up === true;
        },
        { timeoutMs: 10_000 },
      );

    /** Reads by the reader key until one is served by the replica again. */
    const readsReturnToReplica = (when: string, timeoutMs: number) =>
      waitFor(
        `reads go to the replica ${when}`,
        async () => {
          const before = served(await metrics(server), 'replica');
          await availableAt(readerKey);
          return served(await metrics(server), 'replica') > before;
        },
        { timeoutMs },
      );

    it('serves availability, order search, reports and the customer 360 from the replica', async () => {
      await replayCaughtUp();
      const before = await metrics(server);
      const paths = [
        `/v1/availability?skus=${net.skus.join(',')}`,
        '/v1/orders?q=RR-1',
        '/v1/reports/orders-per-day',
        '/v1/customers/rr-1@example.com',
      ];
      for (const path of paths) {
        const response = await server.request('GET', path, { key: readerKey });
        expect(response.status, path).toBe(200);
      }
      const search = await server.request('GET', '/v1/orders?q=RR-1', { key: readerKey });
      expect(search.body.data.map((o: { external_id: string }) => o.external_id)).toEqual(['RR-1']);
      const after = await metrics(server);
      expect(served(after, 'replica') - served(before, 'replica')).toBe(paths.length + 1);
      expect(served(after, 'primary') - served(before, 'primary')).toBe(0);
      expect(after.get('consign_db_replica_up')).toBe(1);
    });

    it('shows a client its own write at once while replay is paused, and others the replica’s older state', async () => {
      await replayCaughtUp();
      const was = await availableAt(readerKey);
      await replicaAdmin.query('select pg_wal_replay_pause()');
      const before = await metrics(server);
      const written = await adjust(5);
      pausedWriteAt = Date.now();
      expect(written.status).toBe(201);
      const position = written.headers.get('consign-read-after');
      expect(position).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
      const started = Date.now();
      expect(await availableAt(undefined)).toBe(was + 5); // the writer, by its key
      figures.ownWriteReadMs = Date.now() - started;
      expect(await availableAt(readerKey)).toBe(was); // another key: the paused replica
      expect(await availableAt(readerKey, { 'Consign-Read-After': position! })).toBe(was + 5); // with the header
      const after = await metrics(server);
      expect(fellBack(after, 'read_after_timeout') - fellBack(before, 'read_after_timeout')).toBe(2);
      expect(served(after, 'replica') - served(before, 'replica')).toBe(1);
      expect(figures.ownWriteReadMs).toBeGreaterThanOrEqual(READ_AFTER_WAIT_MS);

      const malformed = await server.request('GET', `/v1/availability?skus=${net.skus[0]}`, {
        headers: { 'Consign-Read-After': 'yesterday' },
      });
      expect(malformed.status).toBe(400);
      expect(malformed.body.code).toBe('validation_failed');
    });

    it('sends every read to the primary while the replica is behind by more than the lag bound', async () => {
      // Replay is still paused with the write above not replayed: the lag grows past the bound.
      const fresh = await availableAt(undefined);
      await waitFor(
        'a reader without writes of its own sees the primary',
        async () => (await availableAt(readerKey)) === fresh,
        { timeoutMs: MAX_LAG_MS + 3000 },
      );
      figures.lagFallbackAfterWriteMs = Date.now() - pausedWriteAt;
      // The lag counts from when the router first saw the unreplayed position: at the write, or a
      // probe's moment earlier when something else wrote between the pause and the write.
      expect(figures.lagFallbackAfterWriteMs).toBeGreaterThanOrEqual(MAX_LAG_MS - 500);
      expect(fellBack(await metrics(server), 'replica_lagging')).toBeGreaterThan(0);
      const lagging = await waitFor(
        'the lag gauges show the paused replica',
        async () => {
          const m = await metrics(server);
          return (m.get('consign_db_replica_lag_seconds') ?? 0) > MAX_LAG_MS / 1000 && m;
        },
        { timeoutMs: 2000 },
      );
      expect(lagging.get('consign_db_replica_lag_bytes')).toBeGreaterThan(0);

      await replicaAdmin.query('select pg_wal_replay_resume()');
      const resumed = Date.now();
      await readsReturnToReplica('once it has caught up', 5000);
      figures.backFromLagMs = Date.now() - resumed;
    });

    it('loses no request when the replica is killed under load, and reads return to it once it is back', async () => {
      await replayCaughtUp();
      const startOnHand = await availableAt(undefined);
      const before = await metrics(server);
      const failures: string[] = [];
      let writes = 0;
      let reads = 0;
      let slowestReadMs = 0;
      const deadline = Date.now() + LOAD_MS;
      const writer = async () => {
        while (Date.now() < deadline) {
          const response = await adjust(1);
          if (response.status === 201) writes++;
          else failures.push(`write → ${response.status} ${JSON.stringify(response.body)}`);
        }
      };
      const reader = async (key: string | undefined, path: string) => {
        while (Date.now() < deadline) {
          const started = Date.now();
          const response = await server.request('GET', path, key ? { key } : {});
          slowestReadMs = Math.max(slowestReadMs, Date.now() - started);
          if (response.status === 200) reads++;
          else failures.push(`${path} → ${response.status} ${JSON.stringify(response.body)}`);
        }
      };
      const availability = `/v1/availability?skus=${net.skus.join(',')}`;
      const kill = (async () => {
        await new Promise((resolve) => setTimeout(resolve, KILL_AFTER_MS));
        process.kill(pair.replicaPid(), 'SIGKILL');
      })();
      await Promise.all([
        kill,
        writer(),
        writer(),
        reader(readerKey, availability),
        reader(readerKey, '/v1/orders?q=RR'),
        reader(undefined, availability),
        reader(readerKey, '/v1/reports/top-channels'),
      ]);
      figures.slowestReadUnderKillMs = slowestReadMs;
      Object.assign(figures, { loadWrites: writes, loadReads: reads });
      expect(failures).toEqual([]);
      expect(writes).toBeGreaterThan(10);
      expect(reads).toBeGreaterThan(20);
      expect(await availableAt(readerKey)).toBe(startOnHand + writes); // the replica is down: the primary
      const during = await metrics(server);
      expect(served(during, 'primary') - served(before, 'primary')).toBeGreaterThan(0);
      expect(served(during, 'replica') - served(before, 'replica')).toBeGreaterThan(0);
      expect(during.get('consign_db_replica_up')).toBe(0);
      for (const reason of ['replica_error', 'replica_down', 'read_after_timeout'])
        figures[`load_${reason}`] = fellBack(during, reason) - fellBack(before, reason);
      Object.assign(figures, {
        loadOnReplica: served(during, 'replica') - served(before, 'replica'),
        loadOnPrimary: served(during, 'primary') - served(before, 'primary'),
      });
      expect(figures.load_replica_down! + figures.load_replica_error!).toBeGreaterThan(0);

      const restarting = Date.now();
      await pair.startReplica();
      await readsReturnToReplica('once it is restarted', 15_000);
      figures.backAfterRestartMs = Date.now() - restarting;
      expect(await availableAt(readerKey)).toBe(startOnHand + writes);
    });
  },
);
