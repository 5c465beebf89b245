import { sql } from 'drizzle-orm';
import type { Executor } from '../db/index.ts';

/** A reserved allocation, as far as moving its units needs it. */
interface AllocationUnits {
  id: number;
  order_id: string;
  line_id: string;
  quantity: number;
}

/**
 * Moves `quantity` units of a reserved allocation to `status`: the whole row when it is all of
 * it, otherwise a new row of that status split off the reserved one.
 */
async function shrinkAllocation(
  executor: Executor,
  allocation: AllocationUnits,
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

/** Takes units off an allocation; on the order line they move from allocated to waiting for a location. */
export async function unplaceUnits(executor: Executor, allocation: AllocationUnits, quantity: number): Promise<void> {
  await shrinkAllocation(executor, allocation, quantity, 'released');
  await executor.execute(sql`
    update order_lines set allocated = allocated - ${quantity}, backordered = backordered + ${quantity}
    where order_id = ${allocation.order_id} and line_id = ${allocation.line_id}`);
}

/** Units of an allocation that left in a shipment: the allocation's part is `shipped`. */
export async function shipAllocationUnits(
  executor: Executor,
  allocation: AllocationUnits,
  quantity: number,
): Promise<void> {
  await shrinkAllocation(executor, allocation, quantity, 'shipped');
}

/** A line's shipped units: from allocated to shipped, and to delivered too when handed over in person. */
export async function shipLineUnits(
  executor: Executor,
  line: { orderId: string; lineId: string },
  quantity: number,
  delivered: boolean,
): Promise<void> {
  await executor.execute(sql`
    update order_lines set shipped = shipped + ${quantity}, allocated = allocated - ${quantity}
      ${delivered ? sql`, delivered = delivered + ${quantity}` : sql``}
    where order_id = ${line.orderId} and line_id = ${line.lineId}`);
}

/** A delivered shipment's units move to its lines' delivered bucket. */
export async function deliverShipmentUnits(executor: Executor, shipmentId: string): Promise<void> {
  await executor.execute(sql`
    update order_lines ol set delivered = ol.delivered + sl.quantity
    from shipment_lines sl
    where sl.shipment_id = ${shipmentId} and ol.order_id = sl.order_id and ol.line_id = sl.line_id`);
}
