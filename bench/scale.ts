import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { queryOne, type Database, type Engine } from '../src/db/index.ts';
import { createChannel } from '../src/network/index.ts';
import { seededRandom } from '../src/shared/random.ts';
import { onCleanup } from './cleanup.ts';
import { drive, type DriveResult } from './drive.ts';
import { generateLoad, type HttpCall } from './loadgen.ts';
import { seedOrderNetwork, type OrderNetwork } from './order-network.ts';
import { CATALOGUE, CATALOGUE_CHANNEL, catalogueSku, seedCatalogue } from './scale-catalogue.ts';
import { seedHistory, tableRows } from './scale-seed.ts';
import { must } from './seed.ts';
import { startServerProcess, type ServerProcess } from './server.ts';
import { createBenchDatabase, migrateBenchDatabase, type BenchDatabase } from './setup.ts';
import { median, spread } from './stats.ts';
import { integer, millis, rateSpread } from './table.ts';
import { measureOrders, WIDE_CONCURRENCY as CAPTURE_CONCURRENCY } from './wide-network.ts';

/** The database sizes measured: empty, then with this many history orders seeded. */
export const SCALE_STAGES = { full: [0, 100_000, 1_000_000], quick: [0, 2_000, 10_000] } as const;
/** POST /v1/orders runs at each stage, at c=8. */
export const SCALE_CAPTURE_RUNS = 3;
/** Reads are measured one at a time (c=1): their latency, not the machine's read throughput. */
const QUERY_MIN_CALLS = 50;
const CUSTOMERS = 250_000;
const SECOND_CHANNEL = 'marketplace';
const DAY_MS = 86_400_000;
const SEED = 1_000_000;
const SEED_CHUNK = 50_000;
const AVAILABILITY_SKUS = 1_000;

export interface QueryCase {
  name: string;
  /** p99 target, ms. */
  targetMs: number;
  call: (stage: number) => HttpCall;
  /** Statuses counted as answers; a read of a customer the empty database lacks answers 404. */
  expected: (stage: number) => number[];
}

export interface StageResult {
  orders: number;
  rows: Record<string, number>;
  seedMs: number;
  capture: DriveResult[];
  queries: { name: string; targetMs: number; result: DriveResult }[];
}

export interface ScaleResult {
  engine: Engine;
  stages: StageResult[];
}

export interface ScaleSettings {
  durationMs: number;
  warmupMs: number;
  quick: boolean;
  postgresServerUrl: string;
  log: (line: string) => void;
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Each read runs one call at a time (its latency, not the machine's throughput), for at least QUERY_MIN_CALLS calls. */
const readOptions = (settings: ScaleSettings) => ({
  concurrency: 1,
  durationMs: settings.durationMs,
  warmupMs: 0,
  maxOps: 100_000,
  minOps: QUERY_MIN_CALLS,
});

/** The availability read's SKUs: 1,000 consecutive catalogue SKUs from a random one. */
function availabilitySkus(pick: (n: number) => number): string[] {
  const first = pick(CATALOGUE.skus - AVAILABILITY_SKUS) + 1;
  return Array.from({ length: AVAILABILITY_SKUS }, (_, i) => catalogueSku(first + i));
}

/**
 * The availability read's SQL floor, with the server stopped: its stock levels (every location
 * of the catalogue's channel) read straight from the database by the bench, no HTTP and no JSON —
 * once with a row per level, as the answer lists them, and once summed per SKU.
 */
async function availabilityFloors(bench: BenchDatabase, settings: ScaleSettings): Promise<StageResult['queries']> {
  const rand = seededRandom(SEED + 1);
  const pick = (n: number) => Math.floor(rand() * Math.max(1, n));
  const database = await bench.open();
  const levels = (perSku: boolean) => {
    const skus = sql.param(availabilitySkus(pick));
    return perSku
      ? sql`select s.sku, sum(greatest(s.on_hand - s.reserved - s.safety_stock, 0))::int as available
            from stock_levels s join locations l on l.id = s.location_id and l.active
            where s.sku = any(${skus}::text[]) group by s.sku`
      : sql`select s.sku, s.location_id, s.on_hand, s.reserved, s.safety_stock
            from stock_levels s join locations l on l.id = s.location_id and l.active
            where s.sku = any(${skus}::text[])`;
  };
  const options = readOptions(settings);
  try {
    const floors: StageResult['queries'] = [];
    for (const [name, perSku] of [
      ['availability floor: the same levels in SQL, a row per level', false],
      ['availability floor: the same levels in SQL, summed per SKU', true],
    ] as const) {
      const result = await drive(options, async () => {
        await database.db.execute(levels(perSku));
      });
      settings.log(`  ${name}: p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms`);
      floors.push({ name, targetMs: Number.NaN, result });
    }
    return floors;
  } finally {
    await database.close();
  }
}

/**
 * The reads the console makes, each at a random value the seeded history holds: the order
 * search's filters, the customer 360 and every report over 30 days.
 */
function queryCases(network: OrderNetwork, history: { startsAt: Date; endsAt: Date; total: number }): QueryCase[] {
  const rand = seededRandom(SEED);
  const pick = (n: number) => Math.floor(rand() * Math.max(1, n));
  // The seeded orders of a stage cover the first stage ÷ total of the year at the same orders a
  // day, so each window holds about a month of a shop's orders; with none seeded, the last 30 days.
  const monthStart = (stage: number) => {
    const days = ((history.endsAt.getTime() - history.startsAt.getTime()) / DAY_MS) * (stage / history.total);
    if (days < 30) return Date.now() - 30 * DAY_MS;
    return history.startsAt.getTime() + pick(days - 30) * DAY_MS;
  };
  const customer = (stage: number) => `customer${(pick(stage) * 7919) % CUSTOMERS}@example.com`;
  const get = (path: string): HttpCall => ({ method: 'GET', path });
  const always = () => [200];
  const search: QueryCase[] = (
    [
      { name: 'search: order number', call: (stage) => get(`/v1/orders?q=HIST-${pick(stage)}`) },
      { name: 'search: e-mail', call: (stage) => get(`/v1/orders?email=${encodeURIComponent(customer(stage))}`) },
      { name: 'search: status + channel', call: () => get(`/v1/orders?status=shipped&channel=${SECOND_CHANNEL}`) },
      { name: 'search: SKU', call: () => get(`/v1/orders?sku=${network.skus[pick(network.skus.length)]!}`) },
      {
        name: 'search: 30 days',
        call: (stage: number) => {
          const from = monthStart(stage);
          return get(
            `/v1/orders?from=${new Date(from).toISOString()}&to=${new Date(from + 30 * DAY_MS).toISOString()}`,
          );
        },
      },
    ] satisfies Pick<QueryCase, 'name' | 'call'>[]
  ).map((c) => ({ ...c, targetMs: 100, expected: always }));
  const reports = ['orders-per-day', 'fulfillment', 'inventory-turnover', 'stock-health', 'top-channels'].map(
    (name): QueryCase => ({
      name: `report: ${name}`,
      targetMs: 1_000,
      expected: always,
      call: (stage) => {
        const from = monthStart(stage);
        return get(`/v1/reports/${name}?from=${isoDay(from)}&to=${isoDay(from + 29 * DAY_MS)}`);
      },
    }),
  );
  const customer360: QueryCase = {
    name: 'customer 360',
    targetMs: 100,
    expected: (stage) => (stage === 0 ? [200, 404] : [200]),
    call: (stage) => get(`/v1/customers/${encodeURIComponent(customer(stage))}`),
  };
  const availability: QueryCase = {
    name: `availability: 1,000 of ${integer(CATALOGUE.skus)} SKUs × ${CATALOGUE.locations} locations`,
    targetMs: 50,
    expected: always,
    call: () => {
      const skus = availabilitySkus(pick);
      return {
        method: 'POST',
        path: '/v1/availability/query',
        body: JSON.stringify({ skus, channel: CATALOGUE_CHANNEL }),
      };
    },
  };
  return [...search, customer360, ...reports, availability];
}

async function addSecondChannel(database: Database): Promise<string[]> {
  const web = await queryOne<{ id: string; location_group_id: string }>(
    database.db,
    sql`select id, location_group_id from channels where code = 'web'`,
  );
  if (!web) throw new Error('bench setup: the web channel is missing');
  const second = must(
    await createChannel(database.db, {
      code: SECOND_CHANNEL,
      name: 'Bench marketplace',
      type: 'marketplace',
      location_group_id: web.location_group_id,
    }),
    'second channel',
  );
  return [web.id, second.id];
}

async function measureStage(
  server: ServerProcess,
  apiKey: string,
  network: OrderNetwork,
  cases: QueryCase[],
  stage: number,
  settings: ScaleSettings,
): Promise<Pick<StageResult, 'capture' | 'queries'>> {
  const capture: DriveResult[] = [];
  for (let run = 1; run <= SCALE_CAPTURE_RUNS; run++) {
    const prefix = `BENCH-SCALE-${stage}-${run}`;
    const result = await measureOrders(server.url, apiKey, network, settings.durationMs, settings.warmupMs, prefix);
    settings.log(`  capture run ${run}: ${result.opsPerSec.toFixed(1)} orders/s, p99 ${result.p99Ms.toFixed(1)} ms`);
    capture.push(result);
  }
  const queries: StageResult['queries'] = [];
  for (const c of cases) {
    const result = await generateLoad(
      server.url,
      apiKey,
      readOptions(settings),
      () => c.call(stage),
      c.expected(stage),
    );
    settings.log(
      `  ${c.name}: p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms over ${result.count} calls` +
        (result.errors > 0 ? `, ${result.errors} errors (${result.firstError ?? '?'})` : ''),
    );
    queries.push({ name: c.name, targetMs: c.targetMs, result });
  }
  return { capture, queries };
}

async function withServer<T>(bench: BenchDatabase, apiKey: string, run: (server: ServerProcess) => Promise<T>) {
  const server = await startServerProcess({ databaseUrl: bench.databaseUrl, dataDir: bench.dataDir, apiKey });
  const stopServer = onCleanup({ name: 'stop the server under test', run: server.stop, runNow: server.kill });
  try {
    return await run(server);
  } finally {
    await stopServer();
  }
}

/**
 * Capture rate and the console's reads on an empty database, then with 100,000 and 1,000,000
 * orders of history seeded in bulk (bench/scale-seed.ts) while the server is stopped. One fresh
 * database, removed after.
 */
export async function runScale(engine: Engine, settings: ScaleSettings): Promise<ScaleResult> {
  const stages = settings.quick ? SCALE_STAGES.quick : SCALE_STAGES.full;
  const total = stages.at(-1)!;
  settings.log(`${engine}: creating a fresh database with the 50-location order network…`);
  const bench = await createBenchDatabase(engine, settings.postgresServerUrl);
  const dropDatabase = onCleanup({ name: `remove the ${engine} scale database`, run: bench.drop });
  try {
    await migrateBenchDatabase(bench);
    const setup = await bench.open();
    let network: OrderNetwork;
    let channelIds: string[];
    try {
      network = await seedOrderNetwork(setup);
      channelIds = await addSecondChannel(setup);
      settings.log(
        `${engine}: adding ${integer(CATALOGUE.skus)} SKUs × ${CATALOGUE.locations} locations of stock for availability…`,
      );
      await seedCatalogue(setup);
    } finally {
      await setup.close();
    }
    const now = Date.now();
    const history = { startsAt: new Date(now - 366 * DAY_MS), endsAt: new Date(now - DAY_MS) };
    const cases = queryCases(network, { ...history, total });
    const apiKey = `csk_bench_${randomBytes(18).toString('base64url')}`;
    const results: StageResult[] = [];
    let seeded = 0;
    for (const stage of stages) {
      const started = performance.now();
      if (stage > seeded) {
        settings.log(`${engine}: seeding orders ${integer(seeded + 1)}–${integer(stage)} of history…`);
        const database = await bench.open();
        try {
          const locationIds = network.locations.map((l) => l.id);
          await seedHistory(database, {
            from: seeded + 1,
            count: stage - seeded,
            chunk: SEED_CHUNK,
            channelIds,
            locationIds,
            skus: network.skus,
            customers: CUSTOMERS,
            ...history,
            total,
            onProgress: (done) => settings.log(`  ${integer(seeded + done)} / ${integer(stage)} orders`),
          });
        } finally {
          await database.close();
        }
        seeded = stage;
      }
      const seedMs = performance.now() - started;
      const database = await bench.open();
      const rows = await tableRows(database).finally(() => database.close());
      settings.log(
        `${engine}: ${integer(rows.orders ?? 0)} orders in the database (seeded in ${(seedMs / 1000).toFixed(0)} s)`,
      );
      const measured = await withServer(bench, apiKey, (server) =>
        measureStage(server, apiKey, network, cases, stage, settings),
      );
      const floors = await availabilityFloors(bench, settings);
      results.push({ orders: stage, rows, seedMs, ...measured, queries: [...measured.queries, ...floors] });
    }
    return { engine, stages: results };
  } finally {
    await dropDatabase();
  }
}

/** The section of docs/benchmarks.md for the scale scenario. */
export const SCALE_HEADING = '## A million orders: capture and the console’s reads as history grows';

const met = (ok: boolean) => (ok ? 'met' : 'missed');

/** Markdown: capture and each read per stage, with the targets. */
export function scaleSection(
  result: ScaleResult,
  date: Date,
  durationMs: number,
  load: { start: number; end: number },
) {
  const [empty, ...rest] = result.stages;
  const emptyRate = median(empty!.capture.map((r) => r.opsPerSec));
  const stageHeaders = result.stages.map((s) => `${integer(s.orders)} orders`);
  const captureRows = result.stages.map((s) => {
    const rates = spread(s.capture.map((r) => r.opsPerSec));
    const ratio = rates.median / emptyRate;
    const target = s === empty ? '' : `${ratio.toFixed(2)} (${met(ratio >= 0.8)})`;
    return `| ${integer(s.orders)} | ${integer(s.rows.orders ?? 0)} | ${rateSpread(rates)} | ${target} | ${(s.seedMs / 1000).toFixed(0)} |`;
  });
  const names = empty!.queries.map((q) => q.name);
  const queryRows = names.map((name, i) => {
    const cells = result.stages.map((s) => {
      const q = s.queries[i]!;
      return `${millis(q.result.p50Ms)} / ${millis(q.result.p99Ms)}`;
    });
    const last = result.stages.at(-1)!.queries[i]!;
    const worst = Math.max(...rest.map((s) => s.queries[i]!.result.p99Ms), last.result.p99Ms);
    if (Number.isNaN(last.targetMs)) return `| ${name} | — | ${cells.join(' | ')} | — |`;
    return `| ${name} | ≤ ${integer(last.targetMs)} | ${cells.join(' | ')} | ${met(worst <= last.targetMs)} |`;
  });
  return [
    SCALE_HEADING,
    '',
    `\`npm run bench -- --scenario scale\` (${date.toISOString().slice(0, 10)}, ${result.engine}): the 50-location order network, then`,
    'history seeded in bulk while the server is stopped (orders over the past year with lines, fulfillment orders,',
    'shipments, payments, events and ledger rows; 90% delivered, 5% shipped, 5% cancelled; a third on a second',
    `channel; e-mails over ${integer(CUSTOMERS)} customers). At each size: POST /v1/orders (3 lines × 1 unit) at c=${CAPTURE_CONCURRENCY},`,
    `${SCALE_CAPTURE_RUNS} runs of ${durationMs} ms, then each read one at a time for ${durationMs} ms (at least ${QUERY_MIN_CALLS} calls) at values`,
    'the history holds (a customer of the seeded orders, a random 30-day window of the seeded days: the orders are placed at',
    `${integer(Math.round(SCALE_STAGES.full.at(-1)! / 365))} a day, so each stage adds days of history, not orders per day).`,
    'The availability floor rows read the same levels as the availability read straight from the database, from the',
    'bench with the server stopped (no HTTP, no JSON): what the database alone takes to hand over 200,000 levels, or their sums.',
    `1-minute load average: ${load.start.toFixed(1)} when the scenario started, ${load.end.toFixed(1)} when it ended.`,
    '',
    '| history orders | orders in the database | capture, orders/s (min / median / max) | ÷ empty (target ≥ 0.8) | seeding, s |',
    '| ---: | ---: | --- | --- | ---: |',
    ...captureRows,
    '',
    `| read | p99 target, ms | ${stageHeaders.map((h) => `${h}: p50 / p99 ms`).join(' | ')} | target |`,
    `| --- | ---: | ${stageHeaders.map(() => '---:').join(' | ')} | --- |`,
    ...queryRows,
    '',
  ].join('\n');
}
