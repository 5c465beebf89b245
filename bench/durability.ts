import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { migrate, openDatabase } from '../src/db/index.ts';
import { cleanupAll, cleanUpOnAbort, onCleanup } from './cleanup.ts';
import type { DriveOptions } from './drive.ts';
import { pgliteFloor } from './floor.ts';
import { generateLoad } from './loadgen.ts';
import { orderTransaction } from './order-floor.ts';
import { seedOrderNetwork, type OrderNetwork } from './order-network.ts';
import { ORDER_LINES, orderCall, orderNumbers, orderSampler } from './orders.ts';
import { startServerProcess } from './server.ts';
import { median } from './stats.ts';
import { integer, renderMarkdown, renderText, type Table } from './table.ts';
import { DURABILITY_HEADING, replaceDocSection } from './doc-section.ts';

const HELP = `Usage: npm run bench:durability -- [--rounds N] [--duration-ms MS] [--write]

Measures the embedded engine (PGlite) with fsync on (CONSIGN_EMBEDDED_FSYNC=on, the default)
and off, on copies of one data directory holding the bench's order network: commits/s of the
raw order transaction in process, and POST /v1/orders/s against \`consign serve\` at concurrency
1 and 8. Each round measures both settings (alternating which goes first); the table gives the
median and the range over the rounds. --write puts the table into docs/benchmarks.md.`;

const DOC_FILE = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));
const API_KEY = 'csk_bench_durability_key';
const SETTINGS = ['on', 'off'] as const;
type Setting = (typeof SETTINGS)[number];
const CONCURRENCIES = [1, 8] as const;
const SERVER_WARMUP_MS = 3_000;

const log = (line: string) => void process.stderr.write(`${line}\n`);

interface Figures {
  commits: number;
  orders: Record<(typeof CONCURRENCIES)[number], number>;
}

function options(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      rounds: { type: 'string', default: '5' },
      'duration-ms': { type: 'string', default: '3000' },
      write: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  const rounds = Number(values.rounds);
  const durationMs = Number(values['duration-ms']);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds must be a positive integer');
  if (!Number.isInteger(durationMs) || durationMs < 200) throw new Error('--duration-ms must be an integer ≥ 200');
  return { rounds, durationMs, write: values.write, help: values.help };
}

/** A migrated data directory with the order network, copied for every measurement. */
async function template(root: string): Promise<{ dir: string; network: OrderNetwork }> {
  const dir = path.join(root, 'template');
  const database = await openDatabase({ dataDir: dir, fsync: false });
  try {
    await migrate(database.db);
    return { dir, network: await seedOrderNetwork(database) };
  } finally {
    await database.close();
  }
}

async function measure(dataDir: string, network: OrderNetwork, setting: Setting, drive: (c: number) => DriveOptions) {
  const database = await openDatabase({ dataDir, fsync: setting === 'on' });
  const floor = await pgliteFloor(database, orderTransaction(network), drive(1)).finally(() => database.close());
  const server = await startServerProcess({ dataDir, apiKey: API_KEY, env: { CONSIGN_EMBEDDED_FSYNC: setting } });
  const stop = onCleanup({ name: 'durability server', run: server.stop, runNow: server.kill });
  const orders = {} as Figures['orders'];
  try {
    const next = orderSampler(network, () => ORDER_LINES);
    const number = orderNumbers(`DUR-${setting}`);
    const call = () => orderCall(network, next(), number());
    // A fresh server compiles its hot paths on the first orders: those are not measured.
    await generateLoad(server.url, API_KEY, { ...drive(8), durationMs: SERVER_WARMUP_MS, warmupMs: 0 }, call, [201]);
    for (const concurrency of CONCURRENCIES) {
      orders[concurrency] = (await generateLoad(server.url, API_KEY, drive(concurrency), call, [201])).opsPerSec;
    }
  } finally {
    await stop();
  }
  return { commits: floor.opsPerSec, orders };
}

function cell(values: number[]): string {
  return `${integer(median(values))} (${integer(Math.min(...values))}–${integer(Math.max(...values))})`;
}

function table(results: Record<Setting, Figures[]>, rounds: number): Table {
  const column = (setting: Setting, pick: (f: Figures) => number) => results[setting].map(pick);
  const ratio = (pick: (f: Figures) => number) =>
    `${Math.round((median(column('on', pick)) / median(column('off', pick))) * 100)}%`;
  const row = (label: string, pick: (f: Figures) => number) => [
    label,
    cell(column('on', pick)),
    cell(column('off', pick)),
    ratio(pick),
  ];
  return {
    title: `PGlite, fsync on and off: median (min–max) over ${rounds} rounds`,
    headers: ['Measure', 'fsync on', 'fsync off', 'on/off'],
    numeric: new Set([1, 2, 3]),
    rows: [
      row('Order transaction commits/s (raw SQL, 3 lines, in process)', (f) => f.commits),
      ...CONCURRENCIES.map((c) => row(`POST /v1/orders per s, concurrency ${c}`, (f) => f.orders[c])),
    ],
  };
}

function docSection(result: Table, durationMs: number, load: [number, number]): string {
  return `${DURABILITY_HEADING}

Measured by \`npm run bench:durability\` on ${new Date().toISOString().slice(0, 10)}: each round copies one data directory holding the order network above, then per setting runs the orders floor's transaction (3 guarded stock updates and their ledger rows, one commit) in process at concurrency 1, and \`POST /v1/orders\` against \`consign serve\` at concurrency 1 and 8 (after ${SERVER_WARMUP_MS / 1000} s of orders not counted), ${durationMs / 1000} s each after a further warm-up. \`CONSIGN_EMBEDDED_FSYNC=on\` (the default) makes every commit wait for its WAL to reach the disk; \`off\` was the setting before. The decision is in docs/adr/0012-embedded-commits-are-fsynced.md. 1-minute load average: ${load[0].toFixed(1)} at the start, ${load[1].toFixed(1)} at the end, on ${os.cpus().length} cores; the ranges show how much the machine's other work moved the figures. Compare the on/off ratio, not the absolute figures, with the tables above: they were measured at another time.

${renderMarkdown(result)}
`;
}

async function main(): Promise<void> {
  const settings = options(process.argv.slice(2));
  if (settings.help) return void console.log(HELP);
  cleanUpOnAbort();
  const loadAtStart = os.loadavg()[0]!;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'consign-durability-'));
  onCleanup({ name: 'data directories', run: async () => fs.rmSync(root, { recursive: true, force: true }) });
  log('Seeding the order network…');
  const { dir, network } = await template(root);
  const warmupMs = Math.min(1_000, Math.round(settings.durationMs / 3));
  const drive = (concurrency: number): DriveOptions => ({
    concurrency,
    durationMs: settings.durationMs,
    warmupMs,
    maxOps: Number.MAX_SAFE_INTEGER,
    minOps: concurrency * 3,
  });
  const results: Record<Setting, Figures[]> = { on: [], off: [] };
  for (let round = 0; round < settings.rounds; round++) {
    for (const setting of round % 2 === 0 ? SETTINGS : [...SETTINGS].reverse()) {
      const copy = path.join(root, `round-${round}-${setting}`);
      fs.cpSync(dir, copy, { recursive: true });
      const figures = await measure(copy, network, setting, drive);
      fs.rmSync(copy, { recursive: true, force: true });
      results[setting].push(figures);
      log(
        `round ${round + 1}, fsync ${setting}: ${JSON.stringify(figures, (_k, v: unknown) => (typeof v === 'number' ? Math.round(v) : v))}`,
      );
    }
  }
  const result = table(results, settings.rounds);
  console.log(renderText(result));
  if (settings.write) {
    const load: [number, number] = [loadAtStart, os.loadavg()[0]!];
    replaceDocSection(DOC_FILE, DURABILITY_HEADING, docSection(result, settings.durationMs, load));
    log('Wrote the section to docs/benchmarks.md.');
  }
}

try {
  await main();
} finally {
  await cleanupAll();
}
