import { sql } from 'drizzle-orm';
import { toIso, type Executor } from '../db/index.ts';
import { recordSubscriptionEvent } from './events.ts';
import type { SubscriptionRow } from './read.ts';
import { occurrenceAfter, occurrencesBetween } from './schedule.ts';
import { transitionSubscription } from './transitions.ts';

/**
 * The subscription's cursor: the period it is on, that period's date, when to try it and how
 * often it was tried. Moving it always writes the finished period's row first, under the
 * subscription's row lock, so each period ends exactly once.
 */
export const dateOf = (value: string | Date) => new Date(toIso(value)!);

interface ClosedPeriod {
  period: number;
  scheduled_for: string;
  status: 'ordered' | 'failed' | 'skipped';
  order_id?: string | null;
  attempts?: number;
  reason?: string | null;
}

export async function closePeriods(executor: Executor, subscriptionId: string, periods: ClosedPeriod[]) {
  if (periods.length === 0) return;
  await executor.execute(sql`
    insert into subscription_periods (subscription_id, period, scheduled_for, status, order_id, attempts, reason)
    select ${subscriptionId}, period, scheduled_for, status, order_id, coalesce(attempts, 0), reason
    from jsonb_to_recordset(${JSON.stringify(periods)}::jsonb)
      as t(period int, scheduled_for timestamptz, status text, order_id text, attempts int, reason text)`);
}

/**
 * Puts the cursor on `period` at `date`, with no attempts yet. No date means the schedule has
 * ended: the subscription completes.
 */
async function setCursor(
  executor: Executor,
  subscription: SubscriptionRow,
  period: number,
  date: Date | null,
  actor: string,
) {
  await executor.execute(sql`
    update subscriptions set next_period = ${period}, next_period_at = ${date?.toISOString() ?? null}::timestamptz,
      next_attempt_at = ${date?.toISOString() ?? null}::timestamptz, attempts = 0, updated_at = now()
    where id = ${subscription.id}`);
  if (date !== null) return;
  const completed = await transitionSubscription(executor, subscription.id, subscription.status, 'completed');
  if (!completed.ok) throw new Error(`subscription ${subscription.id} could not complete: ${completed.problem.detail}`);
  await recordSubscriptionEvent(executor, subscription.id, 'subscription.completed', actor, { periods: period - 1 });
}

/** Moves the cursor past the current period (whose row the caller has written). */
export async function advance(executor: Executor, subscription: SubscriptionRow, actor: string): Promise<void> {
  const current = dateOf(subscription.next_period_at!);
  const next = occurrenceAfter(subscription.schedule, dateOf(subscription.starts_at), current);
  await setCursor(executor, subscription, subscription.next_period + 1, next, actor);
}

const SKIP_BATCH = 1_000;

/**
 * Skips the current period and every later one dated before `before` (at most SKIP_BATCH at a
 * time; the rest on the next call), recording each as skipped with `reason`. Returns what it
 * skipped; nothing when the current period is not before `before`.
 */
export async function skipBefore(
  executor: Executor,
  subscription: SubscriptionRow,
  before: Date,
  reason: string,
  actor: string,
): Promise<ClosedPeriod[]> {
  if (subscription.next_period_at === null) return [];
  const first = dateOf(subscription.next_period_at);
  if (first.getTime() >= before.getTime()) return [];
  const anchor = dateOf(subscription.starts_at);
  const later = occurrencesBetween(
    subscription.schedule,
    anchor,
    first,
    new Date(before.getTime() - 1),
    SKIP_BATCH - 1,
  );
  const skipped: ClosedPeriod[] = [first, ...later].map((date, i) => ({
    period: subscription.next_period + i,
    scheduled_for: date.toISOString(),
    status: 'skipped',
    attempts: i === 0 ? subscription.attempts : 0,
    reason,
  }));
  await closePeriods(executor, subscription.id, skipped);
  await recordSubscriptionEvent(executor, subscription.id, 'subscription.skipped', actor, {
    reason,
    periods: skipped.map((p) => ({ period: p.period, scheduled_for: p.scheduled_for })),
  });
  const last = dateOf(skipped.at(-1)!.scheduled_for);
  const next = occurrenceAfter(subscription.schedule, anchor, last);
  await setCursor(executor, subscription, subscription.next_period + skipped.length, next, actor);
  return skipped;
}
