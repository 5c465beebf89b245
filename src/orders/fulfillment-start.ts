import { sql } from 'drizzle-orm';
import { query, queryOne, type Executor } from '../db/index.ts';
import { recordOrderEvent } from './events.ts';
import { createFulfillmentOrders } from './fulfillment-orders.ts';

/**
 * When work reaches the locations: an order's reserved allocations become fulfillment orders
 * once no hold stops work. A routing hold is the system's own ("no location can take these
 * units"); it is lifted as soon as that is no longer true.
 */

/** Holds that stop work at the locations: every active hold but a routing hold, which holds only the units that wait. */
async function workHoldCount(executor: Executor, orderId: string): Promise<number> {
  const row = await queryOne<{ n: number }>(
    executor,
    sql`select count(*)::int as n from order_holds where order_id = ${orderId} and released_at is null and kind <> 'routing'`,
  );
  return row?.n ?? 0;
}

/** The delivery method the last routing decision planned (a pickup may have fallen back to ship). */
async function plannedMethod(executor: Executor, orderId: string): Promise<string> {
  const row = await queryOne<{ method: string | null; requested: string }>(
    executor,
    sql`select (select explanation->>'deliveryMethod' from routing_decisions d
                where d.order_id = o.id and d.outcome <> 'rejected' order by d.id desc limit 1) as method,
               o.delivery_method as requested
        from orders o where o.id = ${orderId}`,
  );
  return row?.method ?? row?.requested ?? 'ship';
}

/**
 * Creates fulfillment orders for the order's reserved allocations that have none, unless a hold
 * stops work. `method`: the delivery method just planned, when the caller knows it.
 */
export async function startFulfillmentIfFree(
  executor: Executor,
  orderId: string,
  actor: string | null,
  method?: string,
): Promise<string[]> {
  if ((await workHoldCount(executor, orderId)) > 0) return [];
  return createFulfillmentOrders(executor, orderId, method ?? (await plannedMethod(executor, orderId)), actor);
}

/**
 * Lifts the order's routing hold, if it has one, with an `order.hold_released` event saying
 * why. Returns whether there was one.
 */
export async function releaseRoutingHold(
  executor: Executor,
  orderId: string,
  actor: string | null,
  reason: string,
): Promise<boolean> {
  const released = await query<{ id: number }>(
    executor,
    sql`update order_holds set released_at = now(), released_by = ${actor}
        where order_id = ${orderId} and kind = 'routing' and released_at is null returning id`,
  );
  if (released.length === 0) return false;
  await recordOrderEvent(executor, orderId, 'order.hold_released', actor, { kinds: ['routing'], reason });
  return true;
}

/** Units of the order that wait for a location (back-ordered or awaiting routing). */
export async function waitingUnits(executor: Executor, orderId: string): Promise<number> {
  const row = await queryOne<{ n: number }>(
    executor,
    sql`select coalesce(sum(backordered), 0)::int as n from order_lines where order_id = ${orderId}`,
  );
  return row?.n ?? 0;
}
