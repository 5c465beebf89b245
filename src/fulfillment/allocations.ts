import { sql } from 'drizzle-orm';
import { query, type Executor } from '../db/index.ts';
import { applyMovement } from '../inventory/index.ts';

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
 * Gives `quantity` units of an allocation back to available stock (ledger `release`) and takes
 * them off the order line's allocated bucket. The allocation keeps any rest.
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
  await shrinkAllocation(executor, allocation, quantity, 'released');
  await executor.execute(sql`
    update order_lines set allocated = allocated - ${quantity}
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
