import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { queryOne, type Executor, type Tx } from '../db/index.ts';
import { placeOrder } from '../orders/index.ts';
import { gatewayFor } from '../payments/index.ts';
import { problem, ProblemError, type Problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { advance, closePeriods, dateOf, skipBefore } from './cursor.ts';
import { recordSubscriptionEvent } from './events.ts';
import { periodExternalId, periodOrder } from './order-body.ts';
import { loadSubscription, type SubscriptionRow } from './read.ts';
import { latestBetween } from './schedule.ts';
import { transitionSubscription } from './transitions.ts';

export const SCHEDULER_ACTOR = 'subscription-scheduler';

export type StepOutcome = 'ordered' | 'retrying' | 'failed';

/**
 * Authorizes the period's amount with the subscription's saved payment method, then places the
 * order through the order pipeline (capture, routing, events) as the channel would. The order's
 * external ID is the period's, so the pipeline's unique (channel, external_id) makes a period's
 * order exactly-once whoever places it; an order that already exists is the period's order.
 */
async function placePeriodOrder(tx: Tx, s: SubscriptionRow, attempt: number, now: Date): Promise<Result<string>> {
  const externalId = periodExternalId(s.id, s.next_period);
  const existing = await queryOne<{ id: string }>(
    tx,
    sql`select id from orders where channel_id = ${s.channel_id} and external_id = ${externalId}`,
  );
  if (existing) return ok(existing.id);
  let reference: string | null = null;
  if (s.total_minor > 0) {
    const gateway = gatewayFor(s.payment_gateway, tx);
    if (!gateway) return fail(problem('payment_declined', `No payment gateway "${s.payment_gateway}" is configured.`));
    const authorized = await gateway.authorize({
      orderReference: externalId,
      amountMinor: s.total_minor,
      currency: s.currency,
      paymentMethod: s.payment_method,
      idempotencyKey: `${externalId}:${attempt}`,
    });
    if (authorized.status === 'declined')
      return fail(
        problem('payment_declined', `The payment was declined: ${authorized.message}`, {
          decline_code: authorized.code,
        }),
      );
    reference = authorized.reference;
  }
  const placed = await placeOrder(tx, periodOrder(s, s.next_period, now, reference), {
    requestHash: createHash('sha256').update(`subscription period ${externalId}`).digest('hex'),
    actor: SCHEDULER_ACTOR,
    channelOfKey: null,
    live: true,
  });
  if (!placed.ok) return placed;
  return ok(placed.value.order.id);
}

/** Runs the placement in a savepoint: a failed attempt leaves nothing of the order behind. */
async function tryPlace(tx: Tx, s: SubscriptionRow, attempt: number, now: Date): Promise<Result<string>> {
  try {
    return await tx.transaction(async (savepoint) => {
      const placed = await placePeriodOrder(savepoint, s, attempt, now);
      if (!placed.ok) throw new ProblemError(placed.problem);
      return placed;
    });
  } catch (error) {
    if (error instanceof ProblemError) return fail(error.problem);
    throw error;
  }
}

async function recordAttempt(
  executor: Executor,
  s: SubscriptionRow,
  attempt: number,
  now: Date,
  outcome: { orderId: string } | { problem: Problem },
) {
  const failed = 'problem' in outcome ? outcome.problem : null;
  await executor.execute(sql`
    insert into subscription_attempts (subscription_id, period, attempt, outcome, code, detail, order_id, attempted_at)
    values (${s.id}, ${s.next_period}, ${attempt}, ${failed ? 'failed' : 'ordered'}, ${failed?.code ?? null},
            ${failed?.detail ?? null}, ${'orderId' in outcome ? outcome.orderId : null}, ${now.toISOString()}::timestamptz)`);
}

/** Backoff before attempt `attempt + 1`: the base, doubled for each attempt after the first. */
const retryDelayMs = (s: Pick<SubscriptionRow, 'retry_backoff_seconds'>, attempt: number) =>
  s.retry_backoff_seconds * 1000 * 2 ** Math.min(attempt - 1, 20);

/**
 * Records a failed attempt. Within the policy's attempts the period waits for its retry;
 * after the last one it is failed for good and the subscription goes on, or pauses.
 */
export async function recordFailure(tx: Tx, s: SubscriptionRow, attempt: number, failure: Problem, now: Date) {
  await recordAttempt(tx, s, attempt, now, { problem: failure });
  const period = { period: s.next_period, scheduled_for: dateOf(s.next_period_at!).toISOString() };
  const failed = { code: failure.code, detail: failure.detail, attempt, max_attempts: s.max_attempts };
  if (attempt < s.max_attempts) {
    const retryAt = new Date(now.getTime() + retryDelayMs(s, attempt));
    await tx.execute(sql`
      update subscriptions set attempts = ${attempt}, next_attempt_at = ${retryAt.toISOString()}::timestamptz, updated_at = now()
      where id = ${s.id}`);
    await recordSubscriptionEvent(tx, s.id, 'subscription.order_failed', SCHEDULER_ACTOR, {
      ...period,
      ...failed,
      final: false,
      retry_at: retryAt.toISOString(),
    });
    return 'retrying' as const;
  }
  await closePeriods(tx, s.id, [{ ...period, status: 'failed', attempts: attempt, reason: failure.code }]);
  await recordSubscriptionEvent(tx, s.id, 'subscription.order_failed', SCHEDULER_ACTOR, {
    ...period,
    ...failed,
    final: true,
  });
  await advance(tx, s, SCHEDULER_ACTOR);
  if (s.on_failure === 'pause') {
    const paused = await transitionSubscription(tx, s.id, 'active', 'paused');
    if (paused.ok)
      await recordSubscriptionEvent(tx, s.id, 'subscription.paused', SCHEDULER_ACTOR, {
        reason: 'order_failed',
        ...period,
      });
  }
  return 'failed' as const;
}

/**
 * `latest_only`: before the first attempt at a period, every period that is due except the
 * latest is skipped (recorded as `missed`). Returns the subscription as it is afterwards.
 */
async function catchUp(tx: Tx, s: SubscriptionRow, now: Date): Promise<SubscriptionRow> {
  if (s.catch_up !== 'latest_only' || s.attempts > 0 || s.next_period_at === null) return s;
  const latest = latestBetween(s.schedule, dateOf(s.starts_at), dateOf(s.next_period_at), now);
  if (!latest) return s;
  await skipBefore(tx, s, latest, 'missed', SCHEDULER_ACTOR);
  return (await loadSubscription(tx, s.id))!;
}

/**
 * One step for a due subscription the caller holds locked: one attempt at its current period
 * (after skipping missed periods under `latest_only`). The attempt, the period's end, the cursor
 * move and their events commit together with the order, or not at all.
 */
export async function workOnSubscription(tx: Tx, due: SubscriptionRow, now: Date): Promise<StepOutcome | 'skipped'> {
  const s = await catchUp(tx, due, now);
  if (s.status !== 'active' || s.next_period_at === null) return 'skipped';
  if (dateOf(s.next_period_at).getTime() > now.getTime()) return 'skipped';
  const attempt = s.attempts + 1;
  const placed = await tryPlace(tx, s, attempt, now);
  if (!placed.ok) return recordFailure(tx, s, attempt, placed.problem, now);
  await recordAttempt(tx, s, attempt, now, { orderId: placed.value });
  const period = { period: s.next_period, scheduled_for: dateOf(s.next_period_at).toISOString() };
  await closePeriods(tx, s.id, [{ ...period, status: 'ordered', order_id: placed.value, attempts: attempt }]);
  await recordSubscriptionEvent(tx, s.id, 'subscription.order_created', SCHEDULER_ACTOR, {
    ...period,
    attempt,
    order_id: placed.value,
    external_id: periodExternalId(s.id, s.next_period),
  });
  await advance(tx, s, SCHEDULER_ACTOR);
  return 'ordered';
}
