import { sampleRequest } from './avatax-server.ts';
import { orderBody, placeOrder, type OrderLineSpec } from './orders.ts';
import type { TestServer } from './server.ts';

const irvine = sampleRequest.addresses.SingleLocation;
const usd = (amount: number) => ({ amount, currency: 'USD' });

/**
 * Places an order shipped to AvaTax's sample address (Irvine, CA 92615) with no shipping or
 * discount, `taxMinor` of tax charged on top of the lines and the whole total authorized.
 */
export async function placeIrvineOrder(
  server: TestServer,
  externalId: string,
  lines: (OrderLineSpec & { price: number })[],
  taxMinor: number,
): Promise<{ id: string; version: number; fulfillment_orders: [{ id: string }] }> {
  const total = lines.reduce((n, l) => n + l.price * l.quantity, 0) + taxMinor;
  const body = orderBody(externalId, lines, {
    shipping_address: {
      name: 'Pat Doe',
      line1: irvine.line1,
      city: irvine.city,
      region: irvine.region,
      postal_code: irvine.postalCode,
      country: irvine.country,
      latitude: 33.657808,
      longitude: -117.968489,
    },
    shipping: usd(0),
    discounts: [],
    taxes: [{ name: 'Sales tax', amount: usd(taxMinor) }],
    total: usd(total),
    payments: [{ kind: 'authorization', amount: usd(total), gateway: 'test', reference: `auth_${externalId}` }],
  });
  const placed = await placeOrder(server, body);
  if (placed.status !== 201) throw new Error(JSON.stringify(placed.body));
  return placed.body;
}
