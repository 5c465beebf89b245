/**
 * Routing simulation benchmark (`--scenario simulation`): 5,000 past orders of the 50-location
 * order network, spread over 30 days with delivery points across the US, replayed under the
 * default rules and a draft that trades distance for stock depth.
 *
 * - replay: the in-memory replay (both rule sets, stock rebuilt from the ledger or replayed, the
 *   figures), on one core, 3 runs — against the planner alone on a network of the same size
 *   (`benchPlanner`, 50 locations, 2 lines), measured in the same run: its decisions/s ÷ 2 is
 *   the most a replay of two rule sets could do;
 * - job: `runSimulation` end to end (reading the inputs, replaying, storing changed orders
 *   and the result), twice, and whether the two results are byte-identical.
 */
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { query, type Engine } from '../src/db/index.ts';
import { defaultRoutingRules, type RoutingRules } from '../src/routing/index.ts';
import {
  claimSimulation,
  createSimulation,
  loadSimulationInputs,
  replay,
  runSimulation,
  SimulationReport,
  type StockBasis,
} from '../src/simulations/index.ts';
import { onCleanup } from './cleanup.ts';
import { benchPlanner } from './planner.ts';
import { seedOrderNetwork } from './order-network.ts';
import { seedHistory } from './scale-seed.ts';
import { createBenchDatabase, migrateBenchDatabase } from './setup.ts';
import { median, spread, type Spread } from './stats.ts';
import { integer, rateSpread } from './table.ts';

export const SIMULATION = { orders: 5_000, days: 30, runs: 3 } as const;
const DAY_MS = 86_400_000;

/** The draft under test: freight and distance count for nothing, taking a small share of a location's stock for a lot. */
const DRAFT: RoutingRules = {
  ...defaultRoutingRules,
  weights: { ...defaultRoutingRules.weights, cost: 0, distance: 0, balance: 100_000 },
};

interface BasisResult {
  basis: StockBasis;
  replay: Spread;
  changed: number;
  /** Orders each rule set routed in full, and its split rate. */
  allocated: [number, number];
  splitRate: [number, number];
}

export interface SimulationBenchResult {
  engine: Engine;
  orders: number;
  locations: number;
  loadMs: number;
  bases: BasisResult[];
  /** The planner alone on 50 locations, 2 lines: decisions/s ÷ 2 (two rule sets per order). */
  floor: Spread;
  job: { seconds: number[]; identical: boolean; ordersPerSec: number; bytesPerChange: number };
}

export async function runSimulationBench(
  engine: Engine,
  settings: { postgresServerUrl: string; log: (line: string) => void },
): Promise<SimulationBenchResult> {
  const bench = await createBenchDatabase(engine, settings.postgresServerUrl);
  const dropDatabase = onCleanup({ name: `remove the ${engine} simulation database`, run: bench.drop });
  try {
    await migrateBenchDatabase(bench);
    const database = await bench.open();
    try {
      settings.log(`${engine}: the 50-location order network and ${integer(SIMULATION.orders)} past orders…`);
      const now = Date.now();
      const startsAt = new Date(now - SIMULATION.days * DAY_MS);
      const network = await seedOrderNetwork(database);
      // The network's stock was counted just now; date the counts before the history they stocked
      // (the ledger is append-only: its guard is lifted for this one set-up statement).
      await database.db.execute(sql`alter table inventory_ledger disable trigger inventory_ledger_append_only`);
      await database.db.execute(sql`
        update inventory_ledger set occurred_at = ${new Date(startsAt.getTime() - 2 * DAY_MS).toISOString()}::timestamptz
        where occurred_at >= ${new Date(now - 3_600_000).toISOString()}::timestamptz`);
      await database.db.execute(sql`alter table inventory_ledger enable trigger inventory_ledger_append_only`);
      await seedHistory(database, {
        from: 1,
        count: SIMULATION.orders,
        chunk: 5_000,
        channelIds: [
          (await query<{ id: string }>(database.db, sql`select id from channels where code = 'web'`))[0]!.id,
        ],
        locationIds: network.locations.map((l) => l.id),
        skus: network.skus,
        customers: 1_000,
        startsAt,
        endsAt: new Date(now),
        total: SIMULATION.orders,
        onProgress: () => {},
      });
      // Delivery points across the contiguous US, fixed by each order's ID.
      await database.db.execute(sql`
        update orders set destination_latitude = 30 + (abs(hashtext(id)) % 1800) / 100.0,
                          destination_longitude = -120 + (abs(hashtext(id || 'x')) % 4500) / 100.0`);
      const selection = {
        from: new Date(startsAt.getTime() - DAY_MS).toISOString(),
        to: new Date(now + DAY_MS).toISOString(),
      };
      let started = performance.now();
      const inputs = await loadSimulationInputs(database.db, selection);
      const loadMs = performance.now() - started;
      const ruleSets = [
        { version: null, rules: defaultRoutingRules },
        { version: null, rules: DRAFT },
      ] as const;
      const bases: BasisResult[] = [];
      const floors: number[] = [];
      for (const basis of ['ledger', 'replay'] as const) {
        const rates: number[] = [];
        let last: SimulationReport | undefined;
        for (let run = 0; run < SIMULATION.runs; run++) {
          const report = new SimulationReport(inputs.locations);
          started = performance.now();
          for (const { order, decisions } of replay(inputs, ruleSets, basis)) report.add(order, decisions);
          report.figures();
          report.load();
          rates.push(inputs.orders.length / ((performance.now() - started) / 1000));
          last = report;
          floors.push(
            benchPlanner({ iterations: 4_000, locations: 50, linesPerOrder: 2, seed: run + 1 }).decisionsPerSecond / 2,
          );
        }
        const { baseline, draft } = last!.figures();
        bases.push({
          basis,
          replay: spread(rates),
          changed: last!.changed,
          allocated: [baseline.allocated, draft.allocated],
          splitRate: [baseline.split_rate, draft.split_rate],
        });
        settings.log(`  ${basis}: ${rateSpread(spread(rates))} orders/s, ${integer(last!.changed)} changed`);
      }
      const seconds: number[] = [];
      const hashes: string[] = [];
      for (let run = 0; run < 2; run++) {
        const parameters = {
          ...selection,
          channel_id: null,
          stock_basis: 'replay' as const,
          baseline_version: null,
          draft_version: null,
          draft_rules: DRAFT,
        };
        const created = await createSimulation(database.db, parameters, 'bench');
        const claimed = (await claimSimulation(database.db, created.id))!;
        started = performance.now();
        await runSimulation(database.db, claimed);
        seconds.push((performance.now() - started) / 1000);
        const [row] = await query<{ status: string; result: string }>(
          database.db,
          sql`select status, result::text as result from routing_simulations where id = ${created.id}`,
        );
        if (row?.status !== 'succeeded') throw new Error(`the simulation ${created.id} did not succeed`);
        hashes.push(createHash('sha256').update(row.result).digest('hex'));
      }
      const [stored] = await query<{ bytes: string }>(
        database.db,
        sql`select coalesce(avg(octet_length(body::text)), 0)::bigint as bytes from routing_simulation_changes`,
      );
      return {
        engine,
        orders: inputs.orders.length,
        locations: inputs.locations.length,
        loadMs,
        bases,
        floor: spread(floors),
        job: {
          seconds,
          identical: hashes[0] === hashes[1],
          ordersPerSec: inputs.orders.length / median(seconds),
          bytesPerChange: Number(stored?.bytes ?? 0),
        },
      };
    } finally {
      await database.close();
    }
  } finally {
    await dropDatabase();
  }
}

export const SIMULATION_HEADING = '## Routing simulation: past orders replayed under two rule sets';

/** Markdown: replay orders/s per stock basis against the planner floor, and the job end to end. */
export function simulationSection(
  results: SimulationBenchResult[],
  date: Date,
  load: { start: number; end: number },
): string {
  const rows = results.flatMap((r) =>
    r.bases.map(
      (b) =>
        `| ${r.engine} | ${b.basis} | ${rateSpread(b.replay)} | ${rateSpread(r.floor)} | ${((b.replay.median / r.floor.median) * 100).toFixed(0)}% | ${integer(b.changed)} | ${b.allocated.map(integer).join(' / ')} | ${b.splitRate.map((x) => `${(x * 100).toFixed(1)}%`).join(' / ')} | ${b.replay.min >= 2_000 ? 'met' : 'missed'} |`,
    ),
  );
  const jobs = results.map(
    (r) =>
      `| ${r.engine} | ${integer(r.orders)} | ${integer(r.loadMs)} | ${r.job.seconds.map((s) => s.toFixed(2)).join(', ')} | ${integer(r.job.ordersPerSec)} | ${integer(r.job.bytesPerChange / 1024)} | ${r.job.identical ? 'yes' : 'NO'} |`,
  );
  return [
    SIMULATION_HEADING,
    '',
    `\`npm run bench -- --scenario simulation\` (${date.toISOString().slice(0, 10)}): ${integer(SIMULATION.orders)} past orders of the`,
    `50-location order network over ${SIMULATION.days} days (1–3 lines, delivery points across the US), replayed under the default`,
    'rules and a draft that ignores distance and freight and spares thin stock (balance weight 100,000).',
    `Replay: in memory on one core, both rule sets and the figures, ${SIMULATION.runs} runs per stock basis (min / median / max).`,
    'Floor: the routing planner alone on 50 locations and 2-line orders in the same run, decisions/s ÷ 2',
    '(two decisions per replayed order). Target: ≥ 2,000 orders/s of replay on one core.',
    `1-minute load average: ${load.start.toFixed(1)} when the scenario started, ${load.end.toFixed(1)} when it ended.`,
    '',
    '| engine | stock basis | replay, orders/s | floor, orders/s | replay/floor | changed orders | routed in full (active / draft) | split rate (active / draft) | ≥ 2,000/s (min) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    'The job end to end (`runSimulation`: read the inputs, replay, store the changed orders and the result), replay basis,',
    'twice; identical = the two stored results hash the same.',
    '',
    '| engine | orders | reading the inputs, ms | seconds (two runs) | orders/s | kB stored per changed order | identical |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...jobs,
    '',
  ].join('\n');
}
