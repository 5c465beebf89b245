import { sql } from 'drizzle-orm';
import { query, type Database, type Engine } from '../src/db/index.ts';
import { onCleanup } from './cleanup.ts';
import { cpuMeter, isLocalPostgres, withCpu, type CpuMeter, type CpuReading } from './cpu.ts';
import type { DriveOptions, DriveResult } from './drive.ts';
import { holdTransaction, pgliteFloor, postgresFloor, type FloorTransaction } from './floor.ts';
import type { ChangeRow } from './changes.ts';
import type { FlowRow } from './flows.ts';
import { seedNetwork, type BenchNetwork } from './network.ts';
import { orderTransaction } from './order-floor.ts';
import type { OrderRow } from './orders.ts';
import type { OutboxResult } from './outbox.ts';
import type { ExportResult } from './exports.ts';
import { picker, type FeedResult, type HoldCase } from './scenarios.ts';
import {
  driveOptions,
  logResult,
  measureApi,
  measureApiHolds,
  repeated,
  type AfterRow,
  type AvailabilityRow,
  type RunSettings,
} from './server-run.ts';
import { createBenchDatabase, migrateBenchDatabase, type BenchDatabase } from './setup.ts';

export type { AvailabilityRow, RunSettings } from './server-run.ts';

export interface HoldRow extends HoldCase {
  api: DriveResult;
  /** The raw SQL floor at the same distribution and concurrency. */
  floor: DriveResult | undefined;
}

export interface EngineResult {
  engine: Engine;
  /** PostgreSQL's `server_version` of the engine (PGlite embeds a PostgreSQL too). */
  serverVersion: string;
  holds: HoldRow[];
  availability: AvailabilityRow[];
  feeds: FeedResult;
  exports: ExportResult;
  orders: OrderRow[];
  flows: FlowRow[];
  changes: ChangeRow[];
  outbox: OutboxResult;
  setupMs: number;
  totalMs: number;
}

type FloorRun = (transaction: FloorTransaction, options: DriveOptions) => Promise<DriveResult>;

/**
 * The floors of one engine, each measured once per (workload, concurrency) and remembered, with
 * their CPU per transaction when `cpu` can read it (PostgreSQL on this machine).
 */
function floorMeter(run: FloorRun, network: BenchNetwork, settings: RunSettings, cpu?: CpuMeter) {
  const floors = new Map<string, DriveResult>();
  const cpus = new Map<string, CpuReading>();
  const measure = async (key: string, transaction: () => FloorTransaction, concurrency: number) => {
    if (floors.has(key)) return;
    const floor = await withCpu(cpu, () =>
      repeated(settings, () => run(transaction(), driveOptions(settings, concurrency))),
    );
    logResult(settings.log, `floor ${key}`, floor.result);
    floors.set(key, floor.result);
    if (floor.cpu) cpus.set(key, floor.cpu);
  };
  const holdKey = (hold: HoldCase) => `holds ${hold.distribution} c=${hold.concurrency}`;
  const orderKey = (concurrency: number) => `orders c=${concurrency}`;
  return {
    hold: (hold: HoldCase) =>
      measure(holdKey(hold), () => holdTransaction(picker(network, hold.distribution)), hold.concurrency),
    orders: (concurrency: number) =>
      measure(orderKey(concurrency), () => orderTransaction(network.orders), concurrency),
    ofHold: (hold: HoldCase) => floors.get(holdKey(hold)),
    ofOrders: (concurrency: number) => floors.get(orderKey(concurrency)),
    cpuOfOrders: (concurrency: number) => cpus.get(orderKey(concurrency)),
  };
}

/** What `measureApiAndFloor` measures through the server: rows with floors to measure after each. */
/** The rows whose floors `measureApiAndFloor` measures: every hold case, and the orders' concurrencies if any. */
type RowsWithFloors = { holds: { hold: HoldCase }[]; orders?: { concurrency: number }[] };

type ApiMeasure<T extends RowsWithFloors> = (
  bench: BenchDatabase,
  network: BenchNetwork,
  settings: RunSettings,
  after: AfterRow,
) => Promise<T>;

/**
 * API rows and their floors. PostgreSQL: each floor right after its API row, on the same
 * database, from this process. PGlite is single-process: the floors run here on the same data
 * directory once the server child has exited.
 */
async function measureApiAndFloor<T extends RowsWithFloors>(
  bench: BenchDatabase,
  network: BenchNetwork,
  settings: RunSettings,
  measure: ApiMeasure<T>,
) {
  if (bench.engine === 'postgres') {
    const url = bench.databaseUrl!;
    const run: FloorRun = (transaction, options) => postgresFloor(url, transaction, options);
    const meter = floorMeter(run, network, settings, isLocalPostgres(url) ? cpuMeter() : undefined);
    return { ...(await measure(bench, network, settings, meter)), meter };
  }
  const idle = async () => {};
  const api = await measure(bench, network, settings, { hold: idle, orders: idle });
  settings.log('pglite: server stopped; measuring the raw SQL floors in-process');
  const database = await bench.open();
  try {
    const meter = floorMeter((transaction, options) => pgliteFloor(database, transaction, options), network, settings);
    for (const { hold } of api.holds) await meter.hold(hold);
    for (const { concurrency } of api.orders ?? []) await meter.orders(concurrency);
    return { ...api, meter };
  } finally {
    await database.close();
  }
}

export async function prepare(bench: BenchDatabase): Promise<{ network: BenchNetwork; serverVersion: string }> {
  await migrateBenchDatabase(bench);
  const setup: Database = await bench.open();
  try {
    const network = await seedNetwork(setup);
    // A server's autovacuum would have analysed the freshly seeded tables long before a shop's
    // traffic; where it is off or has not run yet, the planner would see empty tables.
    await setup.db.execute(sql`analyze`);
    const [row] = await query<{ v: string }>(setup.db, sql`select current_setting('server_version') as v`);
    return { network, serverVersion: (row?.v ?? '?').split(' ')[0]! };
  } finally {
    await setup.close();
  }
}

/** One engine, start to finish: fresh database, network, API, floors; the database is removed after. */
export async function runEngine(engine: Engine, settings: RunSettings): Promise<EngineResult> {
  const started = performance.now();
  settings.log(`${engine}: creating a fresh database and the bench network…`);
  const bench = await createBenchDatabase(engine, settings.postgresServerUrl);
  const dropDatabase = onCleanup({ name: `remove the ${engine} bench database`, run: bench.drop });
  try {
    const { network, serverVersion } = await prepare(bench);
    const setupMs = performance.now() - started;
    settings.log(`${engine}: network ready in ${(setupMs / 1000).toFixed(1)} s; starting consign serve`);
    const measured = await measureApiAndFloor(bench, network, settings, measureApi);
    const { meter } = measured;
    return {
      engine,
      serverVersion,
      holds: holdRows(measured),
      availability: measured.availability,
      feeds: measured.feeds,
      exports: measured.exports,
      orders: measured.orders.map((row) => ({
        ...row,
        floor: meter.ofOrders(row.concurrency),
        floorCpu: meter.cpuOfOrders(row.concurrency),
      })),
      flows: measured.flows,
      changes: measured.changes,
      outbox: measured.outbox,
      setupMs,
      totalMs: performance.now() - started,
    };
  } finally {
    await dropDatabase();
  }
}

/** The holds rows, each with its floor. */
function holdRows(measured: { holds: { hold: HoldCase; api: DriveResult }[]; meter: ReturnType<typeof floorMeter> }) {
  return measured.holds.map(({ hold, api }): HoldRow => ({ ...hold, api, floor: measured.meter.ofHold(hold) }));
}

/** Only the holds rows and their floors (`--scenario holds`), on a fresh database removed after. */
export async function runHolds(engine: Engine, settings: RunSettings): Promise<Pick<EngineResult, 'engine' | 'holds'>> {
  settings.log(`${engine}: creating a fresh database and the bench network…`);
  const bench = await createBenchDatabase(engine, settings.postgresServerUrl);
  const dropDatabase = onCleanup({ name: `remove the ${engine} bench database`, run: bench.drop });
  try {
    const { network } = await prepare(bench);
    const measured = await measureApiAndFloor(bench, network, settings, measureApiHolds);
    return { engine, holds: holdRows(measured) };
  } finally {
    await dropDatabase();
  }
}
