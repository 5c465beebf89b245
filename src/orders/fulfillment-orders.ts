import { sql } from 'drizzle-orm';
import { query, queryOne, type Executor } from '../db/index.ts';
import { recordEvents } from '../events/index.ts';
import { newId } from '../shared/ids.ts';

/**
 * Creates one fulfillment order per location (status `allocated`) for the order's reserved
 * allocations that have no fulfillment work yet. Called when the order is routed and not on
 * hold, or when its last hold is released.
 */
export async function createFulfillmentOrders(
  executor: Executor,
  orderId: string,
  deliveryMethod: string,
  actor: string | null,
): Promise<string[]> {
  const pending = await query<{ location_id: string }>(
    executor,
    sql`select distinct location_id from order_allocations
        where order_id = ${orderId} and status = 'reserved' and fulfillment_order_id is null
        order by location_id`,
  );
  const created: string[] = [];
  for (const { location_id } of pending) {
    const id = newId('fo');
    await executor.execute(sql`
      insert into fulfillment_orders (id, order_id, location_id, delivery_method, status)
      values (${id}, ${orderId}, ${location_id}, ${deliveryMethod}, 'allocated')`);
    await executor.execute(sql`
      update order_allocations set fulfillment_order_id = ${id}
      where order_id = ${orderId} and location_id = ${location_id} and status = 'reserved' and fulfillment_order_id is null`);
    created.push(id);
  }
  await recordEvents(
    executor,
    created.map((id, i) => ({
      type: 'fulfillment_order.created',
      subjectType: 'order',
      subjectId: orderId,
      payload: fulfillmentOrderCreated(orderId, actor, id, pending[i]!.location_id, deliveryMethod),
    })),
  );
  return created;
}

/** The `fulfillment_order.created` payload (the outbox adds the order's channel). */
export function fulfillmentOrderCreated(
  orderId: string,
  actor: string | null,
  fulfillmentOrderId: string,
  locationId: string,
  deliveryMethod: string,
): Record<string, unknown> {
  return {
    order_id: orderId,
    actor,
    fulfillment_order_id: fulfillmentOrderId,
    location_id: locationId,
    delivery_method: deliveryMethod,
    status: 'allocated',
  };
}

/**
 * Compare-and-set on (status, version): moves a fulfillment order only from the status the
 * caller saw. Returns the new version, or undefined when someone else moved it first. Which
 * moves are legal is the fulfillment capability's lifecycle.
 */
export async function setFulfillmentOrderStatus(
  executor: Executor,
  fo: { id: string; status: string; version: number },
  to: string,
): Promise<number | undefined> {
  const row = await queryOne<{ version: number }>(
    executor,
    sql`update fulfillment_orders set status = ${to}, version = version + 1, updated_at = now()
        where id = ${fo.id} and status = ${fo.status} and version = ${fo.version} returning version`,
  );
  return row?.version;
}

/** A shipped fulfillment order becomes `delivered` once every shipment of it is; returns it if it did. */
export async function deliverFulfillmentOrder(
  executor: Executor,
  fulfillmentOrderId: string,
): Promise<{ id: string; location_id: string } | undefined> {
  return queryOne<{ id: string; location_id: string }>(
    executor,
    sql`update fulfillment_orders set status = 'delivered', version = version + 1, updated_at = now()
        where id = ${fulfillmentOrderId} and status = 'shipped'
          and not exists (select 1 from shipments s where s.fulfillment_order_id = ${fulfillmentOrderId} and s.status <> 'delivered')
        returning id, location_id`,
  );
}
