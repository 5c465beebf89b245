import { sql } from 'drizzle-orm';
import { queryOne, type Executor } from '../db/index.ts';
import { recordEvents } from '../events/index.ts';

export interface OrderRef {
  id: string;
  channel_id: string;
  currency: string;
}

/**
 * Puts the order on a `payment` hold (once: an active one is kept) so that no new fulfillment
 * work starts while the money is unresolved. Units already shipped stay shipped.
 */
export async function holdForPayment(
  executor: Executor,
  order: OrderRef,
  reason: string,
  actor: string | null,
): Promise<void> {
  const active = await queryOne<{ id: number }>(
    executor,
    sql`select id from order_holds where order_id = ${order.id} and kind = 'payment' and released_at is null limit 1`,
  );
  if (active) return;
  await executor.execute(
    sql`insert into order_holds (order_id, kind, reason, created_by) values (${order.id}, 'payment', ${reason}, ${actor})`,
  );
  await recordEvents(executor, [
    {
      type: 'order.held',
      subjectType: 'order',
      subjectId: order.id,
      payload: { order_id: order.id, channel_id: order.channel_id, actor, kind: 'payment', reason },
    },
  ]);
}

/** Locks the order row: every payments use case starts here, so operations on one order never interleave. */
export async function lockOrder(
  executor: Executor,
  orderId: string,
): Promise<(OrderRef & { shipping_minor: number; total_minor: number }) | undefined> {
  return queryOne(
    executor,
    sql`select id, channel_id, currency, shipping_minor, total_minor from orders where id = ${orderId} for update`,
  );
}
