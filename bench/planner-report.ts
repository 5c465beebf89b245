import { benchPlanner, type PlannerBenchResult, type PlannerNetwork } from './planner.ts';
import { median, spread } from './stats.ts';
import { integer, millis, spreadText, type Table } from './table.ts';

/** Runs of each planner network, alternating, so a drift of the machine touches both alike. */
export const PLANNER_RUNS = 3;
const NETWORKS: readonly PlannerNetwork[] = ['default', 'split'];

/** One network's repeated runs (same seed and orders: only the timings differ from run to run). */
export interface PlannerRow {
  network: PlannerNetwork;
  runs: PlannerBenchResult[];
}

export const NETWORK_LABELS: Record<PlannerNetwork, string> = {
  default: 'broad stock',
  split: 'partial assortments (forces splits)',
};

/** Both planner networks, `PLANNER_RUNS` runs of `iterations` decisions each, alternating. */
export function measurePlannerRows(iterations: number, log: (line: string) => void): PlannerRow[] {
  const rows = NETWORKS.map((network) => ({ network, runs: [] as PlannerBenchResult[] }));
  for (let run = 1; run <= PLANNER_RUNS; run++) {
    for (const row of rows) {
      const result = benchPlanner({ iterations, network: row.network });
      log(
        `  planner run ${run}, ${row.network}: ${result.decisionsPerSecond.toFixed(0)} decisions/s, ` +
          `p50 ${result.p50Ms.toFixed(3)} ms, p99 ${result.p99Ms.toFixed(3)} ms, max ${result.maxMs.toFixed(2)} ms`,
      );
      row.runs.push(result);
    }
  }
  return rows;
}

/** The p99 of the median run: what a target is held against. */
export const medianP99 = (row: PlannerRow) => median(row.runs.map((r) => r.p99Ms));

const fine = (value: number) => (Number.isFinite(value) ? value.toFixed(3) : '—');
/** One decimal: 99.7% of decisions exhaustive is not 100%. */
const share = (value: number) => `${(value * 100).toFixed(1)}%`;
const spreadOf = (row: PlannerRow, pick: (r: PlannerBenchResult) => number, format: (v: number) => string) =>
  spreadText(spread(row.runs.map(pick)), format);

export function plannerTable(rows: PlannerRow[]): Table {
  const first = rows[0]!.runs[0]!;
  return {
    title: `Routing planner: ${first.linesPerOrder}-line orders × ${first.locations} locations, in memory, one core, ${PLANNER_RUNS} runs (min / median / max)`,
    headers: [
      'Network',
      'Decisions/run',
      'Decisions/s',
      'p50 ms',
      'p99 ms',
      'p99 ÷ broad',
      'Own p99 ms',
      'max ms',
      'Exhaustive',
      'Heuristic plan',
      'Split orders',
      'Shipments/order',
      'Rejected',
    ],
    numeric: new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]),
    rows: rows.map((row) => {
      const broad = rows.find((r) => r.network === 'default');
      // Outcomes do not vary between runs (same seed, same orders); the first run's stand for all.
      const outcome = row.runs[0]!;
      return [
        NETWORK_LABELS[row.network],
        integer(outcome.iterations),
        spreadOf(row, (r) => r.decisionsPerSecond, integer),
        spreadOf(row, (r) => r.p50Ms, fine),
        spreadOf(row, (r) => r.p99Ms, fine),
        broad ? (medianP99(row) / medianP99(broad)).toFixed(2) : '—',
        spreadOf(row, (r) => r.ownP99Ms, fine),
        spreadOf(row, (r) => r.maxMs, millis),
        share(outcome.exhaustiveShare),
        share(outcome.greedyShare),
        share(outcome.splitShare),
        outcome.meanShipments.toFixed(2),
        share(outcome.rejectedShare),
      ];
    }),
  };
}

/** The Method bullet of docs/benchmarks.md for the planner's networks and runs. */
export const PLANNER_METHOD = `- Routing planner networks: "broad stock" is the routing planner's network described above; "partial assortments" has the same 200 locations, each store holding a random 20–40% of the 500 SKUs and each distribution centre 40–60% (never all), 1–3 units a store and 1–8 a centre, so most orders cannot ship whole from one location. The same 1,000 orders (seeded) are planned in both. Each network is run ${PLANNER_RUNS} times, alternating; rates and latencies are shown as min / median / max over the runs, and a target holds the median run's p99. p99 ÷ broad: the median p99s' ratio, which other work on the machine moves less than either. Own p99: each of the 1,000 orders planned 5 more times, its fastest timing kept, and the p99 of those: the planner's own cost, which preemption by other work hardly moves (the p99 column includes it, and collector pauses). Exhaustive: the search finished within its work bound (otherwise the best plan found is kept and flagged); heuristic plan: the bounded search kept the greedy cover's plan; split orders: decisions that ship from more than one location.`;
