import { sql } from 'drizzle-orm';
import { query, type Executor } from '../db/index.ts';
import { applyMovement, recordShortage } from '../inventory/index.ts';

export interface AllocationRow {
  id: number;
  order_id: string;
  line_id: string;
  sku: string;
  location_id: string;
  quantity: number;
}

/** The reserved (not yet shipped) allocations of a fulfillment order, in lock order. */
export async function reservedAllocations(executor: Executor, fulfillmentOrderId: string): Promise<AllocationRow[]> {
  return query<AllocationRow>(
    executor,
    sql`select id, order_id, line_id, sku, location_id, quantity from order_allocations
        where fulfillment_order_id = ${fulfillmentOrderId} and status = 'reserved'
        order by sku, location_id, id`,
  );
}

/**
 * Gives `quantity` units of an allocation back to available stock (ledger `release`) and moves
 * them on the order line from allocated to waiting for a location (routing places them next).
 * The allocation keeps any rest.
 */
export async function releaseAllocation(
  executor: Executor,
  allocation: AllocationRow,
  quantity: number,
  reason: string,
  actor: string | null,
): Promise<void> {
  const level = await applyMovement(
    executor,
    {
      locationId: allocation.location_id,
      sku: allocation.sku,
      kind: 'release',
      onHandDelta: 0,
      reservedDelta: -quantity,
      reason,
      referenceType: 'order',
      referenceId: allocation.order_id,
      actor,
    },
    'none',
  );
  if (!level) throw new Error(`cannot release ${quantity} of ${allocation.sku} at ${allocation.location_id}`);
  await unplace(executor, allocation, quantity);
}

/**
 * Units of an allocation the location could not find: they leave its stock (`recordShortage`:
 * on hand and reserved fall, with a ledger row and an event) and wait for a location again.
 */
export async function shortAllocation(
  executor: Executor,
  allocation: AllocationRow,
  quantity: number,
  fulfillmentOrderId: string,
  actor: string | null,
): Promise<void> {
  await recordShortage(executor, {
    locationId: allocation.location_id,
    sku: allocation.sku,
    quantity,
    orderId: allocation.order_id,
    fulfillmentOrderId,
    reason: `short pick: ${quantity} not found for order ${allocation.order_id}`,
    actor,
  });
  await unplace(executor, allocation, quantity);
}

/** Takes units off an allocation; on the order line they move from allocated to waiting. */
async function unplace(executor: Executor, allocation: AllocationRow, quantity: number): Promise<void> {
  await shrinkAllocation(executor, allocation, quantity, 'released');
  await executor.execute(sql`
    update order_lines set allocated = allocated - ${quantity}, backordered = backordered + ${quantity}
    where order_id = ${allocation.order_id} and line_id = ${allocation.line_id}`);
}

/**
 * Moves `quantity` units of a reserved allocation to `status`: the whole row when it is all of
 * it, otherwise a new row of that status split off the reserved one.
 */
export async function shrinkAllocation(
  executor: Executor,
  allocation: AllocationRow,
  quantity: number,
  status: 'released' | 'shipped',
): Promise<void> {
  if (quantity === allocation.quantity) {
    await executor.execute(sql`update order_allocations set status = ${status} where id = ${allocation.id}`);
    return;
  }
  await executor.execute(
    sql`update order_allocations set quantity = quantity - ${quantity} where id = ${allocation.id}`,
  );
  await executor.execute(sql`
    insert into order_allocations (order_id, line_id, sku, location_id, quantity, status, fulfillment_order_id, decision_id)
    select order_id, line_id, sku, location_id, ${quantity}, ${status}, fulfillment_order_id, decision_id
    from order_allocations where id = ${allocation.id}`);
}
