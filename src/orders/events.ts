import { sql } from 'drizzle-orm';
import type { Executor } from '../db/index.ts';
import { recordEventsFrom } from '../events/index.ts';

/**
 * An order event in the outbox; the order's timeline is these events, oldest first. Every
 * order event carries the order's channel and status, so channel-scoped subscribers and
 * storefronts get what they need from the event alone.
 */
export async function recordOrderEvent(
  executor: Executor,
  orderId: string,
  type: string,
  actor: string | null,
  data: Record<string, unknown> = {},
): Promise<void> {
  await recordEventsFrom(
    executor,
    sql`select ${type}, 'order', o.id,
               jsonb_build_object('order_id', o.id, 'channel_id', o.channel_id, 'external_id', o.external_id,
                                  'order_status', o.status, 'actor', ${actor}::text) || ${JSON.stringify(data)}::jsonb
        from orders o where o.id = ${orderId}`,
  );
}

/** The head every order event's payload starts with (see `recordOrderEvent`), for events built in memory. */
export interface OrderEventHead {
  id: string;
  channel_id: string;
  external_id: string;
  status: string;
}

/** An order event's payload as `recordOrderEvent` writes it, from an order already in hand. */
export function orderEventPayload(
  order: OrderEventHead,
  actor: string | null,
  data: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    order_id: order.id,
    channel_id: order.channel_id,
    external_id: order.external_id,
    order_status: order.status,
    actor,
    ...data,
  };
}
