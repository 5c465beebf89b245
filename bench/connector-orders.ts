import { platformSignature, stringifyExact } from '../src/connectors/index.ts';
import type { DriveOptions, DriveResult } from './drive.ts';
import { generateLoad, type HttpCall } from './loadgen.ts';
import type { BenchNetwork } from './network.ts';
import { ORDER_LINES, orderSampler, type OrderSample } from './orders.ts';
import type { Target } from './scenarios.ts';

const SECRET = 'consign-bench-shopify-secret';
/** IDs above 2^53, different on every run so a second run against the same database is not a replay. */
const RUN_BASE = 8_000_000_000_000_000_000n + BigInt(Date.now()) * 100_000n;
let sequence = 0;

const decimal = (minor: number) => (minor / 100).toFixed(2);

/**
 * An `orders/create` webhook body with IDs above 2^53 and the same content as the plain
 * scenario's order (bench/orders.ts `orderCall`, via test/support/orders.ts): the same prices,
 * discount, shipping, 8% tax and total, the sample's SKUs and destination ZIP with coordinates.
 */
export function shopifyOrder(n: number, sample: OrderSample): string {
  const prices = sample.skus.map((_, i) => 1_000 + (i % 4) * 250);
  const subtotal = prices.reduce((a, b) => a + b, 0);
  const discount = Math.min(500, Math.floor(subtotal / 10));
  const shipping = 799;
  const tax = Math.round((subtotal - discount) * 0.08);
  const base = RUN_BASE + BigInt(n) * 10n;
  return stringifyExact({
    id: base,
    name: `#B${n}`,
    email: `bench${n}@example.com`,
    created_at: new Date().toISOString(),
    currency: 'USD',
    financial_status: 'authorized',
    gateway: 'bogus',
    total_price: decimal(subtotal - discount + shipping + tax),
    total_tax: decimal(tax),
    total_discounts: decimal(discount),
    discount_codes: [{ code: 'WELCOME', amount: decimal(discount), type: 'fixed_amount' }],
    taxes_included: false,
    tax_lines: [{ price: decimal(tax), rate: 0.08, title: 'Sales tax' }],
    line_items: sample.skus.map((sku, k) => ({
      id: base + BigInt(k + 1),
      sku,
      quantity: 1,
      price: decimal(prices[k]!),
      name: sku,
    })),
    shipping_lines: [{ id: base + 9n, code: 'Standard', price: decimal(shipping), title: 'Standard' }],
    shipping_address: {
      first_name: 'Pat',
      last_name: 'Doe',
      address1: '1 Main St',
      city: 'Springfield',
      zip: sample.postalCode,
      country_code: 'US',
      latitude: sample.destination.latitude,
      longitude: sample.destination.longitude,
    },
    customer: { id: base + 7n, first_name: 'Pat', last_name: 'Doe' },
  });
}

async function useShopifyConnector(target: Target, channel: string): Promise<string> {
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(new URL(path, target.url), {
      method,
      headers: { authorization: `Bearer ${target.apiKey}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok)
      throw new Error(`connector bench: ${method} ${path} → ${response.status} ${await response.text()}`);
    return response.json() as Promise<unknown>;
  };
  const channels = (await call('GET', '/v1/channels?limit=200')) as { data: { id: string; code: string | null }[] };
  const found = channels.data.find((c) => c.id === channel || c.code === channel);
  if (!found) throw new Error(`connector bench: no channel ${channel}`);
  await call('PUT', `/v1/channels/${found.id}/connector`, {
    platform: 'shopify',
    secret: SECRET,
    on_mismatch: 'reject',
  });
  return found.id;
}

/**
 * Shopify-shaped orders through `POST /v1/connectors/shopify/orders`: signed with the channel's
 * secret, parsed with exact big IDs, mapped to the canonical order and placed like
 * `POST /v1/orders`. Same samples (3 lines, 50 locations) as the plain orders row beside it.
 */
export async function measureShopifyOrders(
  target: Target,
  network: BenchNetwork,
  options: DriveOptions,
): Promise<DriveResult> {
  const channelId = await useShopifyConnector(target, network.orders.channel);
  const next = orderSampler(network.orders, () => ORDER_LINES);
  const call = (): HttpCall => {
    const raw = shopifyOrder(++sequence, next());
    return {
      method: 'POST',
      path: `/v1/connectors/shopify/orders?channel=${channelId}`,
      headers: { 'content-type': 'application/json', 'x-shopify-hmac-sha256': platformSignature(raw, SECRET) },
      body: raw,
    };
  };
  return generateLoad(target.url, target.apiKey, options, call, [201]);
}
