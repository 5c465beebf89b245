import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Engine } from '../src/db/index.ts';
import { cleanupAll, cleanUpOnAbort } from './cleanup.ts';
import { runEngine, runHolds, type EngineResult, type RunSettings } from './engine-run.ts';
import { describeMachine } from './machine.ts';
import { HELP, parseOptions, UsageError, type BenchOptions } from './options.ts';
import { measurePlannerRows, plannerTable, PLANNER_RUNS, type PlannerRow } from './planner-report.ts';
import { renderMarkdown, renderText } from './table.ts';
import { holdChecks, plannerCheck } from './targets.ts';
import { holdsTable, printReport, writeMarkdown } from './report.ts';
import { replaceDocSection } from './doc-section.ts';
import {
  runWideNetwork,
  WIDE_HEADING,
  WIDE_NETWORK,
  wideNetworkSection,
  type WideNetworkResult,
} from './wide-network.ts';
import { DEFAULT_POSTGRES_URL, postgresReachable } from './setup.ts';
import { CONTENTION_HEADING, contentionSection, runContention, type ContentionResult } from './contention.ts';
import { PROCESSES_HEADING, processesSection, runProcesses } from './processes.ts';
import { runScale, SCALE_HEADING, scaleSection } from './scale.ts';
import { runWebhooks, webhooksSection, type WebhookRunsResult } from './webhooks.ts';
import { ORDER_COST_HEADING, orderCostSection, runOrderCost } from './order-cost.ts';
import { runSimulationBench, SIMULATION_HEADING, simulationSection, type SimulationBenchResult } from './simulation.ts';
import { measureHistoryImport } from './history-import.ts';

const DOC_FILE = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));
const MAX_WARMUP_MS = 1_000;
const FEEDS = { full: 5, quick: 2 } as const;
const SERVER_WARMUP_MS = { full: 3_000, quick: 1_000 } as const;
const OUTBOX_EVENTS = { full: 2_000, quick: 400 } as const;
/** Planner decisions timed per run: enough for a p99 that holds still from run to run. */
const PLANNER_ITERATIONS = { full: 50_000, quick: 10_000 } as const;

const log = (line: string) => void process.stderr.write(`${line}\n`);

async function chooseEngines(options: BenchOptions, postgresUrl: string): Promise<Engine[]> {
  const reachable = options.engine === 'pglite' ? false : await postgresReachable(postgresUrl);
  const choice = options.engine ?? (reachable ? 'both' : 'pglite');
  if (choice !== 'pglite' && !reachable) {
    const where = process.env.DATABASE_URL ? 'DATABASE_URL' : '127.0.0.1:5432';
    throw new Error(`--engine ${choice} needs PostgreSQL, but ${where} does not answer`);
  }
  if (options.engine === undefined && !reachable) log('PostgreSQL does not answer: measuring PGlite only.');
  return choice === 'both' ? ['postgres', 'pglite'] : [choice];
}

/** CPU only and engine-independent: measured before the engines, both networks, run after run. */
function measurePlanner(quick: boolean): PlannerRow[] {
  const iterations = quick ? PLANNER_ITERATIONS.quick : PLANNER_ITERATIONS.full;
  log(
    `planner: ${PLANNER_RUNS} runs × ${iterations.toLocaleString('en-US')} routing decisions per network, 5 lines × 200 locations, in memory…`,
  );
  return measurePlannerRows(iterations, log);
}

/** Orders in the 50- and 2,000-location networks on each engine; writes its section unless quick. */
async function measureWideNetwork(engines: Engine[], options: BenchOptions, postgresUrl: string, warmupMs: number) {
  const date = new Date();
  const loadAtStart = os.loadavg()[0]!;
  const results: WideNetworkResult[] = [];
  log(`wide network: orders at c=8 in 50 and ${WIDE_NETWORK.locations} locations…`);
  for (const engine of engines) {
    results.push(
      await runWideNetwork(engine, { durationMs: options.durationMs, warmupMs, postgresServerUrl: postgresUrl, log }),
    );
  }
  const load = { start: loadAtStart, end: os.loadavg()[0]! };
  const section = wideNetworkSection(results, date, options.durationMs, load);
  process.stdout.write(`\n${section}`);
  if (!options.quick) {
    replaceDocSection(DOC_FILE, WIDE_HEADING, section);
    log(`Wrote the "${WIDE_HEADING.slice(3)}" section of docs/benchmarks.md.`);
  }
}

/** Past orders replayed under two rule sets on each engine; writes its section unless quick. */
async function measureSimulation(engines: Engine[], options: BenchOptions, postgresUrl: string) {
  const date = new Date();
  const loadAtStart = os.loadavg()[0]!;
  const results: SimulationBenchResult[] = [];
  log('simulation: past orders replayed under two rule sets…');
  for (const engine of engines) results.push(await runSimulationBench(engine, { postgresServerUrl: postgresUrl, log }));
  const section = simulationSection(results, date, { start: loadAtStart, end: os.loadavg()[0]! });
  process.stdout.write(`\n${section}`);
  if (!options.quick) {
    replaceDocSection(DOC_FILE, SIMULATION_HEADING, section);
    log(`Wrote the "${SIMULATION_HEADING.slice(3)}" section of docs/benchmarks.md.`);
  }
}

/** Orders against scarce stock on each engine, with the oversell audit; writes its section unless quick. */
async function measureContention(engines: Engine[], options: BenchOptions, postgresUrl: string, warmupMs: number) {
  const date = new Date();
  const loadAtStart = os.loadavg()[0]!;
  const results: ContentionResult[] = [];
  log('contention: orders at c=8 and c=32 against scarce stock…');
  for (const engine of engines) {
    results.push(
      await runContention(engine, { durationMs: options.durationMs, warmupMs, postgresServerUrl: postgresUrl, log }),
    );
  }
  const section = contentionSection(results, date, options.durationMs, { start: loadAtStart, end: os.loadavg()[0]! });
  process.stdout.write(`\n${section}`);
  if (!options.quick) {
    replaceDocSection(DOC_FILE, CONTENTION_HEADING, section);
    log(`Wrote the "${CONTENTION_HEADING.slice(3)}" section of docs/benchmarks.md.`);
  }
}

/** Orders over 1, 2 and 4 server processes on one PostgreSQL; writes its section unless quick. */
async function measureProcesses(options: BenchOptions, postgresUrl: string, warmupMs: number) {
  const date = new Date();
  const loadAtStart = os.loadavg()[0]!;
  log('processes: orders at c=16 over 1, 2 and 4 server processes on one PostgreSQL database…');
  const result = await runProcesses({ durationMs: options.durationMs, warmupMs, postgresServerUrl: postgresUrl, log });
  const load = { start: loadAtStart, end: os.loadavg()[0]! };
  const section = processesSection(result, date, options.durationMs, load, os.cpus().length);
  process.stdout.write(`\n${section}`);
  if (!options.quick) {
    replaceDocSection(DOC_FILE, PROCESSES_HEADING, section);
    log(`Wrote the "${PROCESSES_HEADING.slice(3)}" section of docs/benchmarks.md.`);
  }
}

/** Where one order's time, statements, rows and bytes go on PostgreSQL; writes its section unless quick. */
async function measureOrderCost(options: BenchOptions, postgresUrl: string, warmupMs: number) {
  const date = new Date();
  const loadAtStart = os.loadavg()[0]!;
  log("order-cost: one order's phases, statements, rows and bytes, then c=8 beside the floor…");
  const result = await runOrderCost({
    durationMs: options.durationMs,
    warmupMs,
    quick: options.quick,
    postgresServerUrl: postgresUrl,
    log,
  });
  log('Statements of the traced orders (first 90 characters), by count:');
  for (const [text, count] of [...result.statements].sort((a, b) => b[1] - a[1])) log(`  ${count}  ${text}`);
  const section = orderCostSection(result, date, options.durationMs, { start: loadAtStart, end: os.loadavg()[0]! });
  process.stdout.write(`\n${section}`);
  if (!options.quick) {
    replaceDocSection(DOC_FILE, ORDER_COST_HEADING, section);
    log(`Wrote the "${ORDER_COST_HEADING.slice(3)}" section of docs/benchmarks.md.`);
  }
}

/** Capture and the console's reads as history grows, on one engine; writes its section unless quick. */
async function measureScale(engine: Engine, options: BenchOptions, postgresUrl: string, warmupMs: number) {
  const date = new Date();
  const loadAtStart = os.loadavg()[0]!;
  log(`scale: orders and the console's reads at growing history on ${engine}…`);
  const result = await runScale(engine, {
    durationMs: options.durationMs,
    warmupMs,
    quick: options.quick,
    postgresServerUrl: postgresUrl,
    log,
  });
  const section = scaleSection(result, date, options.durationMs, { start: loadAtStart, end: os.loadavg()[0]! });
  process.stdout.write(`\n${section}`);
  if (!options.quick) {
    replaceDocSection(DOC_FILE, SCALE_HEADING, section);
    log(`Wrote the "${SCALE_HEADING.slice(3)}" section of docs/benchmarks.md.`);
  }
}

/** Webhook delivery and JetStream publishing, 3 runs per engine; prints its section (the docs keep it by hand). */
async function measureWebhooks(engines: Engine[], options: BenchOptions, postgresUrl: string) {
  const date = new Date();
  const loadAtStart = os.loadavg()[0]!;
  const results: WebhookRunsResult[] = [];
  for (const engine of engines) {
    results.push(
      await runWebhooks(engine, {
        events: options.quick ? OUTBOX_EVENTS.quick : OUTBOX_EVENTS.full,
        serverWarmupMs: options.quick ? SERVER_WARMUP_MS.quick : SERVER_WARMUP_MS.full,
        postgresServerUrl: postgresUrl,
        log,
      }),
    );
  }
  process.stdout.write(`\n${webhooksSection(results, date, { start: loadAtStart, end: os.loadavg()[0]! })}`);
}

/** How an engine's API rows and floors are run, from the command line's options. */
function runSettings(options: BenchOptions, postgresUrl: string, warmupMs: number): RunSettings {
  return {
    durationMs: options.durationMs,
    warmupMs,
    serverWarmupMs: options.quick ? SERVER_WARMUP_MS.quick : SERVER_WARMUP_MS.full,
    feedCount: options.quick ? FEEDS.quick : FEEDS.full,
    runs: options.runs,
    outboxEvents: options.quick ? OUTBOX_EVENTS.quick : OUTBOX_EVENTS.full,
    postgresServerUrl: postgresUrl,
    log,
  };
}

/** The holds rows and their floors, `options.runs` runs each; prints their table and targets per engine. */
async function measureHoldsOnly(engines: Engine[], options: BenchOptions, postgresUrl: string, warmupMs: number) {
  const loadAtStart = os.loadavg()[0]!;
  const results = [];
  for (const engine of engines) {
    results.push(await runHolds(engine, runSettings(options, postgresUrl, warmupMs)));
  }
  const table = holdsTable(results);
  const checks = results.flatMap((result) =>
    holdChecks(result).map((c) => `| ${result.engine}: ${c.target} | ${c.measured} | ${c.pass ? 'PASS' : 'MISS'} |`),
  );
  const load = `1-minute load average ${loadAtStart.toFixed(1)} at the start, ${os.loadavg()[0]!.toFixed(1)} at the end`;
  process.stdout.write(`\n${renderText(table)}\n\n${renderMarkdown(table)}\n\n${checks.join('\n')}\n\n${load}\n`);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options.help) {
    console.log(HELP);
    return;
  }
  cleanUpOnAbort();
  const started = performance.now();
  const date = new Date();
  const postgresUrl = process.env.DATABASE_URL || DEFAULT_POSTGRES_URL;
  const oneServer =
    options.scenario === 'processes' ||
    options.scenario === 'order-cost' ||
    (options.scenario === 'scale' && !options.engine);
  const engines = await chooseEngines(oneServer ? { ...options, engine: 'postgres' } : options, postgresUrl);
  const machine = await describeMachine(engines.includes('postgres') ? postgresUrl : undefined);
  const warmupMs = Math.min(MAX_WARMUP_MS, Math.round(options.durationMs / 3));
  log(`Consign bench: ${engines.join(' and ')}, ${options.durationMs} ms per scenario after ${warmupMs} ms of warm-up`);
  if (machine.loadAtStart > machine.cores / 2) {
    log(
      `The machine is busy (load average ${machine.loadAtStart.toFixed(1)} on ${machine.cores} cores): expect noisy numbers.`,
    );
  }

  if (options.scenario === 'processes') {
    await measureProcesses(options, postgresUrl, warmupMs);
    log(`Bench finished in ${((performance.now() - started) / 1000).toFixed(0)} s.`);
    return;
  }
  if (options.scenario === 'order-cost') {
    await measureOrderCost(options, postgresUrl, warmupMs);
    log(`Bench finished in ${((performance.now() - started) / 1000).toFixed(0)} s.`);
    return;
  }
  if (options.scenario === 'scale') {
    await measureScale(engines[0]!, options, postgresUrl, warmupMs);
    log(`Bench finished in ${((performance.now() - started) / 1000).toFixed(0)} s.`);
    return;
  }
  if (options.scenario === 'planner') {
    const rows = measurePlanner(options.quick);
    const checks = rows.map(plannerCheck).map((c) => `| ${c.target} | ${c.measured} | ${c.pass ? 'PASS' : 'MISS'} |`);
    const table = plannerTable(rows);
    process.stdout.write(`\n${renderText(table)}\n\n${renderMarkdown(table)}\n\n${checks.join('\n')}\n`);
    return;
  }
  if (options.scenario === 'contention') {
    await measureContention(engines, options, postgresUrl, warmupMs);
    log(`Bench finished in ${((performance.now() - started) / 1000).toFixed(0)} s.`);
    return;
  }
  if (options.scenario === 'webhooks') {
    await measureWebhooks(engines, options, postgresUrl);
    log(`Bench finished in ${((performance.now() - started) / 1000).toFixed(0)} s.`);
    return;
  }
  if (options.scenario === 'holds') {
    await measureHoldsOnly(engines, options, postgresUrl, warmupMs);
    log(`Bench finished in ${((performance.now() - started) / 1000).toFixed(0)} s.`);
    return;
  }
  if (options.scenario === 'simulation') {
    await measureSimulation(engines, options, postgresUrl);
    log(`Bench finished in ${((performance.now() - started) / 1000).toFixed(0)} s.`);
    return;
  }
  if (options.scenario === 'history-import') {
    await measureHistoryImport(engines, options, postgresUrl, log);
    log(`Bench finished in ${((performance.now() - started) / 1000).toFixed(0)} s.`);
    return;
  }
  if (options.scenario === 'wide-network') {
    await measureWideNetwork(engines, options, postgresUrl, warmupMs);
    log(`Bench finished in ${((performance.now() - started) / 1000).toFixed(0)} s.`);
    return;
  }
  const planner = measurePlanner(options.quick);
  const results: EngineResult[] = [];
  for (const engine of engines) {
    results.push(await runEngine(engine, runSettings(options, postgresUrl, warmupMs)));
  }
  const totalMs = performance.now() - started;
  machine.loadAtEnd = os.loadavg()[0]!;
  printReport(results, planner, (text) => void process.stdout.write(text));
  if (!options.quick) {
    writeMarkdown(DOC_FILE, machine, results, planner, {
      date,
      durationMs: options.durationMs,
      warmupMs,
      totalMs,
      outboxEvents: OUTBOX_EVENTS.full,
      runs: options.runs,
    });
    log(`\nWrote docs/benchmarks.md.`);
  }
  await measureWideNetwork(engines, options, postgresUrl, warmupMs);
  log(`Bench finished in ${(totalMs / 1000).toFixed(0)} s.`);
}

try {
  await main();
} catch (error) {
  if (error instanceof UsageError) {
    process.exitCode = 2;
    log(`bench: ${error.message}. See \`npm run bench -- --help\`.`);
  } else {
    process.exitCode = 1;
    log(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
} finally {
  await cleanupAll();
}
