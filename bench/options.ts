import { parseArgs } from 'node:util';

export type EngineChoice = 'pglite' | 'postgres' | 'both';
/**
 * all: every scenario; planner: only the routing planner on its two networks; contention: only
 * orders against scarce stock with the oversell audit; wide-network: only the orders in the 50- and 2,000-location networks;
 * processes: only orders over 1, 2 and 4 server processes on one PostgreSQL; scale: capture and
 * the console's reads at 0, 100,000 and 1,000,000 orders of history; webhooks: only webhook
 * delivery and JetStream publishing, 3 runs; holds: only the holds rows and their floors, 3 runs;
 * order-cost: where one order's time, statements, rows and bytes go on PostgreSQL, beside the floor;
 * history-import: closed orders imported as they were, in orders per second, 3 runs.
 */
export type ScenarioChoice =
  | 'all'
  | 'planner'
  | 'contention'
  | 'wide-network'
  | 'processes'
  | 'scale'
  | 'webhooks'
  | 'holds'
  | 'order-cost'
  | 'simulation'
  | 'history-import';
const SCENARIOS: readonly ScenarioChoice[] = [
  'all',
  'planner',
  'contention',
  'wide-network',
  'processes',
  'scale',
  'webhooks',
  'holds',
  'order-cost',
  'simulation',
  'history-import',
];

export interface BenchOptions {
  /** Undefined: both when PostgreSQL is reachable, else PGlite. */
  engine: EngineChoice | undefined;
  durationMs: number;
  quick: boolean;
  scenario: ScenarioChoice;
  /** Runs of each row of the main scenario (`all`) or of `holds`, shown as min / median / max when more than one. */
  runs: number;
  help: boolean;
}

export const DEFAULT_DURATION_MS = 3_000;
const QUICK_DURATION_MS = 700;
const MIN_DURATION_MS = 200;
const MAX_DURATION_MS = 600_000;
const MAX_RUNS = 10;
/** Runs of each row of `--scenario holds` unless --runs says otherwise. */
const HOLDS_RUNS = 3;

export const HELP = `Usage: npm run bench -- [options]

Measures Consign through HTTP against a server in a child process (holds, availability, feeds,
orders, order-to-delivered flows, order changes, webhook delivery), next to the raw SQL floor on the same
database, plus the routing planner in memory; prints the results and writes docs/benchmarks.md.

Options:
  --engine <pglite|postgres|both>  Engines to measure. Default: both when DATABASE_URL is set or a
                                   PostgreSQL server answers on 127.0.0.1:5432 (user postgres),
                                   else pglite.
  --duration-ms <ms>               Measured time per scenario, after a warm-up (default ${DEFAULT_DURATION_MS}).
  --runs <n>                       Scenario all: runs of each holds, availability, orders, flows and
                                   order-changes row and of each floor, one after another (default 1,
                                   at most ${MAX_RUNS}); rates are shown as min / median / max and the
                                   median run gives the row's latencies. --runs 3 --duration-ms 10000
                                   is 3 runs × 10 s. The planner always runs 3 times; the other
                                   scenarios run 3 times each.
  --quick                          Short scenarios (${QUICK_DURATION_MS} ms), two feeds, fewer planner decisions and
                                   webhook events: checks that the bench works. Does not write
                                   docs/benchmarks.md.
  --scenario <all|planner|contention|wide-network|processes|scale|webhooks|holds|order-cost|simulation|history-import>
                                   all (default): every scenario. planner: only the routing
                                   planner in memory, on broad stock and on partial assortments
                                   that force splits, 3 runs each; prints its table and targets, writes
                                   nothing. contention: only POST /v1/orders at c=8 and c=32
                                   against scarce stock (20 fresh SKUs × 3 locations × 10 units a
                                   run), 3 runs each, until the stock is sold out or the window
                                   ends (PGlite may need a minute or more: --duration-ms 90000),
                                   then the stock audited in SQL for oversell; writes only its own section of
                                   docs/benchmarks.md. wide-network: only POST /v1/orders
                                   at c=8 in the 50-location order network and in a 2,000-location
                                   network (each SKU held by 1–3 locations), 3 runs each; writes only
                                   its own section of docs/benchmarks.md. processes: only POST
                                   /v1/orders at a total c=16 sent round-robin over 1, 2 and 4
                                   \`consign serve\` processes on one PostgreSQL database (2 and 4
                                   also with the outbox followers in the first process only), 3
                                   runs each, with CPU per order and the order floor; PostgreSQL only
                                   (the embedded engine is one process); writes only its own
                                   section of docs/benchmarks.md. scale: POST /v1/orders at c=8
                                   (3 runs) and the console's reads (order search by number,
                                   e-mail, status + channel, SKU and 30 days; customer 360; every
                                   report over 30 days), p50/p99, on an empty database and with
                                   100,000 and 1,000,000 orders of history seeded in bulk (--quick:
                                   2,000 and 10,000); one engine (--engine, default postgres);
                                   writes only its own section of docs/benchmarks.md. webhooks:
                                   only webhook delivery (a burst of 2,000 events, then 300
                                   events/s), 3 runs on one server per engine, and the same
                                   events read from JetStream by a consumer when a NATS server
                                   answers on 127.0.0.1:4222; prints its table and targets,
                                   writes nothing. holds: only the holds rows (one hot SKU and
                                   spread, c=1, 8 and 32) and their floors, 3 runs each (--runs
                                   sets it, up to 10); prints its table and targets, writes nothing.
                                   order-cost: where one POST /v1/orders goes on PostgreSQL:
                                   orders sent one at a time to a server that exports traces
                                   give each phase's database and server time and the
                                   statements per order; the table statistics give the rows and
                                   bytes per table; then orders at c=8 and the raw SQL floor
                                   with CPU per order; PostgreSQL only; writes only its own
                                   section of docs/benchmarks.md. simulation: 5,000 past
                                   orders replayed under two rule sets in memory (3 runs per
                                   stock basis, against the planner alone), then the job end
                                   to end twice with its results compared; writes only its own
                                   section of docs/benchmarks.md.
                                   history-import: 20,000 delivered orders (--quick: 2,000)
                                   imported as they were through the path of \`consign import
                                   history\`, from JSON-lines text to committed rows, 3 runs per
                                   engine, each into a channel of its own; prints orders/s (min /
                                   median / max), writes nothing.
  --help                           Show this help.

PostgreSQL: the bench creates its own database on the server of DATABASE_URL (or the default
above) and drops it at the end. The server under test inherits CONSIGN_DB_POOL_SIZE.`;

/** A mistake on the command line: shown as one line with a pointer to --help, no stack. */
export class UsageError extends Error {}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: {
        engine: { type: 'string' },
        'duration-ms': { type: 'string' },
        quick: { type: 'boolean', default: false },
        runs: { type: 'string' },
        scenario: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parse(argv);
  const engine = values.engine;
  if (engine !== undefined && engine !== 'pglite' && engine !== 'postgres' && engine !== 'both') {
    throw new UsageError(`--engine must be pglite, postgres or both (got "${engine}")`);
  }
  const scenario = (values.scenario ?? 'all') as ScenarioChoice;
  if (!SCENARIOS.includes(scenario)) {
    throw new UsageError(`--scenario must be ${SCENARIOS.join(', ')} (got "${scenario}")`);
  }
  if (scenario === 'scale' && engine === 'both') {
    throw new UsageError('--scenario scale measures one engine at a time (--engine postgres or --engine pglite)');
  }
  if ((scenario === 'processes' || scenario === 'order-cost') && (engine === 'pglite' || engine === 'both')) {
    throw new UsageError(
      scenario === 'processes'
        ? '--scenario processes runs several server processes on one PostgreSQL database; the embedded engine is one process (use --engine postgres or leave --engine out)'
        : "--scenario order-cost reads PostgreSQL's table statistics (use --engine postgres or leave --engine out)",
    );
  }
  const quick = values.quick ?? false;
  let durationMs = quick ? QUICK_DURATION_MS : DEFAULT_DURATION_MS;
  if (values['duration-ms'] !== undefined) {
    durationMs = Number(values['duration-ms']);
    if (!Number.isInteger(durationMs) || durationMs < MIN_DURATION_MS || durationMs > MAX_DURATION_MS) {
      throw new UsageError(`--duration-ms must be an integer from ${MIN_DURATION_MS} to ${MAX_DURATION_MS}`);
    }
  }
  const runs = values.runs === undefined ? (scenario === 'holds' ? HOLDS_RUNS : 1) : Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1 || runs > MAX_RUNS) {
    throw new UsageError(`--runs must be an integer from 1 to ${MAX_RUNS}`);
  }
  if (values.runs !== undefined && scenario !== 'all' && scenario !== 'holds') {
    throw new UsageError(`--runs repeats the rows of --scenario all; ${scenario} has its own runs`);
  }
  return { engine, durationMs, quick, scenario, runs, help: values.help ?? false };
}
