import { sql } from 'drizzle-orm';
import type { Executor } from '../db/index.ts';
import { registeredGateways } from '../payments/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { advance, closePeriods, dateOf, skipBefore } from './cursor.ts';
import { recordSubscriptionEvent } from './events.ts';
import { getSubscription, loadSubscription, type SubscriptionRow } from './read.ts';
import type { UpdateSubscription } from './schemas.ts';
import { refuseAction, transitionSubscription, type SubscriptionAction } from './transitions.ts';

interface ManageOptions {
  actor: string;
  /** Channel keys see and manage their own channel's subscriptions only. */
  channelOfKey: string | null;
  now: Date;
  reason?: string | undefined;
}

type View = NonNullable<Awaited<ReturnType<typeof getSubscription>>>;

/** The subscription, locked, if the key may manage it. */
async function lockVisible(executor: Executor, id: string, channelOfKey: string | null) {
  const row = await loadSubscription(executor, id, 'wait');
  if (!row || (channelOfKey !== null && row.channel_id !== channelOfKey))
    return fail(problem('not_found', `No subscription ${id}.`));
  return ok(row);
}

async function skipNext(executor: Executor, s: SubscriptionRow, options: ManageOptions): Promise<Result<void>> {
  if (s.next_period_at === null)
    return fail(problem('illegal_transition', `Subscription ${s.id} has no period left to skip.`));
  const skipped = {
    period: s.next_period,
    scheduled_for: dateOf(s.next_period_at).toISOString(),
    status: 'skipped' as const,
    attempts: s.attempts,
    reason: 'requested',
  };
  await closePeriods(executor, s.id, [skipped]);
  await recordSubscriptionEvent(executor, s.id, 'subscription.skipped', options.actor, {
    reason: 'requested',
    note: options.reason ?? null,
    periods: [{ period: skipped.period, scheduled_for: skipped.scheduled_for }],
  });
  await advance(executor, s, options.actor);
  return ok(undefined);
}

/** Resuming skips the periods that fell while paused: a paused subscription owes nothing for them. */
async function resume(executor: Executor, s: SubscriptionRow, options: ManageOptions): Promise<Result<void>> {
  const moved = await transitionSubscription(executor, s.id, 'paused', 'active');
  if (!moved.ok) return moved;
  await recordSubscriptionEvent(executor, s.id, 'subscription.resumed', options.actor, {
    reason: options.reason ?? null,
  });
  await skipBefore(executor, { ...s, status: 'active' }, options.now, 'paused', options.actor);
  return ok(undefined);
}

async function moveStatus(
  executor: Executor,
  s: SubscriptionRow,
  action: 'pause' | 'cancel',
  options: ManageOptions,
): Promise<Result<void>> {
  const to = action === 'pause' ? 'paused' : 'cancelled';
  const moved = await transitionSubscription(executor, s.id, s.status, to);
  if (!moved.ok) return moved;
  await recordSubscriptionEvent(executor, s.id, `subscription.${to}`, options.actor, {
    reason: options.reason ?? null,
  });
  return ok(undefined);
}

/** Pause, resume, skip the next period, or cancel: each allowed only from the statuses of `subscriptionActions`. */
export async function actOnSubscription(
  executor: Executor,
  id: string,
  action: SubscriptionAction,
  options: ManageOptions,
): Promise<Result<View>> {
  const found = await lockVisible(executor, id, options.channelOfKey);
  if (!found.ok) return found;
  const s = found.value;
  const refused = refuseAction(action, s.status);
  if (refused) return fail(problem('illegal_transition', refused, { from: s.status, action }));
  const done =
    action === 'skip'
      ? await skipNext(executor, s, options)
      : action === 'resume'
        ? await resume(executor, s, options)
        : await moveStatus(executor, s, action, options);
  if (!done.ok) return done;
  return ok((await getSubscription(executor, id))!);
}

/** Changes the card or the address of an active or paused subscription, from its next period on. */
export async function updateSubscription(
  executor: Executor,
  id: string,
  input: UpdateSubscription,
  options: ManageOptions,
): Promise<Result<View>> {
  const found = await lockVisible(executor, id, options.channelOfKey);
  if (!found.ok) return found;
  if (!['active', 'paused'].includes(found.value.status))
    return fail(problem('illegal_transition', `A ${found.value.status} subscription cannot be changed.`));
  if (input.payment && !registeredGateways().includes(input.payment.gateway))
    return fail(problem('validation_failed', `No payment gateway "${input.payment.gateway}" is configured.`));
  await executor.execute(sql`
    update subscriptions set
      payment_gateway = coalesce(${input.payment?.gateway ?? null}, payment_gateway),
      payment_method = coalesce(${input.payment?.payment_method ?? null}, payment_method),
      shipping_address = coalesce(${input.shipping_address ? JSON.stringify(input.shipping_address) : null}::jsonb, shipping_address),
      updated_at = now()
    where id = ${id}`);
  await recordSubscriptionEvent(executor, id, 'subscription.updated', options.actor, { changed: Object.keys(input) });
  return ok((await getSubscription(executor, id))!);
}
