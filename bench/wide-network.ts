import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { createProduct } from '../src/catalog/index.ts';
import { inTransaction, query, type Database, type Engine, type Tx } from '../src/db/index.ts';
import { createChannel, createLocationGroup } from '../src/network/index.ts';
import { seededRandom } from '../src/shared/random.ts';
import { ok } from '../src/shared/result.ts';
import { onCleanup } from './cleanup.ts';
import type { DriveResult } from './drive.ts';
import { generateLoad } from './loadgen.ts';
import { addBenchLocation, seedOrderNetwork, type OrderLocation, type OrderNetwork } from './order-network.ts';
import { ORDER_LINES, orderCall, orderNumbers, orderSampler } from './orders.ts';
import type { Random } from './planner.ts';
import { count, must, type StockPoint } from './seed.ts';
import { startServerProcess } from './server.ts';
import { createBenchDatabase, migrateBenchDatabase } from './setup.ts';
import { median, spread } from './stats.ts';
import { rateSpread } from './table.ts';

/** A large network: 2,000 locations, each SKU held by one to three of them. */
export const WIDE_NETWORK = { locations: 2_000, skus: 100, maxHolders: 3, onHand: 1_000_000 } as const;
export const WIDE_CONCURRENCY = 8;
/** Runs of each network, alternating, so a drift of the machine touches both alike. */
export const WIDE_RUNS = 3;
const WIDE_CHANNEL = 'wide';
const SEED = 2_000;

export interface WideRun {
  small: DriveResult;
  wide: DriveResult;
}

export interface WideNetworkResult {
  engine: Engine;
  runs: WideRun[];
  /** Bytes of the wide network's routing decisions as JSON text and as stored (compressed): median and largest. */
  decisionBytes: { median: number; max: number; storedMedian: number; storedMax: number };
  setupMs: number;
}

async function addWideLocations(tx: Tx, rand: Random): Promise<OrderLocation[]> {
  const locations: OrderLocation[] = [];
  for (let i = 1; i <= WIDE_NETWORK.locations; i++) {
    const code = `WIDE-${String(i).padStart(4, '0')}`;
    const type = i % 40 === 1 ? 'distribution_center' : 'store';
    locations.push(
      await addBenchLocation(tx, rand, { code, type, name: `Wide ${code}`, capabilities: ['ship', 'pickup'] }),
    );
  }
  return locations;
}

/**
 * The wide network beside the 50-location order network: 2,000 locations in a group of their
 * own sold by the `wide` channel, and 100 SKUs each counted in at one to three of them.
 */
async function seedWideNetwork(database: Database): Promise<OrderNetwork> {
  const rand = seededRandom(SEED);
  const result = await inTransaction(database.db, async (tx) => {
    const locations = await addWideLocations(tx, rand);
    const group = await createLocationGroup(tx, {
      code: 'bench-wide',
      name: 'Bench wide network',
      location_ids: locations.map((l) => l.id),
    });
    const groupId = must(group, 'wide location group').id;
    must(
      await createChannel(tx, { code: WIDE_CHANNEL, name: 'Bench wide', type: 'web', location_group_id: groupId }),
      'wide channel',
    );
    const skus = Array.from({ length: WIDE_NETWORK.skus }, (_, i) => `BENCH-W-${String(i + 1).padStart(3, '0')}`);
    for (const sku of skus) must(await createProduct(tx, { sku, name: `Wide item ${sku}`, weight_grams: 400 }), sku);
    return ok({ channel: WIDE_CHANNEL, locations, skus });
  });
  const network = must(result, 'wide network');
  const points: StockPoint[] = network.skus.flatMap((sku) => {
    const holders = new Set<string>();
    const wanted = 1 + Math.floor(rand() * WIDE_NETWORK.maxHolders);
    while (holders.size < wanted) holders.add(network.locations[Math.floor(rand() * network.locations.length)]!.id);
    return [...holders].map((locationId) => ({ sku, locationId }));
  });
  await count(database, 'bench-setup-wide', points, WIDE_NETWORK.onHand);
  return network;
}

/** POST /v1/orders at c=8 in `network` for `durationMs` after a warm-up; order numbers start with `prefix`. */
export function measureOrders(
  url: string,
  apiKey: string,
  network: OrderNetwork,
  durationMs: number,
  warmupMs: number,
  prefix: string,
): Promise<DriveResult> {
  const next = orderSampler(network, () => ORDER_LINES);
  const number = orderNumbers(prefix);
  const options = {
    concurrency: WIDE_CONCURRENCY,
    durationMs,
    warmupMs,
    maxOps: 1_000_000,
    minOps: 3 * WIDE_CONCURRENCY,
  };
  return generateLoad(url, apiKey, options, () => orderCall(network, next(), number()), [201]);
}

async function decisionSizes(database: Database): Promise<WideNetworkResult['decisionBytes']> {
  const rows = await query<{ bytes: number; stored: number }>(
    database.db,
    sql`select octet_length(d.explanation::text)::int as bytes, pg_column_size(d.explanation)::int as stored
        from routing_decisions d join orders o on o.id = d.order_id join channels c on c.id = o.channel_id
        where c.code = ${WIDE_CHANNEL}`,
  );
  const of = (values: number[]) => ({ median: values.length > 0 ? median(values) : 0, max: Math.max(0, ...values) });
  const text = of(rows.map((r) => r.bytes));
  const stored = of(rows.map((r) => r.stored));
  return { ...text, storedMedian: stored.median, storedMax: stored.max };
}

export interface WideSettings {
  durationMs: number;
  warmupMs: number;
  postgresServerUrl: string;
  log: (line: string) => void;
}

/**
 * POST /v1/orders at c=8 in the 50-location order network and in a 2,000-location one (each SKU
 * held by one to three locations), run after run on the same server and database: what routing
 * costs as the network grows. A fresh database, removed after.
 */
export async function runWideNetwork(engine: Engine, settings: WideSettings): Promise<WideNetworkResult> {
  const started = performance.now();
  settings.log(`${engine}: creating a fresh database with the 50- and ${WIDE_NETWORK.locations}-location networks…`);
  const bench = await createBenchDatabase(engine, settings.postgresServerUrl);
  const dropDatabase = onCleanup({ name: `remove the ${engine} wide-network database`, run: bench.drop });
  try {
    await migrateBenchDatabase(bench);
    const setup = await bench.open();
    let small: OrderNetwork;
    let wide: OrderNetwork;
    try {
      small = await seedOrderNetwork(setup);
      wide = await seedWideNetwork(setup);
      await setup.db.execute(sql`analyze`);
    } finally {
      await setup.close();
    }
    const setupMs = performance.now() - started;
    settings.log(`${engine}: networks ready in ${(setupMs / 1000).toFixed(1)} s; starting consign serve`);
    const apiKey = `csk_bench_${randomBytes(18).toString('base64url')}`;
    const server = await startServerProcess({ databaseUrl: bench.databaseUrl, dataDir: bench.dataDir, apiKey });
    const stopServer = onCleanup({ name: 'stop the server under test', run: server.stop, runNow: server.kill });
    const runs: WideRun[] = [];
    try {
      for (let run = 1; run <= WIDE_RUNS; run++) {
        const at = (network: OrderNetwork, prefix: string) =>
          measureOrders(server.url, apiKey, network, settings.durationMs, settings.warmupMs, `${prefix}${run}`);
        const smallRun = await at(small, 'BENCH-SMALL');
        const wideRun = await at(wide, 'BENCH-WIDE');
        settings.log(
          `  run ${run}: 50 locations ${smallRun.opsPerSec.toFixed(1)} orders/s (p99 ${smallRun.p99Ms.toFixed(1)} ms), ` +
            `${WIDE_NETWORK.locations} locations ${wideRun.opsPerSec.toFixed(1)} orders/s (p99 ${wideRun.p99Ms.toFixed(1)} ms)` +
            (smallRun.errors + wideRun.errors > 0
              ? `, errors ${smallRun.errors}/${wideRun.errors} (${smallRun.firstError ?? wideRun.firstError ?? '?'})`
              : ''),
        );
        runs.push({ small: smallRun, wide: wideRun });
      }
    } finally {
      await stopServer();
    }
    const after = await bench.open();
    try {
      return { engine, runs, decisionBytes: await decisionSizes(after), setupMs };
    } finally {
      await after.close();
    }
  } finally {
    await dropDatabase();
  }
}

const bytes = (value: number) => Math.round(value).toLocaleString('en-US');

/** The section of docs/benchmarks.md for the wide network. */
export const WIDE_HEADING = `## Orders in a ${WIDE_NETWORK.locations.toLocaleString('en-US')}-location network`;

/** Markdown: orders/s min / median / max in each network and the ratio of the medians, per engine. */
export function wideNetworkSection(
  results: WideNetworkResult[],
  date: Date,
  durationMs: number,
  load: { start: number; end: number },
): string {
  const rows = results.map((r) => {
    const small = spread(r.runs.map((x) => x.small.opsPerSec));
    const wide = spread(r.runs.map((x) => x.wide.opsPerSec));
    const p99 = median(r.runs.map((x) => x.wide.p99Ms));
    const errors = r.runs.reduce((n, x) => n + x.small.errors + x.wide.errors, 0);
    return (
      `| ${r.engine} | ${rateSpread(small)} ` +
      `| ${rateSpread(wide)} | ${(wide.median / small.median).toFixed(2)} ` +
      `| ${p99.toFixed(1)} | ${bytes(r.decisionBytes.median)} / ${bytes(r.decisionBytes.max)} ` +
      `| ${bytes(r.decisionBytes.storedMedian)} / ${bytes(r.decisionBytes.storedMax)} | ${errors} |`
    );
  });
  return [
    WIDE_HEADING,
    '',
    `\`npm run bench -- --scenario wide-network\` (${date.toISOString().slice(0, 10)}, ${WIDE_RUNS} runs of ${durationMs} ms each, alternating):`,
    `POST /v1/orders (${ORDER_LINES} lines × 1 unit, default rules) at c=${WIDE_CONCURRENCY} in the 50-location order network`,
    `and in a network of ${WIDE_NETWORK.locations.toLocaleString('en-US')} locations in one group, where each of ${WIDE_NETWORK.skus} SKUs is held by`,
    `1–${WIDE_NETWORK.maxHolders} locations, on one server and database. Routing reads and plans only the locations holding`,
    "the order's SKUs, so the two rates should be alike; the ratio is wide ÷ 50 of the medians.",
    `1-minute load average: ${load.start.toFixed(1)} when the scenario started, ${load.end.toFixed(1)} when it ended`,
    '(on 2 cores: other work on the machine lowers both rates alike, not their ratio).',
    '',
    '| engine | 50 locations, orders/s (min / median / max) | 2,000 locations, orders/s (min / median / max) | ratio | 2,000: p99 ms (median) | 2,000: decision as JSON, bytes (median / max) | 2,000: decision as stored, bytes (median / max) | errors |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
