import { randomBytes } from 'node:crypto';
import { haversineKm, type Coordinates } from '../src/routing/index.ts';
import { seededRandom } from '../src/shared/random.ts';
import { orderBody } from '../test/support/orders.ts';
import type { CpuReading } from './cpu.ts';
import type { DriveOptions, DriveResult } from './drive.ts';
import { generateLoad, type HttpCall } from './loadgen.ts';
import type { BenchNetwork } from './network.ts';
import type { OrderNetwork } from './order-network.ts';
import { usZip } from './planner.ts';
import type { Target } from './scenarios.ts';
import { measureShopifyOrders } from './connector-orders.ts';

/** Lines per order in the orders scenario (the "3-line orders"). */
export const ORDER_LINES = 3;
export const ORDER_CONCURRENCIES = [1, 8, 32] as const;
const DESTINATIONS = 2_000;
const SEED = 3;

export interface OrderSample {
  postalCode: string;
  destination: Coordinates;
  /** The nearest location: every location holds every SKU, so routing ships the whole order from it. */
  nearestLocationId: string;
  /** Distinct SKUs, one unit each. */
  skus: string[];
}

function nearest(locations: OrderNetwork['locations'], point: Coordinates): string {
  let best = locations[0]!;
  let bestKm = Infinity;
  for (const location of locations) {
    const km = haversineKm(location, point);
    if (km < bestKm) [best, bestKm] = [location, km];
  }
  return best.id;
}

/**
 * Draws orders: a destination from a fixed pool of US ZIP centroids (seeded, so every run and
 * engine sees the same pool) and `lines` distinct SKUs at random.
 */
export function orderSampler(network: OrderNetwork, lines: (random: () => number) => number): () => OrderSample {
  const rand = seededRandom(SEED);
  const pool = Array.from({ length: DESTINATIONS }, () => {
    const { postalCode, point } = usZip(rand);
    return { postalCode, destination: point, nearestLocationId: nearest(network.locations, point) };
  });
  return () => {
    const count = lines(Math.random);
    const skus = new Set<string>();
    while (skus.size < count) skus.add(network.skus[Math.floor(Math.random() * network.skus.length)]!);
    return { ...pool[Math.floor(Math.random() * pool.length)]!, skus: [...skus] };
  };
}

/** A storefront's order: money that adds up, a payment authorization, the customer's ZIP and coordinates. */
export function orderCall(network: OrderNetwork, sample: OrderSample, externalId: string): HttpCall {
  const lines = sample.skus.map((sku, i) => ({ sku, quantity: 1, price: 1_000 + (i % 4) * 250 }));
  const body = orderBody(externalId, lines, {
    channel: network.channel,
    shipping_address: {
      name: 'Pat Doe',
      line1: '1 Main St',
      city: 'Springfield',
      postal_code: sample.postalCode,
      country: 'US',
      latitude: sample.destination.latitude,
      longitude: sample.destination.longitude,
    },
  });
  return {
    method: 'POST',
    path: '/v1/orders',
    headers: { 'idempotency-key': `bench-${externalId}` },
    body: JSON.stringify(body),
  };
}

/** A run-unique order number generator: external_id and Idempotency-Key never repeat. */
export function orderNumbers(prefix: string): () => string {
  const run = randomBytes(4).toString('hex');
  let sequence = 0;
  return () => `${prefix}-${run}-${++sequence}`;
}

/** POST /v1/orders, 3 lines × 1 unit, routed at the default rules: 201 with fulfillment orders. */
function measureApiOrders(target: Target, network: BenchNetwork, options: DriveOptions): Promise<DriveResult> {
  const next = orderSampler(network.orders, () => ORDER_LINES);
  const number = orderNumbers('BENCH-ORD');
  return generateLoad(target.url, target.apiKey, options, () => orderCall(network.orders, next(), number()), [201]);
}

/**
 * A way orders reach Consign. Every source is measured at each concurrency of
 * ORDER_CONCURRENCIES and set against the same raw SQL floor (bench/order-floor.ts).
 */
export interface OrderSource {
  /** The row's label in the report. */
  label: string;
  measure(target: Target, network: BenchNetwork, options: DriveOptions): Promise<DriveResult>;
}

export const SHOPIFY_SOURCE = 'Shopify webhook (connector)';

export const ORDER_SOURCES: readonly OrderSource[] = [
  { label: 'POST /v1/orders', measure: measureApiOrders },
  { label: SHOPIFY_SOURCE, measure: measureShopifyOrders },
];

export interface OrderRow {
  source: string;
  concurrency: number;
  api: DriveResult;
  /** The floor of the same reservations at the same concurrency. */
  floor: DriveResult | undefined;
  /** CPU per order (PostgreSQL on this machine only): the server, PostgreSQL, the load generator. */
  cpu: CpuReading | undefined;
  /** CPU per floor transaction: PostgreSQL, and the floor's client in `benchMs`. */
  floorCpu: CpuReading | undefined;
}
