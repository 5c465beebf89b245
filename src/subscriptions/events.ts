import { sql } from 'drizzle-orm';
import type { Executor } from '../db/index.ts';
import { recordEventsFrom } from '../events/index.ts';

type SubscriptionEventType =
  | 'subscription.created'
  | 'subscription.paused'
  | 'subscription.resumed'
  | 'subscription.skipped'
  | 'subscription.cancelled'
  | 'subscription.completed'
  | 'subscription.updated'
  | 'subscription.order_created'
  | 'subscription.order_failed';

/**
 * A subscription event in the outbox, written in the caller's transaction. Each carries the
 * subscription's channel and status as they are after the change, so channel-scoped webhook
 * subscribers receive their channel's events.
 */
export async function recordSubscriptionEvent(
  executor: Executor,
  subscriptionId: string,
  type: SubscriptionEventType,
  actor: string | null,
  data: Record<string, unknown> = {},
): Promise<void> {
  await recordEventsFrom(
    executor,
    sql`select ${type}, 'subscription', s.id,
               jsonb_build_object('subscription_id', s.id, 'channel_id', s.channel_id, 'status', s.status,
                                  'actor', ${actor}::text) || ${JSON.stringify(data)}::jsonb
        from subscriptions s where s.id = ${subscriptionId}`,
  );
}
