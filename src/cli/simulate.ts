import fs from 'node:fs';
import { Command, Option } from 'commander';
import { loadConfig } from '../config.ts';
import type { Simulation, SimulationRequest } from '../simulations/index.ts';
import { withDatabase } from './database.ts';
import { CliError } from './errors.ts';
import { formatTable } from './keys-list.ts';
import { drawBar } from './progress.ts';

interface SimulateOptions {
  from?: string;
  to?: string;
  orders?: string;
  orderSet?: string;
  stockAt?: string;
  rulesVersion?: string;
  rulesFile?: string;
  baselineVersion?: string;
  channel?: string;
  stockBasis?: 'ledger' | 'replay';
  changes: string;
  out?: string;
  json?: boolean;
}

const positive = (value: string | undefined, flag: string): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new CliError(`${flag} must be a whole number of at least 1, not ${value}.`);
  return n;
};

function request(options: SimulateOptions): SimulationRequest {
  let rules: unknown;
  if (options.rulesFile !== undefined) {
    try {
      rules = JSON.parse(fs.readFileSync(options.rulesFile, 'utf8'));
    } catch (error) {
      throw new CliError(`Cannot read the rules in ${options.rulesFile}: ${(error as Error).message}`);
    }
  }
  return {
    from: options.from,
    to: options.to,
    order_set: options.orderSet,
    // An uploaded file's --channel names its orders' channel: the whole set is replayed.
    channel: options.orders === undefined ? options.channel : undefined,
    stock_basis: options.stockBasis,
    rules_version: positive(options.rulesVersion, '--rules-version'),
    baseline_version: positive(options.baselineVersion, '--baseline-version'),
    rules,
  };
}

/** A progress bar on stderr when it is a terminal, redrawn at most every 200 ms. */
function progressBar() {
  const stream = process.stderr;
  let drawnAt = 0;
  return {
    update: (done: number, total: number) => {
      if (!stream.isTTY || (Date.now() - drawnAt < 200 && done < total)) return;
      drawnAt = Date.now();
      drawBar(
        stream,
        'Replaying',
        total === 0 ? 1 : done / total,
        `${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} orders`,
      );
    },
    finish: () => {
      if (stream.isTTY && drawnAt > 0) stream.write('\n');
    },
  };
}

/** The orders of a file: a JSON array, or JSON lines (one order per line). */
function readOrders(file: string): unknown[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`Cannot read ${file}: ${(error as Error).message}`);
  }
  const trimmed = text.trim();
  try {
    if (trimmed.startsWith('[')) return JSON.parse(trimmed) as unknown[];
    return trimmed
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as unknown);
  } catch (error) {
    throw new CliError(`${file} is neither a JSON array of orders nor JSON lines: ${(error as Error).message}`);
  }
}

type Figures = Record<string, number | Record<string, number> | { currency: string; minor: number }[]>;

const ROWS: [key: string, label: string][] = [
  ['orders', 'orders'],
  ['allocated', 'allocated'],
  ['partially_allocated', 'partly back-ordered'],
  ['unroutable', 'unroutable'],
  ['backordered_units', 'units back-ordered'],
  ['shipments', 'shipments'],
  ['shipments_per_order', 'shipments per order'],
  ['split_rate', 'split rate'],
  ['distance_km', 'distance, km'],
  ['distance_km_per_shipment', 'km per shipment'],
  ['on_time_rate', 'shipments on time'],
  ['days_late', 'days late'],
];

const money = (costs: { currency: string; minor: number }[]) =>
  costs.map((c) => `${(c.minor / 100).toFixed(2)} ${c.currency}`).join(', ') || '0';

/** The figures of both rule sets side by side, with the draft's difference. */
function figuresTable(result: { baseline: Figures; draft: Figures; delta: Figures }): string {
  const cell = (figures: Figures, key: string) => {
    const value = figures[key];
    return typeof value === 'number' ? value.toLocaleString('en-US') : '';
  };
  const rows = ROWS.map(([key, label]) => [
    label,
    cell(result.baseline, key),
    cell(result.draft, key),
    cell(result.delta, key),
  ]);
  const cost = (f: Figures) => money(f.shipping_cost as { currency: string; minor: number }[]);
  rows.push(['shipping cost', cost(result.baseline), cost(result.draft), cost(result.delta)]);
  return formatTable(['', 'active', 'draft', 'draft − active'], rows);
}

interface Change {
  order_id: string;
  external_id: string;
  baseline: { status: string; allocations: { location_id: string }[]; explanation: { summary: string } };
  draft: { status: string; allocations: { location_id: string }[]; explanation: { summary: string } };
}

const where = (d: Change['baseline']) =>
  d.allocations.length === 0 ? d.status : [...new Set(d.allocations.map((a) => a.location_id))].join(' + ');

function report(simulation: Simulation, changes: Change[]): string {
  const result = simulation.result as {
    baseline: Figures;
    draft: Figures;
    delta: Figures;
    changed_orders: number;
    orders: number;
    stock_basis_note: string;
  };
  const lines = [
    `Simulation ${simulation.id}: ${result.orders.toLocaleString('en-US')} orders replayed, ${result.changed_orders.toLocaleString('en-US')} decided otherwise by the draft.`,
    result.stock_basis_note,
    '',
    figuresTable(result),
  ];
  if (changes.length > 0) {
    lines.push('', `First ${changes.length} changed order(s):`);
    lines.push(
      formatTable(
        ['order', 'active', 'draft'],
        changes.map((c) => [c.external_id, where(c.baseline), where(c.draft)]),
      ),
    );
  }
  lines.push('', `Every changed order with both explanations: GET /v1/routing/simulations/${simulation.id}/changes`);
  return lines.join('\n');
}

export function simulateCommand(): Command {
  return new Command('simulate')
    .description(
      'Replay the orders of a period under draft routing rules and the active ones, and report what would change.',
    )
    .option('--from <time>', 'first day or instant of the period (orders placed from then), e.g. 2026-11-01')
    .option('--to <time>', 'end of the period (orders placed before then), e.g. 2026-12-01')
    .option(
      '--orders <file>',
      'or: replay the orders of this file (JSON array or JSON lines), uploaded as an order set',
    )
    .option('--order-set <id>', 'or: replay an order set uploaded before (POST /v1/routing/order-sets)')
    .option('--stock-at <time>', 'with --orders: replay on the stock the ledger had then (default: now)')
    .option('--rules-version <n>', 'the saved rules version to test (usually a draft: PUT /v1/routing/rules)')
    .option('--rules-file <file>', 'or: a JSON file of rules to test, in the shape of GET /v1/routing/rules')
    .option('--baseline-version <n>', 'the version to compare with (default: the active one)')
    .option(
      '--channel <id>',
      "only this channel's orders (ID or code); with --orders, the channel of orders naming none",
    )
    .addOption(
      new Option(
        '--stock-basis <basis>',
        "ledger: stock as each order met it; replay: from the period's start",
      ).choices(['ledger', 'replay']),
    )
    .option('--changes <n>', 'list this many changed orders', '10')
    .option('--out <file>', 'write the simulation with its figures and every changed order as JSON')
    .option('--json', 'print the simulation as JSON instead of tables')
    .addHelpText(
      'after',
      `
Nothing live changes: stock, orders and rules are only read. Each order is planned as capture
would plan it, at the time it was received, under both rule sets. With --stock-basis ledger (the
default) both see the stock the order really met, rebuilt from the inventory ledger; with replay,
stock starts as it was at --from and each rule set's own decisions take from it, so a rule that
drains a location shows in the orders after. The same inputs give the same result, byte for byte.

With --orders, the file's orders (external_id, channel, placed_at, shipping_address, lines of
sku and quantity: docs/routing-simulation.md) are checked and stored as an order set first; the
rejected ones are listed (row, field, problem) and left out. A set replays on the stock the
ledger had at --stock-at, taken by each rule set's own decisions; --order-set replays it again.

The simulation is stored like one made by POST /v1/routing/simulations; the console shows it.
With the embedded database, stop the server first.

Examples:
  $ consign simulate --from 2026-11-01 --to 2026-12-01 --rules-version 7
  $ consign simulate --from 2026-11-01 --to 2026-11-08 --rules-file draft.json --stock-basis replay --out sim.json
  $ consign simulate --orders black-friday.jsonl --channel web --rules-version 7`,
    )
    .action(async (options: SimulateOptions) => {
      const asked = request(options);
      const listed = positive(options.changes, '--changes') ?? 10;
      const bar = progressBar();
      const { simulation, changes } = await withDatabase(
        loadConfig(),
        async ({ db }) => {
          const sims = await import('../simulations/index.ts');
          if (options.orders !== undefined) {
            const { inTransaction } = await import('../db/index.ts');
            const upload = {
              name: options.orders,
              channel: options.channel,
              stock_at: options.stockAt,
              orders: readOrders(options.orders),
            };
            const uploaded = await inTransaction(db, (tx) => sims.createOrderSet(tx, upload, 'cli'));
            if (!uploaded.ok) throw new CliError(uploaded.problem.detail);
            const { order_set: set, rejected } = uploaded.value;
            process.stderr.write(`Order set ${set.id}: ${set.orders.toLocaleString('en-US')} orders stored`);
            process.stderr.write(
              rejected.length === 0 ? '.\n' : `, ${new Set(rejected.map((r) => r.row)).size} rejected:\n`,
            );
            if (rejected.length > 0)
              process.stderr.write(
                `${formatTable(
                  ['row', 'field', 'problem'],
                  rejected.slice(0, 20).map((r) => [String(r.row), r.field, r.problem]),
                )}\n${rejected.length > 20 ? `… and ${rejected.length - 20} more problems\n` : ''}`,
              );
            asked.order_set = set.id;
          }
          const parameters = await sims.resolveParameters(db, asked);
          if (!parameters.ok) {
            const errors = (parameters.problem.errors ?? []) as { pointer: string; message: string }[];
            throw new CliError(
              [parameters.problem.detail, ...errors.slice(0, 10).map((e) => `  ${e.pointer} ${e.message}`)].join('\n'),
            );
          }
          const created = await sims.createSimulation(db, parameters.value, 'cli');
          const claimed = await sims.claimSimulation(db, created.id);
          if (!claimed)
            throw new CliError(
              `Simulation ${created.id} was taken by a running server; see GET /v1/routing/simulations/${created.id}.`,
            );
          await sims.runSimulation(db, claimed, { onProgress: bar.update });
          const done = (await sims.getSimulation(db, created.id))!;
          const all = options.out ? Number.MAX_SAFE_INTEGER : listed;
          return {
            simulation: done,
            changes: (await sims.listChanges(db, created.id, all, 0)).map((c) => c.body as Change),
          };
        },
        { requireSchema: true },
      );
      bar.finish();
      if (simulation.status !== 'succeeded')
        throw new CliError(`The simulation failed: ${simulation.error ?? 'unknown error'}`);
      if (options.out) fs.writeFileSync(options.out, `${JSON.stringify({ ...simulation, changes }, null, 2)}\n`);
      if (options.json) console.log(JSON.stringify(simulation, null, 2));
      else console.log(report(simulation, changes.slice(0, listed)));
    });
}
