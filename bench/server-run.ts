import { randomBytes } from 'node:crypto';
import { onCleanup } from './cleanup.ts';
import { cpuMeter, isLocalPostgres, withCpu, type CpuMeter, type CpuReading } from './cpu.ts';
import type { DriveOptions, DriveResult } from './drive.ts';
import { CHANGE_CONCURRENCIES, measureChanges, type ChangeRow } from './changes.ts';
import { measureExports, type ExportResult } from './exports.ts';
import { FLOW_CONCURRENCIES, measureFlows, type FlowRow } from './flows.ts';
import type { BenchNetwork } from './network.ts';
import { ORDER_CONCURRENCIES, ORDER_SOURCES } from './orders.ts';
import { measureOutbox, type OutboxResult } from './outbox.ts';
import {
  availabilityCases,
  holdCases,
  measureAvailability,
  measureFeeds,
  measureHolds,
  warmUpServer,
  type AvailabilityCase,
  type FeedResult,
  type HoldCase,
  type Target,
} from './scenarios.ts';
import { repeatRuns } from './repeat.ts';
import { startServerProcess } from './server.ts';
import type { BenchDatabase } from './setup.ts';

export interface RunSettings {
  durationMs: number;
  warmupMs: number;
  /** Mixed, unmeasured traffic right after the server starts. */
  serverWarmupMs: number;
  feedCount: number;
  /** Runs of each hold, availability, order, flow and change row and of each floor (`--runs`). */
  runs: number;
  /** Events committed at once for the webhook delivery scenario. */
  outboxEvents: number;
  postgresServerUrl: string;
  log: (line: string) => void;
}

export interface AvailabilityRow extends AvailabilityCase {
  result: DriveResult;
}

/** What the server under test did, before any floor is attached. */
export interface ApiResults {
  outbox: OutboxResult;
  holds: { hold: HoldCase; api: DriveResult }[];
  availability: AvailabilityRow[];
  feeds: FeedResult;
  /** `cpu`: per order, on PostgreSQL (the server process, PostgreSQL's, the load generator's). */
  orders: { source: string; concurrency: number; api: DriveResult; cpu: CpuReading | undefined }[];
  flows: FlowRow[];
  changes: ChangeRow[];
  exports: ExportResult;
}

/** Run right after a row while the server idles (PostgreSQL's floors: both see the same machine state). */
export interface AfterRow {
  hold: (hold: HoldCase) => Promise<void>;
  orders: (concurrency: number) => Promise<void>;
}

const MAX_OPS_PER_SCENARIO = 2_000_000;
/** Orders and flows can outlast a short window: each worker then still completes this many. */
const SLOW_MIN_OPS_PER_WORKER = 3;
const FEED_BUDGET_MS = 120_000;

export const driveOptions = (settings: RunSettings, concurrency: number): DriveOptions => ({
  durationMs: settings.durationMs,
  warmupMs: settings.warmupMs,
  maxOps: MAX_OPS_PER_SCENARIO,
  concurrency,
});

/** Orders and flows: the window stays open until every worker has started a few operations in it. */
const slowDriveOptions = (settings: RunSettings, concurrency: number): DriveOptions => ({
  ...driveOptions(settings, concurrency),
  minOps: SLOW_MIN_OPS_PER_WORKER * concurrency,
});

export function logResult(log: (line: string) => void, label: string, r: DriveResult): void {
  const errors = r.errors > 0 ? `, ${r.errors} errors (${r.firstError ?? '?'})` : '';
  const rate = (value: number) => value.toFixed(value < 10 ? 1 : 0);
  const runs = r.rates ? ` (runs ${rate(r.rates.min)} / ${rate(r.rates.median)} / ${rate(r.rates.max)})` : '';
  log(
    `  ${label}: ${rate(r.opsPerSec)} ops/s${runs}, p50 ${r.p50Ms.toFixed(2)} ms, p99 ${r.p99Ms.toFixed(2)} ms${errors}`,
  );
}

/** A DriveResult row measured `settings.runs` times (see repeatRuns). */
export const repeated = (settings: RunSettings, measure: () => Promise<DriveResult>) =>
  repeatRuns(settings.runs, measure, (r) => r);

const describeHold = (c: HoldCase) =>
  `holds ${c.distribution} c=${c.concurrency}${c.idempotencyKey ? '' : ' (no Idempotency-Key)'}`;

async function measureOutboxRow(target: Target, network: BenchNetwork, settings: RunSettings) {
  const outbox = await measureOutbox(target, network, settings.outboxEvents);
  settings.log(
    `  webhooks: ${outbox.events} events delivered in ${outbox.ms} ms (${outbox.eventsPerSec.toFixed(0)} events/s), lag p50 ${outbox.lagP50Ms} ms, p99 ${outbox.lagP99Ms} ms`,
  );
  return outbox;
}

async function measureHoldRows(target: Target, network: BenchNetwork, settings: RunSettings, after: AfterRow) {
  const holds: ApiResults['holds'] = [];
  for (const hold of holdCases()) {
    const api = await repeated(settings, () =>
      measureHolds(target, network, hold, driveOptions(settings, hold.concurrency)),
    );
    logResult(settings.log, `API ${describeHold(hold)}`, api);
    holds.push({ hold, api });
    await after.hold(hold);
  }
  return holds;
}

async function measureAvailabilityRows(target: Target, network: BenchNetwork, settings: RunSettings) {
  const availability: AvailabilityRow[] = [];
  for (const query of availabilityCases()) {
    const result = await repeated(settings, () =>
      measureAvailability(target, network, query, driveOptions(settings, query.concurrency)),
    );
    logResult(settings.log, `API availability ${query.skus} SKU(s) c=${query.concurrency}`, result);
    availability.push({ ...query, result });
  }
  return availability;
}

async function measureOrderRows(
  target: Target,
  network: BenchNetwork,
  settings: RunSettings,
  after: AfterRow,
  cpu: CpuMeter | undefined,
) {
  const orders: ApiResults['orders'] = [];
  for (const concurrency of ORDER_CONCURRENCIES) {
    for (const source of ORDER_SOURCES) {
      const measured = await withCpu(cpu, () =>
        repeated(settings, () => source.measure(target, network, slowDriveOptions(settings, concurrency))),
      );
      logResult(settings.log, `${source.label} c=${concurrency}`, measured.result);
      orders.push({ source: source.label, concurrency, api: measured.result, cpu: measured.cpu });
    }
    await after.orders(concurrency);
  }
  return orders;
}

async function measureFlowRows(target: Target, network: BenchNetwork, settings: RunSettings) {
  const flows: FlowRow[] = [];
  for (const concurrency of FLOW_CONCURRENCIES) {
    const options = slowDriveOptions(settings, concurrency);
    const row = await repeatRuns(
      settings.runs,
      () => measureFlows(target, network, options),
      (r) => r.result,
    );
    logResult(settings.log, `order → delivered flows c=${concurrency}`, row.result);
    flows.push(row);
  }
  return flows;
}

async function measureChangeRows(target: Target, network: BenchNetwork, settings: RunSettings) {
  const rows: ChangeRow[] = [];
  for (const concurrency of CHANGE_CONCURRENCIES) {
    const options = slowDriveOptions(settings, concurrency);
    const row = await repeatRuns(
      settings.runs,
      () => measureChanges(target, network, options),
      (r) => r.result,
    );
    logResult(settings.log, `order changes c=${concurrency}`, row.result);
    rows.push(row);
  }
  return rows;
}

/** Runs `use` against a warmed-up `consign serve` child on the bench database, and stops it after. */
async function withServer<T>(
  bench: BenchDatabase,
  network: BenchNetwork,
  settings: RunSettings,
  use: (target: Target, pid: number) => Promise<T>,
): Promise<T> {
  const apiKey = `csk_bench_${randomBytes(18).toString('base64url')}`;
  const server = await startServerProcess({ databaseUrl: bench.databaseUrl, dataDir: bench.dataDir, apiKey });
  const stopServer = onCleanup({ name: 'stop the server under test', run: server.stop, runNow: server.kill });
  try {
    const target: Target = { url: server.url, apiKey };
    const warm = await warmUpServer(target, network, settings.serverWarmupMs);
    if (warm.errors > 0) throw new Error(`the server under test failed while warming up: ${warm.firstError ?? '?'}`);
    return await use(target, server.pid);
  } finally {
    await stopServer();
  }
}

/**
 * Measures the API through a `consign serve` child, scenario after scenario. Webhook delivery
 * goes first, while the dispatcher's backlog is only the set-up's events.
 */
export function measureApi(
  bench: BenchDatabase,
  network: BenchNetwork,
  settings: RunSettings,
  after: AfterRow,
): Promise<ApiResults> {
  return withServer(bench, network, settings, async (target, pid) => {
    const outbox = await measureOutboxRow(target, network, settings);
    const holds = await measureHoldRows(target, network, settings, after);
    const availability = await measureAvailabilityRows(target, network, settings);
    const feeds = await measureFeeds(target, network, settings.feedCount, FEED_BUDGET_MS);
    settings.log(`  API feeds: median ${feeds.medianRowsPerSec.toFixed(0)} rows/s over ${feeds.runs.length} feeds`);
    const cpu = bench.engine === 'postgres' && isLocalPostgres(bench.databaseUrl) ? cpuMeter(pid) : undefined;
    const orders = await measureOrderRows(target, network, settings, after, cpu);
    const flows = await measureFlowRows(target, network, settings);
    const changes = await measureChangeRows(target, network, settings);
    const exports = await measureExports(target);
    settings.log(
      `  API exports: ${exports.first.rows} stock movements at ${exports.first.rowsPerSec.toFixed(0)} rows/s`,
    );
    return { outbox, holds, availability, feeds, orders, flows, changes, exports };
  });
}

/** Only the holds rows (`--scenario holds`), through a `consign serve` child. */
export function measureApiHolds(
  bench: BenchDatabase,
  network: BenchNetwork,
  settings: RunSettings,
  after: AfterRow,
): Promise<Pick<ApiResults, 'holds'>> {
  return withServer(bench, network, settings, async (target) => ({
    holds: await measureHoldRows(target, network, settings, after),
  }));
}
