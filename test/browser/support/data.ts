import { must, type Requester } from '../../support/client.ts';
import { orderBody, type OrderLineSpec } from '../../support/orders.ts';

/** Places an order and ships every fulfillment order of it through the API; returns the order ID. */
export async function placeAndShip(
  request: Requester,
  externalId: string,
  lines: OrderLineSpec[],
  over: Record<string, unknown> = {},
) {
  const order = await must(request, 'POST', '/v1/orders', orderBody(externalId, lines, over));
  for (const fo of order.fulfillment_orders as { id: string }[]) {
    for (const step of ['accept', 'pick', 'pack'])
      await must(request, 'POST', `/v1/fulfillment-orders/${fo.id}/${step}`, {});
    await must(request, 'POST', `/v1/fulfillment-orders/${fo.id}/ship`, {
      carrier: 'UPS',
      tracking_number: `1Z${externalId}`,
    });
  }
  return order.id as string;
}

/** Marks every shipment of the order delivered now, so its units may be returned. */
export async function deliverAll(request: Requester, orderId: string) {
  const order = await must(request, 'GET', `/v1/orders/${orderId}`);
  for (const shipment of order.shipments as { id: string }[])
    await must(request, 'POST', `/v1/shipments/${shipment.id}/tracking-events`, {
      events: [{ status: 'delivered', occurred_at: new Date().toISOString() }],
    });
}

/** Returns one unit of a delivered order's line by mail, receives it into stock at `locationId` and refunds it. */
export async function returnAndRefund(request: Requester, orderId: string, lineId: string, locationId: string) {
  const started = await must(request, 'POST', '/v1/returns', {
    order_id: orderId,
    method: 'mail_in',
    lines: [{ line_id: lineId, quantity: 1, reason: 'damaged' }],
  });
  await must(request, 'POST', `/v1/returns/${started.id}/receive`, {
    location_id: locationId,
    lines: [{ line_id: lineId, quantity: 1, condition: 'damaged', disposition: 'write_off' }],
  });
  return (await must(request, 'POST', `/v1/returns/${started.id}/refund`, {})).return;
}

/** Minor units of US dollars as the console shows them. */
export const usd = (minor: number) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(minor / 100);
