import { sql } from 'drizzle-orm';
import { query, type Executor } from '../db/index.ts';
import { applyMovement, recordShortage } from '../inventory/index.ts';
import { unplaceUnits } from '../orders/index.ts';

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
  await unplaceUnits(executor, allocation, quantity);
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
  await unplaceUnits(executor, allocation, quantity);
}
