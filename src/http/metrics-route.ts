import crypto from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Database } from '../db/index.ts';
import { processRegistry } from '../telemetry/index.ts';
import { outboxLag } from '../streaming/index.ts';
import { pendingDeliveries } from '../webhooks/index.ts';
import { problem, type Problem } from '../shared/problem.ts';
import { sendProblem } from './errors.ts';

/** Seconds, from 1 ms to 10 s: most API calls take a few milliseconds, exports and reports longer. */
const REQUEST_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The label of requests no route answered (unknown paths, the console's pages and files). */
const NO_ROUTE = '(none)';

const BEARER = /^Bearer\s+(\S+)$/i;

interface MetricsOptions {
  database: Database;
  /** When set, `/metrics` answers only `Authorization: Bearer <token>`; otherwise it is public like `/health`. */
  token?: string | undefined;
}

/**
 * Serves Prometheus metrics at `/metrics`: this server's requests (rate, errors, latency per
 * route), its database (pool use, how far each outbox follower is behind, webhook deliveries
 * waiting), and the process's own counters (routing decisions, holds expired, webhook attempts,
 * CPU and memory). The database figures are read when Prometheus scrapes.
 */
export function registerMetrics(app: FastifyInstance, options: MetricsOptions): void {
  const registry = new Registry();
  const labels = ['method', 'route', 'status'] as const;
  const requests = new Counter({
    name: 'consign_http_requests_total',
    help: 'HTTP requests answered, by method, route template and status code (4xx and 5xx are the errors).',
    labelNames: labels,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'consign_http_request_duration_seconds',
    help: 'Time from receiving a request to finishing its response, by method, route template and status code.',
    labelNames: labels,
    buckets: REQUEST_BUCKETS,
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? NO_ROUTE;
    const values = { method: request.method, route, status: String(reply.statusCode) };
    requests.inc(values);
    duration.observe(values, reply.elapsedTime / 1000);
  });
  const refreshDatabaseGauges = registerDatabaseGauges(registry, options.database);
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    // Answered here rather than thrown: this route is registered before the app's error handler.
    const refused = tokenProblem(request, options.token);
    if (refused) return sendProblem(reply, refused);
    await refreshDatabaseGauges();
    const merged = Registry.merge([processRegistry, registry]);
    return reply.type(merged.contentType).send(await merged.metrics());
  });
}

function tokenProblem(request: FastifyRequest, token: string | undefined): Problem | undefined {
  if (!token) return undefined;
  const sent = BEARER.exec(request.headers.authorization ?? '')?.[1] ?? '';
  const expected = crypto.createHash('sha256').update(token).digest();
  const given = crypto.createHash('sha256').update(sent).digest();
  if (crypto.timingSafeEqual(expected, given)) return undefined;
  return problem('unauthorized', 'Send "Authorization: Bearer <token>" with the token set in CONSIGN_METRICS_TOKEN.');
}

/**
 * The database's gauges, and `refresh`, which reads the outbox lag and the webhook backlog once
 * per scrape (each is one query, shared by its two gauges) and sets them.
 */
function registerDatabaseGauges(registry: Registry, database: Database): () => Promise<void> {
  const { db } = database;
  const gauge = (name: string, help: string, labelNames: string[] = []) =>
    new Gauge({ name, help, labelNames, registers: [registry] });
  const behind = gauge(
    'consign_outbox_events_behind',
    'Events each outbox follower (webhooks, nats, connectors) has not handled yet (counted up to 1,000,000).',
    ['follower'],
  );
  const lagSeconds = gauge(
    'consign_outbox_lag_seconds',
    'Age of the oldest event each outbox follower has not handled yet; 0 when it is caught up.',
    ['follower'],
  );
  const backlog = gauge('consign_webhook_backlog', 'Webhook deliveries waiting to be sent (queued or retrying).');
  const backlogAge = gauge(
    'consign_webhook_backlog_oldest_seconds',
    'How long the oldest waiting webhook delivery has waited.',
  );
  registerPoolGauge(registry, database);
  return async () => {
    const [lags, pending] = await Promise.all([outboxLag(db), pendingDeliveries(db)]);
    behind.reset();
    lagSeconds.reset();
    for (const lag of lags) {
      behind.set({ follower: lag.follower }, lag.eventsBehind);
      lagSeconds.set({ follower: lag.follower }, lag.oldestWaitingSeconds);
    }
    backlog.set(pending.pending);
    backlogAge.set(pending.oldestSeconds);
  };
}

function registerPoolGauge(registry: Registry, database: Database): void {
  const poolStats = database.poolStats;
  if (!poolStats) return;
  new Gauge({
    name: 'consign_db_pool_connections',
    help: 'PostgreSQL connections of this process: open, idle, requests waiting for one, and the pool size (CONSIGN_DB_POOL_SIZE).',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const stats = poolStats();
      for (const state of ['total', 'idle', 'waiting', 'max'] as const) this.set({ state }, stats[state]);
    },
  });
}
