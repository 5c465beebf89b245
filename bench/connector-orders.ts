import { platformSignature, stringifyExact } from '../src/connectors/index.ts';
import type { DriveOptions } from './drive.ts';
import { generateLoad } from './loadgen.ts';
import type { Summary } from './stats.ts';

/** What the connector bench needs: a channel selling from locations that hold these SKUs in stock. */
export interface ConnectorBenchNetwork {
  /** Channel ID or code; its connector is set to Shopify by the bench. */
  channel: string;
  skus: readonly string[];
}

export interface ConnectorOrdersResult {
  /** Shopify-shaped `POST /v1/connectors/shopify/orders` (signed, big IDs, mapped, placed). */
  connector: Summary;
  /** The same orders as canonical `POST /v1/orders`. */
  plain: Summary;
  /** connector orders/s ÷ plain orders/s. */
  ratio: number;
}

const SECRET = 'consign-bench-shopify-secret';
const ADDRESS = { line1: '350 5th Ave', city: 'New York', region: 'NY', postal_code: '10118', country: 'US' };
let sequence = 0;
/** IDs above 2^53, different on every run so a second run against the same database is not a replay. */
const RUN_BASE = 8_000_000_000_000_000_000n + BigInt(Date.now()) * 100_000n;

/** An orders/create webhook body with IDs above 2^53, one unit each of two SKUs. */
function shopifyOrder(n: number, skus: readonly string[]): string {
  const sku = (k: number) => skus[(n + k) % skus.length]!;
  const base = RUN_BASE + BigInt(n) * 10n;
  return stringifyExact({
    id: base,
    email: `bench${n}@example.com`,
    created_at: new Date().toISOString(),
    currency: 'USD',
    financial_status: 'authorized',
    gateway: 'bogus',
    name: `#B${n}`,
    total_price: '52.99',
    total_tax: '3.00',
    total_discounts: '0.00',
    taxes_included: false,
    tax_lines: [{ price: '3.00', rate: 0.06, title: 'State Tax' }],
    line_items: [0, 1].map((k) => ({
      id: base + BigInt(k + 1),
      sku: sku(k),
      quantity: 1,
      price: '20.00',
      name: sku(k),
    })),
    shipping_lines: [{ id: base + 9n, code: 'Standard', price: '9.99', title: 'Standard' }],
    shipping_address: {
      first_name: 'Bench',
      last_name: 'Buyer',
      address1: ADDRESS.line1,
      city: ADDRESS.city,
      province_code: ADDRESS.region,
      zip: ADDRESS.postal_code,
      country_code: ADDRESS.country,
    },
    customer: { id: base + 7n, first_name: 'Bench', last_name: 'Buyer' },
  });
}

/** The same order in the canonical `POST /v1/orders` shape. */
function plainOrder(n: number, channel: string, skus: readonly string[]): string {
  const usd = (amount: number) => ({ amount, currency: 'USD' });
  return JSON.stringify({
    channel,
    external_id: `bench-plain-${n}`,
    customer: { email: `bench${n}@example.com`, name: 'Bench Buyer' },
    lines: [0, 1].map((k) => ({
      line_id: String(k + 1),
      sku: skus[(n + k) % skus.length],
      quantity: 1,
      unit_price: usd(2000),
    })),
    delivery_method: 'ship',
    shipping_address: { name: 'Bench Buyer', ...ADDRESS },
    shipping: usd(999),
    taxes: [{ name: 'State Tax', amount: usd(300) }],
    total: usd(5299),
    payments: [{ kind: 'authorization', amount: usd(5299), gateway: 'bogus' }],
  });
}

/**
 * Orders per second (p50/p99) through HTTP for Shopify-shaped connector orders and, beside them,
 * plain `POST /v1/orders` with the same content, at the same concurrency. Sets the channel's
 * connector to Shopify first (an admin key is needed). Each order takes one unit of two SKUs.
 */
export async function measureConnectorOrders(
  baseUrl: string,
  adminKey: string,
  network: ConnectorBenchNetwork,
  options: DriveOptions,
): Promise<ConnectorOrdersResult> {
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(new URL(path, baseUrl), {
      method,
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok)
      throw new Error(`connector bench: ${method} ${path} → ${response.status} ${await response.text()}`);
    return response.json() as Promise<unknown>;
  };
  const channels = (await call('GET', '/v1/channels?limit=200')) as { data: { id: string; code: string | null }[] };
  const channel = channels.data.find((c) => c.id === network.channel || c.code === network.channel);
  if (!channel) throw new Error(`connector bench: no channel ${network.channel}`);
  await call('PUT', `/v1/channels/${channel.id}/connector`, {
    platform: 'shopify',
    secret: SECRET,
    on_mismatch: 'reject',
  });
  const run = `${Date.now().toString(36)}`;
  const connector = await generateLoad(
    baseUrl,
    adminKey,
    options,
    () => {
      const raw = shopifyOrder(++sequence, network.skus);
      return {
        method: 'POST',
        path: `/v1/connectors/shopify/orders?channel=${channel.id}`,
        headers: { 'content-type': 'application/json', 'x-shopify-hmac-sha256': platformSignature(raw, SECRET) },
        body: raw,
      };
    },
    [201],
  );
  const plain = await generateLoad(
    baseUrl,
    adminKey,
    options,
    () => ({
      method: 'POST',
      path: '/v1/orders',
      headers: { 'content-type': 'application/json' },
      body: plainOrder(++sequence, channel.id, network.skus).replace('bench-plain-', `bench-plain-${run}-`),
    }),
    [201],
  );
  return { connector, plain, ratio: plain.opsPerSec > 0 ? connector.opsPerSec / plain.opsPerSec : 0 };
}
