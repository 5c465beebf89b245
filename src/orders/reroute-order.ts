import { sql } from 'drizzle-orm';
import { queryOne, type Executor } from '../db/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { cancelEmptyFulfillmentOrders, releaseLineUnits } from './cancel-order.ts';
import { changeableAllocations } from './changes/load-change.ts';
import { recordOrderEvent } from './events.ts';
import { waitingUnits } from './fulfillment-start.ts';
import { refreshOrderStatus } from './refresh-status.ts';
import { routeOrder } from './route-order.ts';
import { refuseUnmanaged } from '../shared/unmanaged.ts';

const FINAL = ['shipped', 'partially_delivered', 'delivered', 'cancelled'];

/**
 * Sends the order's open units back through routing, as an order change that moves the
 * destination does: units whose location has not accepted the work yet (or that wait
 * back-ordered) are released from it, emptied fulfillment orders are cancelled, and the units
 * are routed again with the rules in force; what cannot be placed waits on a routing hold.
 * Work a location accepted, picked or shipped stays where it is. Called under no lock: it takes
 * the order's row lock first.
 */
export async function rerouteOrder(
  executor: Executor,
  orderId: string,
  options: { reason: string; actor: string },
): Promise<Result<{ released_units: number; outcome: string }>> {
  const order = await queryOne<{ status: string; managed: boolean }>(
    executor,
    sql`select status, managed from orders where id = ${orderId} for update`,
  );
  if (!order) return fail(problem('not_found', `No order ${orderId}.`));
  if (!order.managed) return refuseUnmanaged(orderId, 're-route');
  if (FINAL.includes(order.status))
    return fail(
      problem('illegal_transition', `Order ${orderId} is ${order.status}; nothing is left to route.`, {
        from: order.status,
      }),
    );
  const allocations = await changeableAllocations(executor, orderId, []);
  const byLine = new Map<string, number>();
  for (const a of allocations) byLine.set(a.line_id, (byLine.get(a.line_id) ?? 0) + a.quantity);
  let released = 0;
  for (const [lineId, open] of byLine) {
    await releaseLineUnits(executor, orderId, { line_id: lineId, backordered: 0 }, allocations, open, {
      into: 'backordered',
      reason: `re-route: ${options.reason}`,
      actor: options.actor,
    });
    released += open;
  }
  await cancelEmptyFulfillmentOrders(executor, orderId, options.actor);
  let outcome = 'nothing to route';
  if ((await waitingUnits(executor, orderId)) > 0) {
    const routed = await routeOrder(executor, orderId, { cause: 'reroute', actor: options.actor, onFailure: 'hold' });
    if (!routed.ok) return routed;
    outcome = routed.value?.status ?? outcome;
  }
  await recordOrderEvent(executor, orderId, 'order.rerouted', options.actor, {
    reason: options.reason,
    released_units: released,
    outcome,
  });
  await refreshOrderStatus(executor, orderId, options.actor);
  return ok({ released_units: released, outcome });
}
