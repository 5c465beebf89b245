import { sql } from 'drizzle-orm';
import type { Executor } from '../db/index.ts';
import { recordEvents } from '../events/index.ts';
import { deliverShipmentUnits, refreshOrderStatus, transitionFulfillmentOrders } from '../orders/index.ts';

interface DeliveredShipment {
  id: string;
  orderId: string;
  fulfillmentOrderId: string;
  trackingNumber: string | null;
  carrier: string;
  deliveredAt: string;
}

/**
 * What a shipment's delivery means for its order, run once, on the transition into `delivered`
 * (the caller holds the shipment's row lock and has just moved it by compare-and-set, so a
 * duplicate or late delivered event never gets here and never counts the units twice):
 * the shipment's units move to the lines' delivered bucket, its fulfillment order becomes
 * `delivered` once every shipment of it is, and the order's status is derived again.
 */
export async function applyDelivery(
  executor: Executor,
  shipment: DeliveredShipment,
  actor: string | null,
): Promise<void> {
  await deliverShipmentUnits(executor, shipment.id);

  const [fulfillmentOrder] = await transitionFulfillmentOrders(
    executor,
    sql`f.id = ${shipment.fulfillmentOrderId} and f.status = 'shipped'
        and not exists (select 1 from shipments s where s.fulfillment_order_id = f.id and s.status <> 'delivered')`,
    'delivered',
  );

  const base = { order_id: shipment.orderId, actor };
  await recordEvents(executor, [
    {
      type: 'shipment.delivered',
      subjectType: 'order',
      subjectId: shipment.orderId,
      payload: {
        ...base,
        shipment_id: shipment.id,
        fulfillment_order_id: shipment.fulfillmentOrderId,
        carrier: shipment.carrier,
        tracking_number: shipment.trackingNumber,
        delivered_at: shipment.deliveredAt,
      },
    },
    ...(fulfillmentOrder
      ? [
          {
            type: 'fulfillment_order.delivered',
            subjectType: 'order',
            subjectId: shipment.orderId,
            payload: {
              ...base,
              fulfillment_order_id: fulfillmentOrder.id,
              location_id: fulfillmentOrder.location_id,
              status: 'delivered',
            },
          },
        ]
      : []),
  ]);
  await refreshOrderStatus(executor, shipment.orderId, actor);
}
