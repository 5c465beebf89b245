import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Engine } from '../src/db/index.ts';
import { onCleanup } from './cleanup.ts';
import { CONTENTION, runKey, seedContention, type ContentionNetwork } from './contention-seed.ts';
import { drive } from './drive.ts';
import { ApiClient, generateLoad } from './loadgen.ts';
import type { OrderNetwork } from './order-network.ts';
import { orderCall, orderNumbers, orderSampler } from './orders.ts';
import { startServerProcess } from './server.ts';
import { createBenchDatabase, migrateBenchDatabase } from './setup.ts';
import { median, spread, summarize } from './stats.ts';
import { auditStock, soldOnce, type StockAudit } from './stock-audit.ts';
import { integer, rateSpread } from './table.ts';

/** Lines per contention order: 1 to 3 distinct SKUs, one unit each. */
const MAX_LINES = 3;
const WARMUP_CONCURRENCY = 8;

export interface ContentionRun {
  concurrency: number;
  /** 201: the order was placed (some of them with back-ordered units). */
  placed: number;
  /** Placed orders with at least one unit back-ordered. */
  backordered: number;
  /** 409 insufficient_stock: refused, nothing taken. */
  rejected: number;
  /** Anything else: a failure. */
  errors: number;
  firstError: string | undefined;
  elapsedMs: number;
  /** Whether every unit of the run's SKUs was allocated before the window ended. */
  soldOut: boolean;
  placedPerSec: number;
  placedP50Ms: number;
  placedP99Ms: number;
  rejectedP50Ms: number;
  audit: StockAudit;
}

export interface ContentionResult {
  engine: Engine;
  runs: ContentionRun[];
}

interface OrderAnswer {
  code?: string;
  lines?: { quantities: { allocated: number; backordered: number } }[];
}

/** The outcome of one POST /v1/orders against scarce stock, from its answer: units taken and whether some wait, or refused. */
export function classifyAnswer(status: number, body: string): { units: number; backordered: boolean } | 'rejected' {
  const json = status === 201 || status === 409 ? (JSON.parse(body) as OrderAnswer) : {};
  if (status === 409 && json.code === 'insufficient_stock') return 'rejected';
  if (status !== 201) throw new Error(`POST /v1/orders → ${status} ${body.slice(0, 300)}`);
  const lines = (json.lines ?? []).map((l) => l.quantities);
  return { units: lines.reduce((n, l) => n + l.allocated, 0), backordered: lines.some((l) => l.backordered > 0) };
}

/**
 * POST /v1/orders at `concurrency` on the run's SKUs until every unit is allocated or the window
 * ends; placed orders, back-orders and refusals are counted apart, each with its latency.
 */
async function measureContention(
  url: string,
  apiKey: string,
  network: OrderNetwork,
  concurrency: number,
  durationMs: number,
) {
  const stockUnits = network.skus.length * CONTENTION.holders * CONTENTION.onHand;
  const next = orderSampler(network, (random) => 1 + Math.floor(random() * MAX_LINES));
  const number = orderNumbers(`BENCH-SCARCE-C${concurrency}`);
  const client = new ApiClient(url, apiKey, concurrency);
  const placedMs: number[] = [];
  const rejectedMs: number[] = [];
  let taken = 0;
  let backordered = 0;
  try {
    const options = { concurrency, durationMs, warmupMs: 0, maxOps: 1_000_000, until: () => taken >= stockUnits };
    const result = await drive(options, async () => {
      const call = orderCall(network, next(), number());
      const started = performance.now();
      const response = await client.send(call);
      const outcome = classifyAnswer(response.status, response.body.toString('utf8'));
      const ms = performance.now() - started;
      if (outcome === 'rejected') return void rejectedMs.push(ms);
      placedMs.push(ms);
      taken += outcome.units;
      if (outcome.backordered) backordered += 1;
    });
    const placed = summarize(placedMs, 0, result.elapsedMs);
    return {
      concurrency,
      placed: placedMs.length,
      backordered,
      rejected: rejectedMs.length,
      errors: result.errors,
      firstError: result.firstError,
      elapsedMs: result.elapsedMs,
      soldOut: taken >= stockUnits,
      placedPerSec: placed.opsPerSec,
      placedP50Ms: placed.p50Ms,
      placedP99Ms: placed.p99Ms,
      rejectedP50Ms: summarize(rejectedMs, 0, result.elapsedMs).p50Ms,
    };
  } finally {
    client.close();
  }
}

export interface ContentionSettings {
  durationMs: number;
  warmupMs: number;
  postgresServerUrl: string;
  log: (line: string) => void;
}

type MeasuredRun = Omit<ContentionRun, 'audit'>;

/** Every run, alternating the concurrencies, each on its own fresh SKUs. */
async function measureRuns(url: string, apiKey: string, network: ContentionNetwork, settings: ContentionSettings) {
  const runs: { run: MeasuredRun; skus: string[] }[] = [];
  for (let run = 1; run <= CONTENTION.runs; run++) {
    for (const concurrency of CONTENTION.concurrencies) {
      const skus = network.runs.get(runKey(concurrency, run))!;
      const measured = await measureContention(url, apiKey, skus, concurrency, settings.durationMs);
      settings.log(
        `  run ${run}, c=${concurrency}: ${measured.placed} placed (${measured.backordered} back-ordered), ` +
          `${measured.rejected} refused in ${(measured.elapsedMs / 1000).toFixed(1)} s` +
          `${measured.soldOut ? ', sold out' : ''}; p99 ${measured.placedP99Ms.toFixed(1)} ms` +
          (measured.errors > 0 ? `, ${measured.errors} errors (${measured.firstError ?? '?'})` : ''),
      );
      runs.push({ run: measured, skus: skus.skus });
    }
  }
  return runs;
}

/**
 * POST /v1/orders at c=8 and c=32 against scarce stock, 3 runs each on fresh SKUs, then the
 * stock audited in SQL once the server has stopped. A fresh database, removed after.
 */
export async function runContention(engine: Engine, settings: ContentionSettings): Promise<ContentionResult> {
  settings.log(`${engine}: creating a fresh database with the contention network…`);
  const bench = await createBenchDatabase(engine, settings.postgresServerUrl);
  const dropDatabase = onCleanup({ name: `remove the ${engine} contention database`, run: bench.drop });
  try {
    await migrateBenchDatabase(bench);
    const setup = await bench.open();
    let network: ContentionNetwork;
    try {
      network = await seedContention(setup);
      await setup.db.execute(sql`analyze`);
    } finally {
      await setup.close();
    }
    const apiKey = `csk_bench_${randomBytes(18).toString('base64url')}`;
    const server = await startServerProcess({ databaseUrl: bench.databaseUrl, dataDir: bench.dataDir, apiKey });
    const stopServer = onCleanup({ name: 'stop the server under test', run: server.stop, runNow: server.kill });
    let measured: Awaited<ReturnType<typeof measureRuns>>;
    try {
      const warmup = { concurrency: WARMUP_CONCURRENCY, durationMs: settings.warmupMs, warmupMs: 0, maxOps: 100_000 };
      const next = orderSampler(network.warmup, () => 1);
      const number = orderNumbers('BENCH-SCARCE-WARM');
      await generateLoad(server.url, apiKey, warmup, () => orderCall(network.warmup, next(), number()), [201]);
      measured = await measureRuns(server.url, apiKey, network, settings);
    } finally {
      await stopServer();
    }
    // The embedded engine is one process: the audit reads the database once the server has gone.
    const after = await bench.open();
    try {
      const runs: ContentionRun[] = [];
      for (const { run, skus } of measured) runs.push({ ...run, audit: await auditStock(after.db, skus) });
      return { engine, runs };
    } finally {
      await after.close();
    }
  } finally {
    await dropDatabase();
  }
}

/** The section of docs/benchmarks.md for orders against scarce stock. */
export const CONTENTION_HEADING = '## Orders against limited stock: contention and oversell';

const tenths = (ms: number) => (Number.isFinite(ms) ? ms.toFixed(1) : '—');
const sum = (runs: ContentionRun[], pick: (run: ContentionRun) => number) => runs.reduce((n, r) => n + pick(r), 0);

/** One row per engine and concurrency: rates as min / median / max of the runs, counts as their median. */
function contentionRow(engine: Engine, runs: ContentionRun[]): string {
  const mid = (pick: (run: ContentionRun) => number) => median(runs.map(pick));
  const audits = runs.map((r) => r.audit);
  const proof =
    `${sum(runs, (r) => r.audit.overReserved)} of ${sum(runs, (r) => r.audit.levels)} levels; ` +
    `${integer(sum(runs, (r) => r.audit.unitsInOrders))} = ${integer(sum(runs, (r) => r.audit.unitsTaken))} units` +
    (audits.every(soldOnce) ? '' : ` (mismatch at ${sum(runs, (r) => r.audit.unmatched)} levels: OVERSOLD)`);
  return (
    `| ${engine} | ${runs[0]!.concurrency} | ${rateSpread(spread(runs.map((r) => r.placedPerSec)))} ` +
    `| ${mid((r) => r.placed)} | ${mid((r) => r.backordered)} | ${mid((r) => r.rejected)} ` +
    `| ${tenths(mid((r) => r.placedP50Ms))} | ${tenths(mid((r) => r.placedP99Ms))} | ${tenths(mid((r) => r.rejectedP50Ms))} ` +
    `| ${runs.filter((r) => r.soldOut).length} of ${runs.length}, ${(mid((r) => r.elapsedMs) / 1000).toFixed(1)} ` +
    `| ${proof} | ${sum(runs, (r) => r.errors)} |`
  );
}

export function contentionSection(
  results: ContentionResult[],
  date: Date,
  durationMs: number,
  load: { start: number; end: number },
): string {
  const rows = results.flatMap((result) =>
    CONTENTION.concurrencies.map((c) =>
      contentionRow(
        result.engine,
        result.runs.filter((r) => r.concurrency === c),
      ),
    ),
  );
  const units = CONTENTION.skus * CONTENTION.holders * CONTENTION.onHand;
  return [
    CONTENTION_HEADING,
    '',
    `\`npm run bench -- --scenario contention\` (${date.toISOString().slice(0, 10)}, ${CONTENTION.runs} runs per concurrency, alternating, each up to ${durationMs} ms):`,
    `POST /v1/orders (1–${MAX_LINES} distinct SKUs × 1 unit, default rules) at c=${CONTENTION.concurrencies.join(' and c=')} against scarce stock: ${CONTENTION.locations} locations,`,
    `and per run ${CONTENTION.skus} fresh SKUs, each counted in at ${CONTENTION.holders} of them with ${CONTENTION.onHand} units (${units} units a run). Every`,
    `${CONTENTION.backorderEvery}th SKU allows back-orders (the order is placed, the missing units wait); an order short of any`,
    'other SKU is refused with 409 insufficient_stock. A run ends when every unit is allocated or its window',
    `ends; orders before the runs, on SKUs that never run out, warm the server up. Rates are placed orders (201)`,
    'per second, min / median / max of the runs; counts, latencies and run lengths are medians over the runs; p50/p99 are of placed',
    `orders. Oversell check, in SQL once the server has stopped, over every stock level of the ${CONTENTION.runs} runs (summed): levels with`,
    "reserved > on_hand (must be 0), and the units allocated to the placed orders' lines = the units the ledger",
    "moved into reserved, with every level's reserved equal to both its orders' reserved allocations and its",
    'ledger movements.',
    `1-minute load average: ${load.start.toFixed(1)} when the scenario started, ${load.end.toFixed(1)} when it ended.`,
    '',
    '| engine | conc. | placed orders/s (min / median / max) | placed | of which back-ordered | refused (409) | p50 ms | p99 ms | refusal p50 ms | runs sold out; run length s | over on_hand; units in orders = units taken | errors |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: |',
    ...rows,
    '',
  ].join('\n');
}
