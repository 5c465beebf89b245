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

/**
 * A delivered shipment's units move to its lines' delivered bucket. A split kit's bundles (on
 * the lines of the shipment that carried its last part) are delivered once the shipment of
 * every part is, whichever that is; the kits' rows are locked first, so two of its shipments
 * delivered at once see each other.
 */
export async function deliverShipmentUnits(executor: Executor, shipmentId: string): Promise<void> {
  await executor.execute(sql`
    select id from order_allocations
    where kit_group in (select kit_group from order_allocations where shipment_id = ${shipmentId})
    order by id for update`);
  await executor.execute(sql`
    with kits as (
      select a.order_id, a.line_id, a.kit_group, max(a.quantity) as quantity,
             bool_or(a.completes_kit and a.shipment_id = ${shipmentId}) as completed_here,
             bool_and(a.status = 'shipped' and s.status = 'delivered') as delivered
      from order_allocations a left join shipments s on s.id = a.shipment_id
      where a.kit_group in (select kit_group from order_allocations where shipment_id = ${shipmentId})
      group by a.order_id, a.line_id, a.kit_group
    ), units as (
      select order_id, line_id, quantity from shipment_lines where shipment_id = ${shipmentId}
      union all
      select order_id, line_id, -quantity from kits where completed_here
      union all
      select order_id, line_id, quantity from kits where delivered
    )
    update order_lines ol set delivered = ol.delivered + u.quantity
    from (select order_id, line_id, sum(quantity)::int as quantity from units group by order_id, line_id) u
    where ol.order_id = u.order_id and ol.line_id = u.line_id and u.quantity <> 0`);
}
