import { sql } from 'drizzle-orm';
import { query, type Executor } from '../db/index.ts';
import { recordEvents } from '../events/index.ts';
import { refreshOrderStatus, routeOrder } from '../orders/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { releaseAllocation, reservedAllocations, shortAllocation, type AllocationRow } from './allocations.ts';
import {
  canTransitionFulfillment,
  illegalMove,
  loadFulfillmentOrder,
  onHoldRefusal,
  transitionFulfillment,
  type FulfillmentOrderRow,
  type FulfillmentStatus,
} from '../orders/index.ts';

export interface StepContext {
  actor: string;
  /** null: any location; otherwise the locations the key may act for. */
  locationIds: string[] | null;
}

/**
 * Loads and locks a fulfillment order the caller may act on by moving it to `to` (null: a step
 * that moves no status); a step that would take work forward is refused while the order is on hold.
 */
export async function actionable(
  executor: Executor,
  id: string,
  context: StepContext,
  to: FulfillmentStatus | null,
): Promise<Result<FulfillmentOrderRow>> {
  // Lock order: the order row first, then the fulfillment order — as cancels, holds and tracking do.
  await executor.execute(
    sql`select 1 from orders where id = (select order_id from fulfillment_orders where id = ${id}) for update`,
  );
  const fo = await loadFulfillmentOrder(executor, id, true);
  if (!fo || (context.locationIds && !context.locationIds.includes(fo.location_id))) {
    return fail(problem('not_found', `No fulfillment order ${id}${context.locationIds ? ' at your locations' : ''}.`));
  }
  const held = onHoldRefusal(fo, to);
  return held ? fail(held) : ok(fo);
}

export async function announce(
  executor: Executor,
  fo: FulfillmentOrderRow,
  type: string,
  actor: string,
  data: Record<string, unknown> = {},
) {
  await recordEvents(executor, [
    {
      type,
      subjectType: 'order',
      subjectId: fo.order_id,
      payload: {
        order_id: fo.order_id,
        actor,
        fulfillment_order_id: fo.id,
        location_id: fo.location_id,
        status: fo.status,
        ...data,
      },
    },
  ]);
}

/** accept / pack: a plain move along the lifecycle (refused while the order is on hold, see `actionable`). */
export async function simpleStep(
  executor: Executor,
  id: string,
  to: FulfillmentStatus,
  context: StepContext,
): Promise<Result<FulfillmentOrderRow>> {
  const found = await actionable(executor, id, context, to);
  if (!found.ok) return found;
  const moved = await transitionFulfillment(executor, found.value, to);
  if (!moved.ok) return moved;
  if (to === 'accepted') {
    await executor.execute(sql`
      insert into fulfillment_order_details (fulfillment_order_id, accepted_at) values (${id}, now())
      on conflict (fulfillment_order_id) do update set accepted_at = now()`);
  }
  await announce(executor, moved.value, `fulfillment_order.${to}`, context.actor);
  return moved;
}

/**
 * Rejection (or a short pick): the location cannot fulfil some units. They are routed again
 * with this location left out (as is every location that rejected this order); if nothing can
 * take them, they wait on a routing hold with the reason.
 */
async function rerouteFrom(executor: Executor, fo: FulfillmentOrderRow, actor: string, reason: string): Promise<void> {
  const routed = await routeOrder(executor, fo.order_id, {
    cause: 'reroute',
    actor,
    excludeLocationIds: [fo.location_id],
    onFailure: 'hold',
  });
  if (!routed.ok) throw new Error(`re-routing ${fo.order_id} failed: ${routed.problem.detail}`);
  const rejectedAt = await query<{ location_id: string }>(
    executor,
    sql`select distinct location_id from fulfillment_orders where order_id = ${fo.order_id} and status = 'rejected'`,
  );
  await announce(executor, fo, 'order.rerouted', actor, {
    reason,
    excluded_location_ids: [...new Set([fo.location_id, ...rejectedAt.map((r) => r.location_id)])],
    outcome: routed.value?.status ?? 'nothing to route',
  });
}

export async function rejectFulfillmentOrder(
  executor: Executor,
  id: string,
  reason: string,
  context: StepContext,
): Promise<Result<FulfillmentOrderRow>> {
  const found = await actionable(executor, id, context, 'rejected');
  if (!found.ok) return found;
  const moved = await transitionFulfillment(executor, found.value, 'rejected');
  if (!moved.ok) return moved;
  for (const allocation of await reservedAllocations(executor, id)) {
    await releaseAllocation(executor, allocation, allocation.quantity, `rejected: ${reason}`, context.actor);
  }
  await executor.execute(sql`
    insert into fulfillment_order_details (fulfillment_order_id, rejection_reason) values (${id}, ${reason})
    on conflict (fulfillment_order_id) do update set rejection_reason = ${reason}`);
  await announce(executor, moved.value, 'fulfillment_order.rejected', context.actor, { reason });
  await rerouteFrom(executor, moved.value, context.actor, reason);
  await refreshOrderStatus(executor, moved.value.order_id, context.actor);
  return moved;
}

/**
 * Picking: with `shortages`, the units not found leave the location's stock (`shortAllocation`)
 * and are routed elsewhere; the fulfillment order goes on with what was found, or is rejected
 * if nothing was.
 */
export async function pickFulfillmentOrder(
  executor: Executor,
  id: string,
  shortages: { line_id: string; quantity: number }[],
  context: StepContext,
): Promise<Result<FulfillmentOrderRow>> {
  const found = await actionable(executor, id, context, 'picking');
  if (!found.ok) return found;
  const allocations = await reservedAllocations(executor, id);
  for (const short of shortages) {
    const held = allocations.filter((a) => a.line_id === short.line_id).reduce((n, a) => n + a.quantity, 0);
    if (short.quantity > held) {
      return fail(
        problem(
          'validation_failed',
          `Line ${short.line_id} has ${held} units here; ${short.quantity} cannot be short.`,
          { errors: [{ pointer: '/shortages', message: 'more than allocated' }] },
        ),
      );
    }
  }
  const total = allocations.reduce((n, a) => n + a.quantity, 0);
  const missing = shortages.reduce((n, s) => n + s.quantity, 0);
  if (!canTransitionFulfillment(found.value.status, 'picking')) {
    // Checked before anything moves: a pick that finds nothing must not skip accepting the work.
    return fail(illegalMove(found.value, 'picking'));
  }
  if (missing > 0 && missing === total) {
    await recordShortages(executor, found.value, allocations, shortages, context.actor);
    return rejectFulfillmentOrder(executor, id, 'nothing found at picking', context);
  }
  const moved = await transitionFulfillment(executor, found.value, 'picking');
  if (!moved.ok) return moved;
  await recordShortages(executor, moved.value, allocations, shortages, context.actor);
  await announce(executor, moved.value, 'fulfillment_order.picking', context.actor, { shortages });
  if (missing > 0) {
    await rerouteFrom(executor, moved.value, context.actor, 'short pick');
    await refreshOrderStatus(executor, moved.value.order_id, context.actor);
  }
  return moved;
}

async function recordShortages(
  executor: Executor,
  fo: FulfillmentOrderRow,
  allocations: AllocationRow[],
  shortages: { line_id: string; quantity: number }[],
  actor: string,
): Promise<void> {
  for (const short of shortages) {
    let left = short.quantity;
    for (const allocation of allocations.filter((a) => a.line_id === short.line_id)) {
      const take = Math.min(left, allocation.quantity);
      if (take > 0) {
        await shortAllocation(executor, allocation, take, fo.id, actor);
        allocation.quantity -= take;
      }
      left -= take;
    }
  }
}
