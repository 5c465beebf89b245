import type { TestContext } from 'vitest';
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

/**
 * Skips the test, saying why, when the server has no such endpoint yet (404): the console's pages
 * for APIs built elsewhere are tested once those APIs are part of Consign.
 */
export async function skipUnlessServed(context: TestContext, request: Requester, path: string, what: string) {
  const response = await request('GET', path);
  if (response.status !== 404) return;
  const message = `Skipping: ${what} is not served by this Consign (GET ${path} answered 404).`;
  console.warn(message);
  context.skip(message);
}
