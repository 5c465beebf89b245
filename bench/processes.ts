import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { onCleanup } from './cleanup.ts';
import { cpuMeter, isLocalPostgres, withCpu, type CpuReading } from './cpu.ts';
import { drive, type DriveOptions, type DriveResult } from './drive.ts';
import { postgresFloor } from './floor.ts';
import { ApiClient } from './loadgen.ts';
import { orderTransaction } from './order-floor.ts';
import { ORDER_LOCATIONS, seedOrderNetwork, type OrderNetwork } from './order-network.ts';
import { ORDER_LINES, orderCall, orderNumbers, orderSampler } from './orders.ts';
import { startServerProcess, type ServerProcess } from './server.ts';
import { createBenchDatabase, migrateBenchDatabase } from './setup.ts';
import { median, spread } from './stats.ts';
import { rateSpread } from './table.ts';

/**
 * The rows: server processes on one PostgreSQL database, and whether the outbox followers run in
 * every one (the default) or only in the first, the others serving the API alone.
 */
const LAYOUTS = [
  { processes: 1, followersEverywhere: true },
  { processes: 2, followersEverywhere: true },
  { processes: 4, followersEverywhere: true },
  { processes: 2, followersEverywhere: false },
  { processes: 4, followersEverywhere: false },
] as const;
type Layout = (typeof LAYOUTS)[number];

/**
 * A process that serves the API only: the outbox followers (webhooks, automations, connectors,
 * notifications) and the subscription scheduler are off, each by its interval set to 0.
 */
const API_ONLY_ENV: Record<string, string> = {
  CONSIGN_WEBHOOK_INTERVAL_MS: '0',
  CONSIGN_AUTOMATION_INTERVAL_MS: '0',
  CONSIGN_CONNECTOR_INTERVAL_MS: '0',
  CONSIGN_NOTIFY_INTERVAL_MS: '0',
  CONSIGN_SUBSCRIPTION_INTERVAL_MS: '0',
};
/** Total requests in flight, whatever the number of processes. */
export const PROCESSES_CONCURRENCY = 16;
/** Runs of every row; within a run the rows alternate, so a drift of the machine touches each alike. */
export const PROCESSES_RUNS = 3;

export interface ProcessesRun {
  layout: Layout;
  result: DriveResult;
  /** Per order: every server process together, PostgreSQL, the load generator. */
  cpu: CpuReading | undefined;
}

export interface ProcessesResult {
  runs: ProcessesRun[];
  /** The order floor at the same concurrency, once per run, with its CPU per transaction. */
  floors: { result: DriveResult; cpu: CpuReading | undefined }[];
  /** The pool size each server process was started with. */
  poolSize: string;
  setupMs: number;
}

export interface ProcessesSettings {
  durationMs: number;
  warmupMs: number;
  postgresServerUrl: string;
  log: (line: string) => void;
}

async function startServers(layout: Layout, databaseUrl: string, apiKey: string) {
  const servers: ServerProcess[] = [];
  const stops: (() => Promise<void>)[] = [];
  try {
    for (let i = 0; i < layout.processes; i++) {
      const env = i === 0 || layout.followersEverywhere ? {} : API_ONLY_ENV;
      const server = await startServerProcess({ databaseUrl, apiKey, env });
      servers.push(server);
      stops.push(onCleanup({ name: 'stop a server under test', run: server.stop, runNow: server.kill }));
    }
  } catch (error) {
    await Promise.all(stops.map((stop) => stop()));
    throw error;
  }
  return { servers, stop: () => Promise.all(stops.map((stop) => stop())).then(() => {}) };
}

/**
 * POST /v1/orders over `servers`, request after request in turn (round-robin), at a total
 * concurrency of PROCESSES_CONCURRENCY: what a load balancer in front of them would do.
 */
async function measureRoundRobin(
  servers: ServerProcess[],
  apiKey: string,
  network: OrderNetwork,
  options: DriveOptions,
  prefix: string,
): Promise<DriveResult> {
  const clients = servers.map((s) => new ApiClient(s.url, apiKey, Math.ceil(options.concurrency / servers.length)));
  const next = orderSampler(network, () => ORDER_LINES);
  const number = orderNumbers(prefix);
  let turn = 0;
  try {
    return await drive(options, async () => {
      const client = clients[turn++ % clients.length]!;
      await client.expect(orderCall(network, next(), number()), [201]);
    });
  } finally {
    for (const client of clients) client.close();
  }
}

const describeLayout = (layout: Layout) =>
  layout.processes === 1
    ? '1 process'
    : `${layout.processes} processes${layout.followersEverywhere ? '' : ', followers in the first only'}`;

const logRun = (log: (line: string) => void, label: string, r: DriveResult, cpu: CpuReading | undefined) =>
  log(
    `  ${label}: ${r.opsPerSec.toFixed(1)} orders/s, p50 ${r.p50Ms.toFixed(1)} ms, p99 ${r.p99Ms.toFixed(1)} ms` +
      (cpu
        ? `; CPU/order Node ${cpu.serverMs.toFixed(2)} ms, PostgreSQL ${cpu.postgresMs.toFixed(2)} ms, bench ${cpu.benchMs.toFixed(2)} ms`
        : '') +
      (r.errors > 0 ? `, ${r.errors} errors (${r.firstError ?? '?'})` : ''),
  );

/**
 * 1, 2 and 4 `consign serve` processes on one fresh PostgreSQL database holding the order
 * network (2 and 4 also with the followers in the first process only), driven round-robin at
 * c=16; then the raw SQL order floor at c=16 on the same database.
 * PostgreSQL only: the embedded engine is one process by design (ADR 0001).
 */
export async function runProcesses(settings: ProcessesSettings): Promise<ProcessesResult> {
  const started = performance.now();
  settings.log(`postgres: creating a fresh database with the ${ORDER_LOCATIONS}-location order network…`);
  const bench = await createBenchDatabase('postgres', settings.postgresServerUrl);
  const dropDatabase = onCleanup({ name: 'remove the postgres processes database', run: bench.drop });
  try {
    await migrateBenchDatabase(bench);
    const setup = await bench.open();
    let network: OrderNetwork;
    try {
      network = await seedOrderNetwork(setup);
      await setup.db.execute(sql`analyze`);
    } finally {
      await setup.close();
    }
    const setupMs = performance.now() - started;
    const databaseUrl = bench.databaseUrl!;
    const local = isLocalPostgres(databaseUrl);
    const options: DriveOptions = {
      concurrency: PROCESSES_CONCURRENCY,
      durationMs: settings.durationMs,
      warmupMs: settings.warmupMs,
      maxOps: 1_000_000,
      minOps: 3 * PROCESSES_CONCURRENCY,
    };
    const apiKey = `csk_bench_${randomBytes(18).toString('base64url')}`;
    const runs: ProcessesRun[] = [];
    const floors: ProcessesResult['floors'] = [];
    for (let run = 1; run <= PROCESSES_RUNS; run++) {
      for (const [index, layout] of LAYOUTS.entries()) {
        const { servers, stop } = await startServers(layout, databaseUrl, apiKey);
        try {
          const meter = local ? cpuMeter(...servers.map((s) => s.pid)) : undefined;
          const measured = await withCpu(meter, () =>
            measureRoundRobin(servers, apiKey, network, options, `BENCH-P${index}-${run}`),
          );
          logRun(settings.log, `run ${run}, ${describeLayout(layout)}`, measured.result, measured.cpu);
          runs.push({ layout, ...measured });
        } finally {
          await stop();
        }
      }
      const floor = await withCpu(local ? cpuMeter() : undefined, () =>
        postgresFloor(databaseUrl, orderTransaction(network), options),
      );
      logRun(settings.log, `run ${run}, order floor`, floor.result, floor.cpu);
      floors.push(floor);
    }
    return { runs, floors, poolSize: process.env.CONSIGN_DB_POOL_SIZE || '16 (default)', setupMs };
  } finally {
    await dropDatabase();
  }
}

const cpuMs = (value: number | undefined) => (value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(2));
const medianCpu = (readings: (CpuReading | undefined)[], pick: (c: CpuReading) => number) => {
  const values = readings.filter((c): c is CpuReading => c !== undefined).map(pick);
  return values.length > 0 ? median(values) : undefined;
};

/** The section of docs/benchmarks.md for the processes scenario. */
export const PROCESSES_HEADING = '## Orders on 1, 2 and 4 server processes sharing one PostgreSQL';

/** Markdown: orders/s min / median / max per process count, ratio to 1 process, CPU per order, and the floor. */
export function processesSection(
  result: ProcessesResult,
  date: Date,
  durationMs: number,
  load: { start: number; end: number },
  cores: number,
): string {
  const rowOf = (label: string, entries: { result: DriveResult; cpu: CpuReading | undefined }[], base: number) => {
    const s = spread(entries.map((e) => e.result.opsPerSec));
    const isFloor = entries === result.floors;
    const server = isFloor
      ? undefined
      : medianCpu(
          entries.map((e) => e.cpu),
          (c) => c.serverMs,
        );
    const postgres = medianCpu(
      entries.map((e) => e.cpu),
      (c) => c.postgresMs,
    );
    const benchCpu = medianCpu(
      entries.map((e) => e.cpu),
      (c) => c.benchMs,
    );
    const total = postgres === undefined ? undefined : (server ?? 0) + postgres;
    const errors = entries.reduce((n, e) => n + e.result.errors, 0);
    const p99 = median(entries.map((e) => e.result.p99Ms));
    return (
      `| ${label} | ${rateSpread(s)} | ${(s.median / base).toFixed(2)} ` +
      `| ${p99.toFixed(1)} | ${cpuMs(server)} | ${cpuMs(postgres)} | ${cpuMs(total)} | ${cpuMs(benchCpu)} | ${errors} |`
    );
  };
  const byLayout = LAYOUTS.map((layout) => ({ layout, entries: result.runs.filter((r) => r.layout === layout) }));
  const base = median(byLayout[0]!.entries.map((e) => e.result.opsPerSec));
  return [
    PROCESSES_HEADING,
    '',
    `\`npm run bench -- --scenario processes\` (${date.toISOString().slice(0, 10)}, ${PROCESSES_RUNS} runs of ${durationMs} ms each,`,
    `the rows alternating within each run): POST /v1/orders (${ORDER_LINES} lines × 1 unit, default rules) in the`,
    `${ORDER_LOCATIONS}-location order network at a total concurrency of ${PROCESSES_CONCURRENCY}, sent round-robin over 1, 2 or 4`,
    '`consign serve` processes on one PostgreSQL database (each started fresh for its row, pool size',
    `${result.poolSize}, its background workers running), then the raw SQL order floor at c=${PROCESSES_CONCURRENCY} on the same`,
    'database. PostgreSQL only: the embedded engine is one process. Ratio: median ÷ the 1-process median.',
    'CPU per order (median of the runs, from /proc): Node is every server process together, PostgreSQL',
    "every process of the server (on a shared server, other databases' work too); the bench column is",
    'the load generator (or the floor client).',
    `This machine has ${cores} cores, shared by the servers, PostgreSQL and the load generator, so the curve`,
    'flattens once they are busy: more processes add event loops, not cores. The CPU columns say where an',
    "order's time goes, which is what a bigger machine divides. By default every process runs the outbox",
    'followers (webhooks, automations, connectors, notifications), and every commit wakes them all',
    '(ADR 0027); in the "followers in the first only" rows the other processes serve the API alone',
    '(`CONSIGN_WEBHOOK_INTERVAL_MS`, `CONSIGN_AUTOMATION_INTERVAL_MS`, `CONSIGN_CONNECTOR_INTERVAL_MS`,',
    '`CONSIGN_NOTIFY_INTERVAL_MS` and `CONSIGN_SUBSCRIPTION_INTERVAL_MS` set to 0).',
    `1-minute load average: ${load.start.toFixed(1)} when the scenario started, ${load.end.toFixed(1)} when it ended.`,
    '',
    '| processes | orders/s (min / median / max) | ratio to 1 | p99 ms (median) | CPU ms/order: Node | PostgreSQL | Node + PostgreSQL | bench | errors |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...byLayout.map(({ layout, entries }) => rowOf(describeLayout(layout), entries, base)),
    rowOf('order floor (SQL)', result.floors, base),
    '',
  ].join('\n');
}
