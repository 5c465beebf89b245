import type { TestServer } from './server.ts';

export interface OrderLineSpec {
  sku: string;
  quantity: number;
  price?: number;
  reservation_id?: string;
}

/** A valid order body whose money adds up: lines − discount + shipping + tax = total. */
export function orderBody(externalId: string, lines: OrderLineSpec[], over: Record<string, unknown> = {}) {
  const subtotal = lines.reduce((n, l) => n + (l.price ?? 1000) * l.quantity, 0);
  const discount = Math.min(500, Math.floor(subtotal / 10));
  const shipping = 799;
  const tax = Math.round((subtotal - discount) * 0.08);
  const total = subtotal - discount + shipping + tax;
  const usd = (amount: number) => ({ amount, currency: 'USD' });
  return {
    channel: 'web',
    external_id: externalId,
    customer: { email: `${externalId.toLowerCase()}@example.com`, name: `Customer ${externalId}` },
    lines: lines.map((l, i) => ({
      line_id: `L${i + 1}`,
      sku: l.sku,
      quantity: l.quantity,
      unit_price: usd(l.price ?? 1000),
      ...(l.reservation_id ? { reservation_id: l.reservation_id } : {}),
    })),
    delivery_method: 'ship',
    shipping_address: {
      name: 'Pat Doe',
      line1: '350 5th Ave',
      city: 'New York',
      region: 'NY',
      postal_code: '10118',
      country: 'US',
      latitude: 40.7484,
      longitude: -73.9857,
    },
    shipping: usd(shipping),
    discounts: [{ code: 'WELCOME', amount: usd(discount) }],
    taxes: [{ name: 'Sales tax', rate: 0.08, amount: usd(tax) }],
    total: usd(total),
    payments: [{ kind: 'authorization', amount: usd(total), gateway: 'test', reference: `auth_${externalId}` }],
    ...over,
  };
}

export async function placeOrder(server: TestServer, body: unknown, headers?: Record<string, string>) {
  return server.request('POST', '/v1/orders', { body, headers });
}
