import fs from 'node:fs';
import { CONTENTION_HEADING } from './contention.ts';
import { DURABILITY_HEADING, readDocSection } from './doc-section.ts';
import { PROCESSES_HEADING } from './processes.ts';
import { SCALE_HEADING } from './scale.ts';
import { WIDE_HEADING } from './wide-network.ts';
import type { EngineResult } from './engine-run.ts';
import { exportsTable } from './exports.ts';
import type { Machine } from './machine.ts';
import { NETWORK_SIZE } from './network.ts';
import { PLANNER_METHOD, plannerTable, type PlannerRow } from './planner-report.ts';
import {
  connectorTable,
  changesTable,
  flowsTable,
  orderCpuTable,
  ordersMethod,
  ordersTable,
  outboxTable,
} from './report-orders.ts';
import { TARGET_CONCURRENCY } from './scenarios.ts';
import { integer, millis, rateCell, renderMarkdown, renderText, versusFloorCells, type Table } from './table.ts';
import { checkTargets } from './targets.ts';

export interface RunInfo {
  date: Date;
  durationMs: number;
  warmupMs: number;
  totalMs: number;
  outboxEvents: number;
  /** Runs of each row (`--runs`). */
  runs: number;
}

const numeric = (...columns: number[]) => new Set(columns);

export function holdsTable(results: Pick<EngineResult, 'engine' | 'holds'>[]): Table {
  return {
    title: 'Holds: POST /v1/reservations, 1 line × 1 unit at an explicit location_id',
    headers: [
      'Engine',
      'Stock',
      'Conc.',
      'Idempotency-Key',
      'API ops/s',
      'p50 ms',
      'p99 ms',
      'Errors',
      'Floor ops/s',
      'Floor p50 ms',
      'Floor p99 ms',
      'API/floor',
    ],
    numeric: numeric(2, 4, 5, 6, 7, 8, 9, 10, 11),
    rows: results.flatMap((r) =>
      r.holds.map((h) => [
        r.engine,
        h.distribution === 'hot'
          ? 'one hot SKU'
          : `spread (${NETWORK_SIZE.spreadSkus.toLocaleString('en-US')} SKUs × ${NETWORK_SIZE.spreadLocations})`,
        String(h.concurrency),
        h.idempotencyKey ? 'unique per request' : 'none',
        ...versusFloorCells(h.api, h.floor),
      ]),
    ),
  };
}

function availabilityTable(results: EngineResult[]): Table {
  return {
    title: 'Availability',
    headers: ['Engine', 'Query', 'Conc.', 'ops/s', 'p50 ms', 'p99 ms', 'Errors'],
    numeric: numeric(2, 3, 4, 5, 6),
    rows: results.flatMap((r) =>
      r.availability.map((a) => [
        r.engine,
        a.skus === 1 ? '1 SKU: GET /v1/availability?skus=…' : '1,000 SKUs: POST /v1/availability/query',
        String(a.concurrency),
        rateCell(a.result),
        millis(a.result.p50Ms),
        millis(a.result.p99Ms),
        String(a.result.errors),
      ]),
    ),
  };
}

function feedsTable(results: EngineResult[]): Table {
  return {
    title: 'Feed ingestion: POST /v1/inventory/feeds, snapshot feeds one after another',
    headers: ['Engine', 'Rows/feed', 'Feeds', 'Median rows/s', 'Median ms/feed', 'Slowest rows/s', 'Fastest rows/s'],
    numeric: numeric(1, 2, 3, 4, 5, 6),
    rows: results.map((r) => {
      const rates = r.feeds.runs.map((run) => run.rowsPerSec);
      return [
        r.engine,
        integer(r.feeds.rowsPerFeed),
        String(r.feeds.runs.length),
        integer(r.feeds.medianRowsPerSec),
        millis(r.feeds.medianMs),
        integer(Math.min(...rates)),
        integer(Math.max(...rates)),
      ];
    }),
  };
}

function targetsTable(results: EngineResult[], planner: PlannerRow[]): Table | undefined {
  const postgres = results.find((r) => r.engine === 'postgres');
  if (!postgres) return undefined;
  return {
    title: 'Targets (PostgreSQL)',
    headers: ['Target', 'Measured', 'Result'],
    numeric: numeric(),
    rows: checkTargets(postgres, planner).map((check) => [check.target, check.measured, check.pass ? 'PASS' : 'MISS']),
  };
}

function tables(results: EngineResult[], planner: PlannerRow[]): Table[] {
  const targets = targetsTable(results, planner);
  const orderCpu = orderCpuTable(results);
  return [
    plannerTable(planner),
    holdsTable(results),
    availabilityTable(results),
    feedsTable(results),
    ordersTable(results),
    ...(orderCpu ? [orderCpu] : []),
    connectorTable(results),
    flowsTable(results),
    changesTable(results),
    outboxTable(results),
    exportsTable(results),
    ...(targets ? [targets] : []),
  ];
}

export function printReport(results: EngineResult[], planner: PlannerRow[], write: (text: string) => void): void {
  for (const table of tables(results, planner)) write(`\n${renderText(table)}\n`);
  if (!results.some((r) => r.engine === 'postgres')) {
    write('\nTargets are set for PostgreSQL; this run measured PGlite only.\n');
  }
}

function machineSection(machine: Machine, results: EngineResult[]): string {
  const pglite = results.find((r) => r.engine === 'pglite');
  const pg = machine.postgres;
  return [
    '## Machine',
    '',
    `- CPU: ${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGb} GB memory, ${machine.os}`,
    `- Node.js ${machine.node}`,
    pg
      ? `- PostgreSQL ${pg.version} on the same machine, over TCP on 127.0.0.1 (synchronous_commit=${pg.synchronousCommit}, shared_buffers=${pg.sharedBuffers}, max_connections=${pg.maxConnections})`
      : '- PostgreSQL: not measured in this run',
    pglite
      ? `- PGlite: the embedded engine (PostgreSQL ${pglite.serverVersion} compiled to WebAssembly), on a temporary data directory`
      : '- PGlite: not measured in this run',
    `- Server under test: \`consign serve\`, LOG_LEVEL=warn, database pool size ${machine.serverPoolSize}`,
    `- 1-minute load average: ${machine.loadAtStart.toFixed(1)} when the run started, ${machine.loadAtEnd?.toFixed(1) ?? '?'} when it ended (the bench itself adds up to about ${machine.cores}); anything else running on the machine shows up in the numbers`,
  ].join('\n');
}

function methodSection(run: RunInfo): string {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 1000 ? 1 : 0)} s`;
  return `## Method

- Each engine gets a fresh database (PostgreSQL: a new database on the server, dropped afterwards; PGlite: a temporary data directory). The network is created with Consign's own use cases before the server starts: 1 distribution centre holding one hot SKU (on_hand 1,000,000,000), 4 stores × ${NETWORK_SIZE.spreadSkus.toLocaleString('en-US')} SKUs (on_hand ${NETWORK_SIZE.spreadOnHand.toLocaleString('en-US')} each), and ${NETWORK_SIZE.feedSkus.toLocaleString('en-US')} feed SKUs × 4 stores. No scenario can run out of stock.
- The server runs in a child process (\`node bin/consign.js serve\`, port 0 on 127.0.0.1, demo data off), so it does not share an event loop with the load generator. The load generator is closed-loop: N workers, each sending its next request when the previous answer has been read, over N keep-alive connections (node:http). Latency is measured per request, from writing it to reading the whole response; percentiles are nearest-rank over the sorted latencies.
- Every scenario warms up for ${seconds(run.warmupMs)} (not counted), then measures for ${seconds(run.durationMs)}. ops/s counts successful requests only; every error is listed.${run.runs > 1 ? `\n- Runs: each holds, availability, orders, flows and order-changes row and each floor was measured ${run.runs} times, one run after another (\`--runs ${run.runs}\`); rates are min / median / max of the runs, latencies and errors are the median run's, and API/floor is the ratio of the medians.` : ''}
- Holds: \`POST /v1/reservations\` with \`{ lines: [{ sku, quantity: 1, location_id }], expires_in_seconds: 3600 }\`. "one hot SKU" sends every hold to the same stock level; "spread" picks one of the ${(NETWORK_SIZE.spreadSkus * NETWORK_SIZE.spreadLocations).toLocaleString('en-US')} levels at random. Each request carries a unique \`Idempotency-Key\`, as storefronts send; one row per stock pattern at c=${TARGET_CONCURRENCY} has no key, to show what the key costs.
- The raw SQL floor runs on the same database, from the bench process: N workers, one connection each, looping \`BEGIN; UPDATE stock_levels SET reserved = reserved + 1 WHERE location_id = $1 AND sku = $2 AND on_hand - reserved - safety_stock >= 1 RETURNING on_hand, reserved; INSERT INTO inventory_ledger …; COMMIT\` with prepared statements, on the same stock levels as the API row. On PostgreSQL each floor row is measured right after its API row while the server idles, so both see the machine in the same state. On PGlite the floor runs in the bench process on the same data directory once the server child has exited (the embedded engine is single-process); its workers queue on PGlite's one connection, as the server's requests do. API/floor is the API's ops/s over the floor's at the same stock pattern and concurrency.
- Availability: 1 SKU is \`GET /v1/availability?skus=<a random spread SKU>\` (4 locations each); 1,000 SKUs is \`POST /v1/availability/query\` with all spread SKUs (4,000 stock levels). The targets are read at concurrency 1; concurrency ${TARGET_CONCURRENCY} is shown for load.
- Feeds: \`POST /v1/inventory/feeds\`, snapshot feeds of 10,000 rows sent one after another, each with a new feed_id, a later as_of and changed quantities, so every row applies (ledger row and event per row). One warm-up feed is not counted; rows/s is rows ÷ the request's wall time, median over the feeds.
${ordersMethod(run.outboxEvents)}
- ERP export: after every other scenario, \`GET /v1/exports/stock_movements\` in JSON Lines, 10,000 rows a page, page after page until \`Consign-Remaining\` is 0, over every on-hand ledger row the run wrote (feed counts, shipments). The first pass is an installation's first export: each page that reaches the last numbered row numbers the new ones (ADR 0026). The second pass reads the same rows again from the start, already numbered. Rows/s is rows ÷ the pass's wall time.
${PLANNER_METHOD}`;
}

export function writeMarkdown(
  file: string,
  machine: Machine,
  results: EngineResult[],
  planner: PlannerRow[],
  run: RunInfo,
): void {
  const sections = tables(results, planner).map((table) => `### ${table.title}\n\n${renderMarkdown(table)}`);
  const note = results.some((r) => r.engine === 'postgres')
    ? ''
    : '\nTargets are set for PostgreSQL; this run measured PGlite only.\n';
  const text = `# Benchmarks

Measured by \`npm run bench\` on ${run.date.toISOString().slice(0, 10)} (${run.date.toISOString().slice(11, 16)} UTC); the whole run took ${(run.totalMs / 1000).toFixed(0)} s. Run it again to refresh this page: \`npm run bench -- --help\` lists the options. Absolute numbers belong to this machine; the API/floor ratio travels better.

${machineSection(machine, results)}

${methodSection(run)}

## Results

${sections.join('\n\n')}
${note}`;
  // `npm run bench:durability` and the other scenarios write their own sections: they stay until
  // run again (`all` replaces the wide network's after this).
  const kept = [DURABILITY_HEADING, WIDE_HEADING, PROCESSES_HEADING, SCALE_HEADING, CONTENTION_HEADING]
    .map((heading) => readDocSection(file, heading).trimEnd())
    .filter((section) => section !== '');
  fs.writeFileSync(file, `${[text.trimEnd(), ...kept].join('\n\n')}\n`);
}
