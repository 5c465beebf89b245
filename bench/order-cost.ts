import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { query, type Database } from '../src/db/index.ts';
import { onCleanup } from './cleanup.ts';
import { cpuMeter, withCpu, type CpuReading } from './cpu.ts';
import type { DriveResult } from './drive.ts';
import { postgresFloor } from './floor.ts';
import { ApiClient, generateLoad } from './loadgen.ts';
import { seedOrderNetwork, type OrderNetwork } from './order-network.ts';
import { orderTransaction } from './order-floor.ts';
import { phaseTimes, startCollector, tracedRequests, type Phase, type PhaseTimes } from './order-trace.ts';
import { ORDER_LINES, orderCall, orderNumbers, orderSampler } from './orders.ts';
import { startServerProcess } from './server.ts';
import { createBenchDatabase, migrateBenchDatabase } from './setup.ts';
import { median } from './stats.ts';
import { integer, millis, percent, renderMarkdown, type Table } from './table.ts';

/** Orders traced one at a time (after as many warm-up orders), and the concurrency of the throughput run. */
export const ORDER_COST = { traced: 200, quickTraced: 40, concurrency: 8 } as const;

/**
 * The phases of a POST /v1/orders, told by the text of their statements (first match wins).
 * Before the first statement: HTTP parsing, authentication, the body's schema and its hash.
 */
export const ORDER_PHASES: readonly Phase[] = [
  { name: 'transaction (begin, commit)', matches: (t) => /^\s*(begin|commit|rollback)\b/i.test(t) },
  { name: 'idempotency key claimed', matches: (t) => /^\s*insert into idempotency_keys/i.test(t) },
  { name: 'idempotency response stored', matches: (t) => /^\s*update "?idempotency_keys/i.test(t) },
  // With the plan mode set for it alone (ADR 0044).
  {
    name: 'inputs read (validation + routing)',
    matches: (t) => /\bas "?channel"?\b|from channels where id|^\s*set local plan_cache_mode/i.test(t),
  },
  { name: 'order captured', matches: (t) => /with placed as/i.test(t) },
  { name: 'stock reserved (after planning)', matches: (t) => /stock_levels|stock_ledger|reservations/i.test(t) },
  { name: 'routing written (decision, allocations, work)', matches: (t) => /with decision as/i.test(t) },
  { name: 'order read back (response)', matches: (t) => /\border_lines\b|\borders\b/i.test(t) },
];
const BEFORE = 'HTTP, authentication, body hash';
const AFTER = 'response serialised and sent';

interface TableGrowth {
  table: string;
  inserted: number;
  updated: number;
  bytes: number;
}

export interface OrderCostResult {
  traced: number;
  /** Per traced order: its phases' times. */
  phases: PhaseTimes[];
  /** Statement texts (first line) and how often they ran, over the traced orders. */
  statements: Map<string, number>;
  growth: TableGrowth[];
  /** Average JSON text bytes of what an order stores, by what it is. */
  documents: { what: string; perOrder: number; bytes: number }[];
  api: DriveResult;
  apiCpu: CpuReading | undefined;
  /** The same orders on a server whose outbox followers are off: what capture alone costs. */
  capture: DriveResult;
  captureCpu: CpuReading | undefined;
  floor: DriveResult;
  floorCpu: CpuReading | undefined;
}

interface TableStats {
  table: string;
  ins: number;
  upd: number;
  bytes: number;
}

async function tableStats(database: Database): Promise<Map<string, TableStats>> {
  await database.db.execute(sql`select pg_stat_clear_snapshot()`);
  const rows = await query<TableStats>(
    database.db,
    sql`select relname as table, n_tup_ins::int as ins, n_tup_upd::int as upd, pg_total_relation_size(relid)::bigint::float8 as bytes
        from pg_stat_user_tables`,
  );
  return new Map(rows.map((r) => [r.table, r]));
}

function growthOf(before: Map<string, TableStats>, after: Map<string, TableStats>, orders: number): TableGrowth[] {
  return [...after.values()]
    .map((a) => {
      const b = before.get(a.table);
      return {
        table: a.table,
        inserted: (a.ins - (b?.ins ?? 0)) / orders,
        updated: (a.upd - (b?.upd ?? 0)) / orders,
        bytes: (a.bytes - (b?.bytes ?? 0)) / orders,
      };
    })
    .filter((g) => g.inserted > 0 || g.updated > 0 || g.bytes > 0)
    .sort((x, y) => y.bytes - x.bytes || y.inserted - x.inserted);
}

/** What each order's larger JSON documents weigh as text: the routing explanation, the stored response, the events. */
async function documentSizes(database: Database, prefix: string): Promise<OrderCostResult['documents']> {
  const rows = await query<{ what: string; n: number; orders: number; bytes: number }>(
    database.db,
    sql`with traced as (select id from orders where external_id like ${`${prefix}%`})
        select 'routing decision (explanation)' as what, count(*)::int as n, (select count(*)::int from traced) as orders,
               coalesce(avg(octet_length(d.explanation::text)), 0)::float8 as bytes
        from routing_decisions d where d.order_id in (select id from traced)
        union all
        select 'idempotency response', count(*)::int, (select count(*)::int from traced),
               coalesce(avg(octet_length(k.response_body::text)), 0)::float8
        from idempotency_keys k where k.key like ${`bench-${prefix}%`}
        union all
        select 'event ' || e.type, count(*)::int, (select count(*)::int from traced),
               coalesce(avg(octet_length(e.payload::text)), 0)::float8
        from events e where e.subject_id in (select id from traced) group by e.type`,
  );
  return rows.map((r) => ({ what: r.what, perOrder: r.orders > 0 ? r.n / r.orders : 0, bytes: r.bytes }));
}

export interface OrderCostSettings {
  durationMs: number;
  warmupMs: number;
  quick: boolean;
  postgresServerUrl: string;
  log: (line: string) => void;
}

/** Sends `count` orders one after another. */
async function sendOrders(url: string, apiKey: string, network: OrderNetwork, count: number, prefix: string) {
  const next = orderSampler(network, () => ORDER_LINES);
  const number = orderNumbers(prefix);
  const client = new ApiClient(url, apiKey, 1);
  try {
    for (let i = 0; i < count; i++) await client.expect(orderCall(network, next(), number()), [201]);
  } finally {
    client.close();
  }
}

/**
 * The outbox's followers (webhooks, automations, connectors, notifications) and the schedulers
 * off: each order's events are then written but not read back by the server.
 */
const FOLLOWERS_OFF = {
  CONSIGN_WEBHOOK_INTERVAL_MS: '0',
  CONSIGN_AUTOMATION_INTERVAL_MS: '0',
  CONSIGN_CONNECTOR_INTERVAL_MS: '0',
  CONSIGN_NOTIFY_INTERVAL_MS: '0',
  CONSIGN_SUBSCRIPTION_INTERVAL_MS: '0',
  CONSIGN_IDEMPOTENCY_PRUNE_INTERVAL_MS: '0',
};

type ServerTarget = { databaseUrl: string | undefined; apiKey: string };

/** Runs `work` against a `consign serve` started with `env`, stopped after it (and on an abort). */
async function withServer<T>(
  target: ServerTarget,
  env: Record<string, string>,
  work: (server: { url: string; pid: number }) => Promise<T>,
): Promise<T> {
  const server = await startServerProcess({ ...target, env });
  const stop = onCleanup({ name: 'stop the server under test', run: server.stop, runNow: server.kill });
  try {
    return await work(server);
  } finally {
    await stop();
  }
}

/** Orders at c=8 on a server without tracing started with `env`, with CPU per order. */
function measureOrders(
  target: ServerTarget,
  network: OrderNetwork,
  settings: OrderCostSettings,
  env: Record<string, string>,
): Promise<{ result: DriveResult; cpu: CpuReading | undefined }> {
  const options = {
    concurrency: ORDER_COST.concurrency,
    durationMs: settings.durationMs,
    warmupMs: settings.warmupMs,
    maxOps: 1_000_000,
    minOps: 3 * ORDER_COST.concurrency,
  };
  const next = orderSampler(network, () => ORDER_LINES);
  const number = orderNumbers('BENCH-COST-C8');
  return withServer(target, env, (server) =>
    withCpu(cpuMeter(server.pid), () =>
      generateLoad(server.url, target.apiKey, options, () => orderCall(network, next(), number()), [201]),
    ),
  );
}

/**
 * Where one order's time and bytes go on PostgreSQL: orders sent one at a time to a server that
 * traces its requests (OTLP, to a collector in this process) give each phase's database and
 * server time and the statements per order; PostgreSQL's table statistics before and after give
 * the rows and bytes each order writes. Then the same orders at c=8 on a server without tracing,
 * and the raw SQL floor on the same database, with CPU per order. A fresh database, removed after.
 */
export async function runOrderCost(settings: OrderCostSettings): Promise<OrderCostResult> {
  settings.log('postgres: creating a fresh database with the 50-location order network…');
  const bench = await createBenchDatabase('postgres', settings.postgresServerUrl);
  const dropDatabase = onCleanup({ name: 'remove the order-cost database', run: bench.drop });
  const collector = await startCollector();
  try {
    await migrateBenchDatabase(bench);
    const database = await bench.open(1);
    try {
      const network = await seedOrderNetwork(database);
      await database.db.execute(sql`analyze`);
      const apiKey = `csk_bench_${randomBytes(18).toString('base64url')}`;
      const traced = settings.quick ? ORDER_COST.quickTraced : ORDER_COST.traced;
      const target = { databaseUrl: bench.databaseUrl, apiKey };
      const tracing = { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: collector.tracesUrl, OTEL_SERVICE_NAME: 'consign-bench' };
      // Warm-up on its own server: its stopping flushes every backend's table statistics.
      await withServer(target, tracing, (warm) => sendOrders(warm.url, apiKey, network, traced, 'BENCH-COST-WARM'));
      const before = await tableStats(database);
      collector.clear();
      const prefix = `BENCH-COST-${randomBytes(3).toString('hex')}`;
      settings.log(`postgres: ${traced} traced orders one at a time…`);
      await withServer(target, tracing, (server) => sendOrders(server.url, apiKey, network, traced, prefix));
      const after = await tableStats(database);
      const requests = tracedRequests(collector.spans, 'POST /v1/orders');
      const statements = new Map<string, number>();
      for (const request of requests)
        for (const s of request.statements) {
          const key = s.text.replace(/\s+/g, ' ').trim().slice(0, 90);
          statements.set(key, (statements.get(key) ?? 0) + 1);
        }
      const result = {
        traced: requests.length,
        phases: requests.map((r) => phaseTimes(r, ORDER_PHASES, BEFORE, AFTER)),
        statements,
        growth: growthOf(before, after, traced),
        documents: await documentSizes(database, prefix),
      };
      settings.log(`postgres: orders at c=${ORDER_COST.concurrency} with and without the followers, then the floor…`);
      const measure = (env: Record<string, string>) => measureOrders(target, network, settings, env);
      const api = await measure({});
      const capture = await measure(FOLLOWERS_OFF);
      const floor = await withCpu(cpuMeter(), () =>
        postgresFloor(bench.databaseUrl!, orderTransaction(network), {
          concurrency: ORDER_COST.concurrency,
          durationMs: settings.durationMs,
          warmupMs: settings.warmupMs,
          maxOps: 10_000_000,
        }),
      );
      return {
        ...result,
        api: api.result,
        apiCpu: api.cpu,
        capture: capture.result,
        captureCpu: capture.cpu,
        floor: floor.result,
        floorCpu: floor.cpu,
      };
    } finally {
      await database.close();
    }
  } finally {
    await collector.close();
    await dropDatabase();
  }
}

/** The section of docs/benchmarks.md for the order-cost scenario. */
export const ORDER_COST_HEADING = '## Order cost: where one POST /v1/orders goes on PostgreSQL';

const sumOf = (map: Map<string, number>) => [...map.values()].reduce((a, b) => a + b, 0);
const kb = (bytes: number) => (bytes / 1024).toFixed(2);

/** Per phase: p50 database and server ms, the mean of both and its share of the mean request, statements per order. */
export function phaseTable(result: OrderCostResult): Table {
  const names = [BEFORE, ...ORDER_PHASES.map((p) => p.name), 'other', AFTER];
  const all = (pick: (t: PhaseTimes) => Map<string, number>, name: string) =>
    result.phases.map((t) => pick(t).get(name) ?? 0);
  const mean = (values: number[]) => (values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : 0);
  const total = mean(result.phases.map((t) => sumOf(t.databaseMs) + sumOf(t.serverMs)));
  const rows = names
    .map((name) => {
      const db = all((t) => t.databaseMs, name);
      const server = all((t) => t.serverMs, name);
      const both = mean(db) + mean(server);
      return { name, db, server, both, statements: mean(all((t) => t.statements, name)) };
    })
    .filter((r) => r.both > 0 || r.statements > 0)
    .map((r) => [
      r.name,
      millis(median(r.db)),
      millis(median(r.server)),
      millis(r.both),
      percent(total > 0 ? r.both / total : 0),
      r.statements.toFixed(1),
    ]);
  const statements = mean(result.phases.map((t) => sumOf(t.statements)));
  rows.push(['total', '', '', millis(total), '100%', statements.toFixed(1)]);
  return {
    title: `One order's time by phase (${result.traced} orders one at a time, traced)`,
    headers: ['Phase', 'Database p50 ms', 'Server p50 ms', 'Mean ms', 'Share', 'Statements'],
    numeric: new Set([1, 2, 3, 4, 5]),
    rows,
  };
}

/** Per table: rows inserted and updated and bytes added (heap, indexes, TOAST) per order. */
export function growthTable(result: OrderCostResult): Table {
  return {
    title: 'What one order writes, per table (PostgreSQL statistics, traced orders)',
    headers: ['Table', 'Rows inserted', 'Rows updated', 'KiB added'],
    numeric: new Set([1, 2, 3]),
    rows: [
      ...result.growth.map((g) => [g.table, g.inserted.toFixed(2), g.updated.toFixed(2), kb(g.bytes)]),
      [
        'total',
        result.growth.reduce((n, g) => n + g.inserted, 0).toFixed(2),
        result.growth.reduce((n, g) => n + g.updated, 0).toFixed(2),
        kb(result.growth.reduce((n, g) => n + g.bytes, 0)),
      ],
    ],
  };
}

export function documentTable(result: OrderCostResult): Table {
  return {
    title: 'What one order stores as JSON text (average bytes; what it weighs as stored may be compressed)',
    headers: ['Document', 'Per order', 'Bytes each'],
    numeric: new Set([1, 2]),
    rows: result.documents.map((d) => [d.what, d.perOrder.toFixed(2), integer(d.bytes)]),
  };
}

export function throughputTable(result: OrderCostResult): Table {
  const row = (name: string, run: DriveResult, cpu: CpuReading | undefined) => [
    name,
    integer(run.opsPerSec),
    millis(run.p50Ms),
    millis(run.p99Ms),
    integer(run.errors),
    cpu ? `${millis(cpu.serverMs)} + ${millis(cpu.postgresMs)} = ${millis(cpu.serverMs + cpu.postgresMs)}` : '—',
  ];
  const ofFloor = (run: DriveResult) => percent(run.opsPerSec / result.floor.opsPerSec);
  return {
    title: `Orders at c=${ORDER_COST.concurrency} beside the raw SQL floor on the same database`,
    headers: ['', 'Orders/s', 'p50 ms', 'p99 ms', 'Errors', 'CPU ms per order (server + PostgreSQL)'],
    numeric: new Set([1, 2, 3, 4]),
    rows: [
      row('POST /v1/orders', result.api, result.apiCpu),
      row('POST /v1/orders, outbox followers off', result.capture, result.captureCpu),
      row('floor', result.floor, result.floorCpu),
      ['API/floor (followers off)', `${ofFloor(result.api)} (${ofFloor(result.capture)})`, '', '', '', ''],
    ],
  };
}

/** Markdown for docs/benchmarks.md. */
export function orderCostSection(
  result: OrderCostResult,
  date: Date,
  durationMs: number,
  load: { start: number; end: number },
): string {
  const tables = [throughputTable(result), phaseTable(result), growthTable(result), documentTable(result)];
  return [
    ORDER_COST_HEADING,
    '',
    `\`npm run bench -- --scenario order-cost\` (${date.toISOString().slice(0, 10)}): the 50-location order network, 3 lines × 1 unit per order; ` +
      `${result.traced} orders sent one at a time to a server exporting traces, then ${durationMs} ms at c=${ORDER_COST.concurrency} on a server without tracing ` +
      `and the raw SQL floor (bench/order-floor.ts) right after on the same database. 1-minute load average ${load.start.toFixed(1)} at the start, ${load.end.toFixed(1)} at the end, on 2 cores. ` +
      'A statement’s time is its round trip as the server saw it (database); server time of a phase is the time between the previous statement’s end and its start. ' +
      'CPU per order is read from /proc over each c=8 row, warm-up included: the server’s own process, and every process of the PostgreSQL server (on a shared server, other databases’ work too).',
    '',
    ...tables.flatMap((t) => [`### ${t.title}`, '', renderMarkdown(t), '']),
  ].join('\n');
}
