import { sql, type SQL } from 'drizzle-orm';
import { query, queryOne, type Executor } from '../db/index.ts';
import { recordOrderEvent } from './events.ts';
import { canTransitionOrder, deriveOrderStatus, type OrderStatus } from './status.ts';

/**
 * Recomputes the order's status from its lines and holds and stores it by compare-and-set on
 * (status, version). A derived status the transition table forbids is a bug: it throws.
 */
export async function refreshOrderStatus(
  executor: Executor,
  orderId: string,
  actor: string | null,
): Promise<OrderStatus> {
  const order = await queryOne<{ status: OrderStatus; version: number; on_hold: boolean }>(
    executor,
    sql`select status, version, exists (select 1 from order_holds h where h.order_id = o.id and h.released_at is null) as on_hold
        from orders o where id = ${orderId} for update`,
  );
  if (!order) throw new Error(`order ${orderId} vanished`);
  const lines = await query<{
    quantity: number;
    allocated: number;
    backordered: number;
    cancelled: number;
    shipped: number;
    delivered: number;
  }>(
    executor,
    sql`select quantity, allocated, backordered, cancelled, shipped, delivered from order_lines where order_id = ${orderId}`,
  );
  const next = deriveOrderStatus(lines, order.on_hold);
  if (next === order.status) return next;
  const updated = await queryOne<{ id: string }>(
    executor,
    sql`${orderStatusWrite(orderId, order.status, next, { version: order.version })} returning id`,
  );
  if (!updated) throw new Error(`order ${orderId} changed under its own lock`);
  for (const event of statusEvents(order.status, next)) {
    await recordOrderEvent(executor, orderId, event.type, actor, event.data);
  }
  return next;
}

/**
 * The one write of an order's status: compare-and-set from `from` (and `version`, when the caller
 * read it) to `next`, which the transition table must allow (a derived status it forbids is a bug:
 * this throws). `also` sets more columns in the same UPDATE. A statement of its own, or a CTE of
 * a larger one (a new order's capture).
 */
export function orderStatusWrite(
  orderId: string,
  from: OrderStatus,
  next: OrderStatus,
  options: { version?: number; also?: SQL } = {},
): SQL {
  if (!canTransitionOrder(from, next)) {
    throw new Error(`order ${orderId}: derived status ${next} is not reachable from ${from}`);
  }
  return sql`update orders set ${options.also ? sql`${options.also}, ` : sql``}status = ${next},
               version = version + ${next === from ? 0 : 1}, updated_at = now()
             where id = ${orderId} and status = ${from}${options.version === undefined ? sql`` : sql` and version = ${options.version}`}`;
}

/** The events a status change announces, in order: the change, then a confirmation or a cancellation. */
export function statusEvents(from: OrderStatus, next: OrderStatus): { type: string; data: Record<string, unknown> }[] {
  const events = [{ type: 'order.status_changed', data: { from, to: next } as Record<string, unknown> }];
  if (next === 'confirmed' || (from === 'created' && next === 'in_process'))
    events.push({ type: 'order.confirmed', data: {} });
  if (next === 'cancelled') events.push({ type: 'order.cancelled', data: {} });
  return events;
}
