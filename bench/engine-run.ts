import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { query, type Engine } from '../src/db/index.ts';
import { onCleanup } from './cleanup.ts';
import type { DriveOptions, DriveResult } from './drive.ts';
import { pgliteFloor, postgresFloor } from './floor.ts';
import { seedNetwork, type BenchNetwork } from './network.ts';
import {
  availabilityCases,
  holdCases,
  measureAvailability,
  measureFeeds,
  measureHolds,
  picker,
  warmUpServer,
  type AvailabilityCase,
  type FeedResult,
  type HoldCase,
  type Target,
} from './scenarios.ts';
import { startServerProcess } from './server.ts';
import { createBenchDatabase, migrateBenchDatabase, type BenchDatabase } from './setup.ts';

export interface HoldRow extends HoldCase {
  api: DriveResult;
  /** The raw SQL floor at the same distribution and concurrency. */
  floor: DriveResult | undefined;
}

export interface AvailabilityRow extends AvailabilityCase {
  result: DriveResult;
}

export interface EngineResult {
  engine: Engine;
  /** PostgreSQL's `server_version` of the engine (PGlite embeds a PostgreSQL too). */
  serverVersion: string;
  holds: HoldRow[];
  availability: AvailabilityRow[];
  feeds: FeedResult;
  setupMs: number;
  totalMs: number;
}

export interface RunSettings {
  durationMs: number;
  warmupMs: number;
  /** Mixed, unmeasured traffic right after the server starts. */
  serverWarmupMs: number;
  feedCount: number;
  postgresServerUrl: string;
  log: (line: string) => void;
}

const MAX_OPS_PER_SCENARIO = 2_000_000;
const FEED_BUDGET_MS = 120_000;

const describeHold = (c: HoldCase) =>
  `holds ${c.distribution} c=${c.concurrency}${c.idempotencyKey ? '' : ' (no Idempotency-Key)'}`;

function logResult(log: (line: string) => void, label: string, r: DriveResult): void {
  const errors = r.errors > 0 ? `, ${r.errors} errors (${r.firstError ?? '?'})` : '';
  log(
    `  ${label}: ${r.opsPerSec.toFixed(0)} ops/s, p50 ${r.p50Ms.toFixed(2)} ms, p99 ${r.p99Ms.toFixed(2)} ms${errors}`,
  );
}

const driveOptions = (settings: RunSettings) => ({
  durationMs: settings.durationMs,
  warmupMs: settings.warmupMs,
  maxOps: MAX_OPS_PER_SCENARIO,
});

type FloorRun = (hold: HoldCase, options: DriveOptions) => Promise<DriveResult>;

/** Measures the floor once per (stock pattern, concurrency) and remembers it. */
function floorMeter(run: FloorRun, settings: RunSettings) {
  const floors = new Map<string, DriveResult>();
  const keyOf = (hold: HoldCase) => `${hold.distribution}/${hold.concurrency}`;
  return {
    measure: async (hold: HoldCase): Promise<void> => {
      if (floors.has(keyOf(hold))) return;
      const options = { ...driveOptions(settings), concurrency: hold.concurrency };
      const floor = await run(hold, options);
      logResult(settings.log, `floor ${hold.distribution} c=${hold.concurrency}`, floor);
      floors.set(keyOf(hold), floor);
    },
    of: (hold: HoldCase) => floors.get(keyOf(hold)),
  };
}

/**
 * Measures the API through a `consign serve` child. `afterHold` runs right after each hold row
 * while the server idles (PostgreSQL's floor: API and floor then see the same machine state).
 */
async function measureApi(
  bench: BenchDatabase,
  network: BenchNetwork,
  settings: RunSettings,
  afterHold: (hold: HoldCase) => Promise<void>,
) {
  const apiKey = `csk_bench_${randomBytes(18).toString('base64url')}`;
  const server = await startServerProcess({ databaseUrl: bench.databaseUrl, dataDir: bench.dataDir, apiKey });
  const stopServer = onCleanup({ name: 'stop the server under test', run: server.stop, runNow: server.kill });
  try {
    const target: Target = { url: server.url, apiKey };
    const warm = await warmUpServer(target, network, settings.serverWarmupMs);
    if (warm.errors > 0) throw new Error(`the server under test failed while warming up: ${warm.firstError ?? '?'}`);
    const holds: { hold: HoldCase; api: DriveResult }[] = [];
    for (const hold of holdCases()) {
      const api = await measureHolds(target, network, hold, {
        ...driveOptions(settings),
        concurrency: hold.concurrency,
      });
      logResult(settings.log, `API ${describeHold(hold)}`, api);
      holds.push({ hold, api });
      await afterHold(hold);
    }
    const availability: AvailabilityRow[] = [];
    for (const query of availabilityCases()) {
      const options = { ...driveOptions(settings), concurrency: query.concurrency };
      const result = await measureAvailability(target, network, query, options);
      logResult(settings.log, `API availability ${query.skus} SKU(s) c=${query.concurrency}`, result);
      availability.push({ ...query, result });
    }
    const feeds = await measureFeeds(target, network, settings.feedCount, FEED_BUDGET_MS);
    settings.log(`  API feeds: median ${feeds.medianRowsPerSec.toFixed(0)} rows/s over ${feeds.runs.length} feeds`);
    return { holds, availability, feeds };
  } finally {
    await stopServer();
  }
}

/**
 * API rows and their floors. PostgreSQL: each floor right after its API row, on the same
 * database, from this process. PGlite is single-process: the floors run here on the same data
 * directory once the server child has exited.
 */
async function measureApiAndFloor(bench: BenchDatabase, network: BenchNetwork, settings: RunSettings) {
  if (bench.engine === 'postgres') {
    const url = bench.databaseUrl!;
    const meter = floorMeter(
      (hold, options) => postgresFloor(url, picker(network, hold.distribution), options),
      settings,
    );
    return { ...(await measureApi(bench, network, settings, meter.measure)), floorOf: meter.of };
  }
  const api = await measureApi(bench, network, settings, async () => {});
  settings.log('pglite: server stopped; measuring the raw SQL floor in-process');
  const database = await bench.open();
  try {
    const meter = floorMeter(
      (hold, options) => pgliteFloor(database, picker(network, hold.distribution), options),
      settings,
    );
    for (const { hold } of api.holds) await meter.measure(hold);
    return { ...api, floorOf: meter.of };
  } finally {
    await database.close();
  }
}

/** One engine, start to finish: fresh database, network, API, floor; the database is removed after. */
export async function runEngine(engine: Engine, settings: RunSettings): Promise<EngineResult> {
  const started = performance.now();
  settings.log(`${engine}: creating a fresh database and the bench network…`);
  const bench = await createBenchDatabase(engine, settings.postgresServerUrl);
  const dropDatabase = onCleanup({ name: `remove the ${engine} bench database`, run: bench.drop });
  try {
    await migrateBenchDatabase(bench);
    const setup = await bench.open();
    let network: BenchNetwork;
    let serverVersion: string;
    try {
      network = await seedNetwork(setup);
      const [row] = await query<{ v: string }>(setup.db, sql`select current_setting('server_version') as v`);
      serverVersion = (row?.v ?? '?').split(' ')[0]!;
    } finally {
      await setup.close();
    }
    const setupMs = performance.now() - started;
    settings.log(`${engine}: network ready in ${(setupMs / 1000).toFixed(1)} s; starting consign serve`);
    const measured = await measureApiAndFloor(bench, network, settings);
    return {
      engine,
      serverVersion,
      holds: measured.holds.map(({ hold, api }) => ({ ...hold, api, floor: measured.floorOf(hold) })),
      availability: measured.availability,
      feeds: measured.feeds,
      setupMs,
      totalMs: performance.now() - started,
    };
  } finally {
    await dropDatabase();
  }
}
