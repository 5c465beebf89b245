import { sql } from 'drizzle-orm';
import { queryOne, type Executor } from '../db/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';

/** The subscription lifecycle as data. `completed` is reached when the schedule has no more dates. */
const subscriptionTransitions = {
  active: ['paused', 'cancelled', 'completed'],
  paused: ['active', 'cancelled', 'completed'],
  cancelled: [],
  completed: [],
} as const satisfies Record<string, readonly string[]>;

export type SubscriptionStatus = keyof typeof subscriptionTransitions;
export const subscriptionStatuses = Object.keys(subscriptionTransitions) as SubscriptionStatus[];

/**
 * What a client may ask for, and from which statuses. `skip` moves no status: it gives up the
 * next period of an active or paused subscription.
 */
export const subscriptionActions = {
  pause: { from: ['active'], to: 'paused' },
  resume: { from: ['paused'], to: 'active' },
  cancel: { from: ['active', 'paused'], to: 'cancelled' },
  skip: { from: ['active', 'paused'], to: null },
} as const satisfies Record<string, { from: readonly SubscriptionStatus[]; to: SubscriptionStatus | null }>;

export type SubscriptionAction = keyof typeof subscriptionActions;

export function canTransitionSubscription(from: SubscriptionStatus, to: SubscriptionStatus): boolean {
  return (subscriptionTransitions[from] as readonly SubscriptionStatus[]).includes(to);
}

/** Why `action` may not run on a subscription in `status`, or null when it may. */
export function refuseAction(action: SubscriptionAction, status: SubscriptionStatus): string | null {
  const rule = subscriptionActions[action];
  if ((rule.from as readonly SubscriptionStatus[]).includes(status)) return null;
  const done = { pause: 'paused', resume: 'resumed', cancel: 'cancelled', skip: 'skipped' }[action];
  return `A ${status} subscription cannot be ${done}.`;
}

/**
 * Compare-and-set: moves a subscription from `from` to `to` only if it is still `from`, with
 * the cursor changes that go with it. Zero rows means another request or the scheduler won.
 */
export async function transitionSubscription(
  executor: Executor,
  id: string,
  from: SubscriptionStatus,
  to: SubscriptionStatus,
): Promise<Result<{ id: string; status: SubscriptionStatus }>> {
  if (!canTransitionSubscription(from, to))
    return fail(problem('illegal_transition', `A subscription cannot go from ${from} to ${to}.`, { from, to }));
  const row = await queryOne<{ id: string; status: SubscriptionStatus }>(
    executor,
    sql`update subscriptions set status = ${to}, updated_at = now(),
          next_attempt_at = case when ${to} in ('cancelled', 'completed') then null else next_attempt_at end
        where id = ${id} and status = ${from}
        returning id, status`,
  );
  if (row) return ok(row);
  const current = await queryOne<{ status: SubscriptionStatus }>(
    executor,
    sql`select status from subscriptions where id = ${id}`,
  );
  if (!current) return fail(problem('not_found', `No subscription ${id}.`));
  return fail(
    problem('illegal_transition', `Subscription ${id} is ${current.status}; it cannot become ${to}.`, {
      from: current.status,
      to,
    }),
  );
}
