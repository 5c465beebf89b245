import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The process's own metrics: what the code paths of this process did (routing decisions, holds
 * expired, webhook attempts) plus Node's process metrics (CPU, memory, event-loop lag, handles).
 * One per process, shared by every server the process runs; `/metrics` adds each server's own
 * request and database figures (see src/http/metrics-route.ts).
 */
export const processRegistry = new Registry();
collectDefaultMetrics({ register: processRegistry, prefix: 'consign_' });

/** Seconds, from 0.5 ms to 2.5 s: a plan over a few hundred locations takes milliseconds. */
const PLAN_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

const routingDecisions = new Counter({
  name: 'consign_routing_decisions_total',
  help: 'Routing decisions made, by why routing ran (capture, backorder, release, reroute) and outcome (allocated, partially_allocated, rejected).',
  labelNames: ['cause', 'outcome'] as const,
  registers: [processRegistry],
});

const planDuration = new Histogram({
  name: 'consign_routing_plan_duration_seconds',
  help: "The planner's time per plan (one per attempt: a concurrent order that took the stock makes a second plan).",
  labelNames: ['cause'] as const,
  buckets: PLAN_BUCKETS,
  registers: [processRegistry],
});

const holdsExpired = new Counter({
  name: 'consign_holds_expired_total',
  help: 'Cart holds released by the expiry sweeper because their time ran out.',
  registers: [processRegistry],
});

const holdStatements = new Histogram({
  name: 'consign_hold_statement_holds',
  help: 'One-line holds at a named location written per statement (group commit: holds of one stock level that arrive while its statement runs go together in the next).',
  buckets: [1, 2, 4, 8, 16, 32, 64, 100],
  registers: [processRegistry],
});

const webhookAttempts = new Counter({
  name: 'consign_webhook_attempts_total',
  help: 'Webhook delivery attempts by outcome: succeeded, retrying (failed, tried again later) or dead (failed for the last time).',
  labelNames: ['outcome'] as const,
  registers: [processRegistry],
});

export function observePlan(cause: string, seconds: number): void {
  planDuration.observe({ cause }, seconds);
}

export function countRoutingDecision(cause: string, outcome: string): void {
  routingDecisions.inc({ cause, outcome });
}

export function countExpiredHolds(count: number): void {
  if (count > 0) holdsExpired.inc(count);
}

export function observeHoldStatement(holds: number): void {
  holdStatements.observe(holds);
}

export function countWebhookAttempt(outcome: 'succeeded' | 'retrying' | 'dead'): void {
  webhookAttempts.inc({ outcome });
}

const reads = new Counter({
  name: 'consign_db_reads_total',
  help: 'Routed reads (availability, order search, reports, customer 360) by the database that served them: replica (DATABASE_READ_URL) or primary.',
  labelNames: ['target'] as const,
  registers: [processRegistry],
});

const readFallbacks = new Counter({
  name: 'consign_db_read_fallbacks_total',
  help: 'Routed reads served by the primary although a replica is configured, by reason: replica_down, replica_lagging (beyond CONSIGN_REPLICA_MAX_LAG_MS), read_after_timeout (the replica had not replayed the client’s own write in time), replica_error (the replica failed the read, which ran again on the primary).',
  labelNames: ['reason'] as const,
  registers: [processRegistry],
});

const processGauge = (name: string, help: string) => new Gauge({ name, help, registers: [processRegistry] });

const replicaUp = processGauge(
  'consign_db_replica_up',
  '1 while the read replica answers and reads may go to it, 0 while it is marked down.',
);
const replicaLagSeconds = processGauge(
  'consign_db_replica_lag_seconds',
  'How long ago the primary was first seen at a WAL position the replica has not replayed yet (0 when caught up, also on an idle primary).',
);
const replicaLagBytes = processGauge(
  'consign_db_replica_lag_bytes',
  'WAL bytes between the primary’s last seen position and what the replica has replayed.',
);

export type ReadFallbackReason = 'replica_down' | 'replica_lagging' | 'read_after_timeout' | 'replica_error';

export function countRead(target: 'replica' | 'primary'): void {
  reads.inc({ target });
}

export function countReadFallback(reason: ReadFallbackReason): void {
  readFallbacks.inc({ reason });
}

export function setReplicaGauges(state: { up: boolean; lagSeconds?: number; lagBytes?: number }): void {
  replicaUp.set(state.up ? 1 : 0);
  if (state.lagSeconds !== undefined) replicaLagSeconds.set(state.lagSeconds);
  if (state.lagBytes !== undefined) replicaLagBytes.set(state.lagBytes);
}
