import { randomBytes } from 'node:crypto';
import type { Engine } from '../src/db/index.ts';
import { onCleanup } from './cleanup.ts';
import { prepare } from './engine-run.ts';
import { BENCH_NATS_URL, deleteStream, natsReachable } from './jetstream-receiver.ts';
import { measureOutbox, type DeliveryFigures, type JetStreamTarget, type OutboxResult } from './outbox.ts';
import { warmUpServer } from './scenarios.ts';
import { startServerProcess } from './server.ts';
import { createBenchDatabase } from './setup.ts';
import { spread, type Spread } from './stats.ts';
import { deliveryChecks } from './targets.ts';

/** Bursts (each followed by its steady phase) per engine, one after another on one server. */
export const WEBHOOK_RUNS = 3;

export interface WebhookRunsResult {
  engine: Engine;
  runs: OutboxResult[];
  /** Whether the server published to JetStream (a NATS server answered at BENCH_NATS_URL). */
  jetstream: boolean;
}

export interface WebhookSettings {
  events: number;
  serverWarmupMs: number;
  postgresServerUrl: string;
  log: (line: string) => void;
}

const describe = (what: string, f: DeliveryFigures) =>
  `${what} ${f.eventsPerSec.toFixed(0)} events/s (lag p50 ${f.lagP50Ms} ms, p99 ${f.lagP99Ms} ms), steady lag p50 ${f.steady.lagP50Ms} ms, p99 ${f.steady.lagP99Ms} ms`;

/**
 * Webhook delivery, and JetStream publishing when a NATS server answers, on a fresh database:
 * one `consign serve` with both followers on, WEBHOOK_RUNS bursts of `events` events each
 * followed by the steady phase (bench/outbox.ts). The stream is the run's own, deleted after.
 */
export async function runWebhooks(engine: Engine, settings: WebhookSettings): Promise<WebhookRunsResult> {
  settings.log(`${engine}: creating a fresh database and the bench network…`);
  const bench = await createBenchDatabase(engine, settings.postgresServerUrl);
  const dropDatabase = onCleanup({ name: `remove the ${engine} webhooks database`, run: bench.drop });
  try {
    const { network } = await prepare(bench);
    const tag = randomBytes(4).toString('hex');
    const jetstream: JetStreamTarget | undefined = (await natsReachable(BENCH_NATS_URL))
      ? { url: BENCH_NATS_URL, stream: `CONSIGN_BENCH_${tag}`, subjectPrefix: `bench${tag}` }
      : undefined;
    if (!jetstream) settings.log(`${engine}: no NATS server at ${BENCH_NATS_URL}: webhooks only`);
    const env: Record<string, string> = jetstream
      ? {
          NATS_URL: jetstream.url,
          CONSIGN_NATS_STREAM: jetstream.stream,
          CONSIGN_NATS_SUBJECT_PREFIX: jetstream.subjectPrefix,
        }
      : {};
    const apiKey = `csk_bench_${randomBytes(18).toString('base64url')}`;
    const server = await startServerProcess({ databaseUrl: bench.databaseUrl, dataDir: bench.dataDir, apiKey, env });
    const stopServer = onCleanup({ name: 'stop the server under test', run: server.stop, runNow: server.kill });
    const runs: OutboxResult[] = [];
    try {
      const target = { url: server.url, apiKey };
      const warm = await warmUpServer(target, network, settings.serverWarmupMs);
      if (warm.errors > 0) throw new Error(`the server under test failed while warming up: ${warm.firstError ?? '?'}`);
      for (let run = 1; run <= WEBHOOK_RUNS; run++) {
        const result = await measureOutbox(target, network, settings.events, jetstream);
        const published = result.jetstream ? `; ${describe('JetStream', result.jetstream)}` : '';
        settings.log(`  run ${run}: ${describe('webhooks', result)}${published}`);
        runs.push(result);
      }
    } finally {
      await stopServer();
      if (jetstream) await deleteStream(jetstream.url, jetstream.stream).catch(() => {});
    }
    return { engine, runs, jetstream: jetstream !== undefined };
  } finally {
    await dropDatabase();
  }
}

const round = (value: number) => Math.round(value).toLocaleString('en-US');
const range = (s: Spread) => `${round(s.min)} / ${round(s.median)} / ${round(s.max)}`;

/** Each receiver's figures over the runs: the webhook endpoint's, and the JetStream consumer's when measured. */
function byReceiver(result: WebhookRunsResult): { name: string; figures: DeliveryFigures[] }[] {
  const webhooks = { name: 'Webhooks', figures: result.runs as DeliveryFigures[] };
  const published = result.runs.flatMap((r) => (r.jetstream ? [r.jetstream] : []));
  return published.length > 0 ? [webhooks, { name: 'JetStream', figures: published }] : [webhooks];
}

/** One table row per engine and receiver: min / median / max over the runs. */
function rows(result: WebhookRunsResult): string[] {
  return byReceiver(result).map(({ name, figures }) => {
    const of = (value: (f: DeliveryFigures) => number) => range(spread(figures.map(value)));
    const duplicates = figures.reduce((n, f) => n + f.duplicates, 0);
    return (
      `| ${result.engine} | ${name} | ${of((f) => f.eventsPerSec)} | ${of((f) => f.ms)} | ${of((f) => f.lagP50Ms)} | ${of((f) => f.lagP99Ms)} ` +
      `| ${of((f) => f.steady.eventsPerSec)} | ${of((f) => f.steady.lagP50Ms)} | ${of((f) => f.steady.lagP99Ms)} | ${duplicates} |`
    );
  });
}

/** The median of each figure over the runs, for the targets. */
function medianFigures(figures: DeliveryFigures[]): DeliveryFigures {
  const mid = (value: (f: DeliveryFigures) => number) => spread(figures.map(value)).median;
  return {
    events: mid((f) => f.events),
    ms: mid((f) => f.ms),
    eventsPerSec: mid((f) => f.eventsPerSec),
    lagP50Ms: mid((f) => f.lagP50Ms),
    lagP99Ms: mid((f) => f.lagP99Ms),
    lagMaxMs: mid((f) => f.lagMaxMs),
    duplicates: Math.max(...figures.map((f) => f.duplicates)),
    steady: {
      events: mid((f) => f.steady.events),
      eventsPerSec: mid((f) => f.steady.eventsPerSec),
      lagP50Ms: mid((f) => f.steady.lagP50Ms),
      lagP99Ms: mid((f) => f.steady.lagP99Ms),
      lagMaxMs: mid((f) => f.steady.lagMaxMs),
    },
  };
}

/** The targets (set for PostgreSQL) checked on the medians of the runs. */
function targetRows(result: WebhookRunsResult): string[] {
  return byReceiver(result).flatMap(({ name, figures }) =>
    deliveryChecks(name === 'JetStream' ? 'JetStream publishing' : name, medianFigures(figures)).map(
      (check) => `| ${result.engine} | ${check.target} | ${check.measured} | ${check.pass ? 'met' : 'missed'} |`,
    ),
  );
}

/** Markdown: the runs' figures per engine and receiver (min / median / max), then the targets on the medians. */
export function webhooksSection(
  results: WebhookRunsResult[],
  date: Date,
  load: { start: number; end: number },
): string {
  return [
    `\`npm run bench -- --scenario webhooks\` (${date.toISOString().slice(0, 10)}, ${WEBHOOK_RUNS} runs per engine on one server; min / median / max).`,
    `1-minute load average: ${load.start.toFixed(1)} when the scenario started, ${load.end.toFixed(1)} when it ended.`,
    '',
    '| Engine | Receiver | Burst events/s | Commit → last ms | Burst lag p50 ms | Burst lag p99 ms | Steady events/s | Steady lag p50 ms | Steady lag p99 ms | Duplicates |',
    '|---|---|---|---|---|---|---|---|---|---:|',
    ...results.flatMap(rows),
    '',
    '| Engine | Target (medians of the runs) | Measured | Result |',
    '|---|---|---|---|',
    ...results.flatMap(targetRows),
    '',
  ].join('\n');
}
