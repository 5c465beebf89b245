import { sql } from 'drizzle-orm';
import { queryOne, toIso, type Executor } from '../db/index.ts';
import { subscriptionWantsEvent } from './event-types.ts';

interface SubscriptionBacklog {
  /** Events the subscription wants that have not been delivered yet (queued, retrying or dead). */
  undelivered: number;
  oldest_undelivered_at: string | null;
  /** The most recent failed attempt still on record. */
  last_failure: { at: string; status_code: number | null; error: string } | null;
}

/**
 * What a subscription still owes its endpoint: deliveries not yet succeeded, and the events it
 * wants that the dispatcher has not fanned out yet (after the `webhooks` cursor).
 */
export async function subscriptionBacklog(executor: Executor, subscriptionId: string): Promise<SubscriptionBacklog> {
  const waiting = await queryOne<{ undelivered: number; oldest: string | null }>(
    executor,
    sql`with s as (select * from webhook_subscriptions where id = ${subscriptionId}),
        waiting as (
          select e.created_at from webhook_deliveries d join event_history e on e.id = d.event_id
          where d.subscription_id = ${subscriptionId} and d.status <> 'succeeded'
          union all
          select e.created_at from events e, s
          where s.active and e.created_at >= s.created_at
            and e.id > coalesce((select last_event_id from outbox_cursors where name = 'webhooks'), 0)
            and ${subscriptionWantsEvent}
        )
        select count(*)::int as undelivered, min(created_at) as oldest from waiting`,
  );
  const failure = await queryOne<{ updated_at: string; last_status_code: number | null; last_error: string }>(
    executor,
    sql`select updated_at, last_status_code, last_error from webhook_deliveries
        where subscription_id = ${subscriptionId} and last_error is not null
        order by updated_at desc limit 1`,
  );
  return {
    undelivered: waiting?.undelivered ?? 0,
    oldest_undelivered_at: toIso(waiting?.oldest ?? null),
    last_failure: failure
      ? { at: toIso(failure.updated_at)!, status_code: failure.last_status_code, error: failure.last_error }
      : null,
  };
}

/** Deliveries waiting to be sent (pending: queued or retrying) and how long the oldest has waited. */
export async function pendingDeliveries(executor: Executor): Promise<{ pending: number; oldestSeconds: number }> {
  const row = await queryOne<{ pending: number; oldest_seconds: number | null }>(
    executor,
    sql`select count(*)::int as pending, extract(epoch from now() - min(created_at))::float8 as oldest_seconds
        from webhook_deliveries where status = 'pending'`,
  );
  return { pending: row?.pending ?? 0, oldestSeconds: Math.max(0, row?.oldest_seconds ?? 0) };
}
