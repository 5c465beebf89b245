import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

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

export function countWebhookAttempt(outcome: 'succeeded' | 'retrying' | 'dead'): void {
  webhookAttempts.inc({ outcome });
}
