import type { Db } from '../../src/db/index.ts';
import { runDueSubscriptions, type SchedulerRun } from '../../src/subscriptions/index.ts';
import type { Requester } from './client.ts';
import { createSmallNetwork, setStock, type SmallNetwork } from './fixtures.ts';
import type { TestServer } from './server.ts';

export const DAY_MS = 86_400_000;

/** A valid subscription body: 2 × 12.50 + 5.00 shipping = 30.00 USD, daily from `starts_at`. */
export function subscriptionBody(over: Record<string, unknown> = {}) {
  const usd = (amount: number) => ({ amount, currency: 'USD' });
  return {
    channel: 'web',
    customer: { email: 'sam@example.com', name: 'Sam Lee' },
    lines: [{ sku: 'SKU-0001', quantity: 2, unit_price: usd(1250) }],
    shipping_address: {
      name: 'Sam Lee',
      line1: '350 5th Ave',
      city: 'New York',
      region: 'NY',
      postal_code: '10118',
      country: 'US',
      latitude: 40.7484,
      longitude: -73.9857,
    },
    shipping: usd(500),
    schedule: { every: 1, unit: 'day' },
    starts_at: '2030-01-01T09:00:00.000Z',
    payment: { gateway: 'test', payment_method: 'pm_card_visa' },
    ...over,
  };
}

export async function createSubscription(request: Requester, over: Record<string, unknown> = {}) {
  const response = await request('POST', '/v1/subscriptions', { body: subscriptionBody(over) });
  if (response.status !== 201) throw new Error(`create → ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { id: string; [field: string]: unknown };
}

/** Runs the scheduler at `now` until a run finds nothing due; returns the runs' sums. */
export async function runUntilIdle(db: Db, now: Date, batch = 20): Promise<SchedulerRun> {
  const total: SchedulerRun = { ordered: 0, retrying: 0, failed: 0, skipped: 0, errors: 0 };
  for (let i = 0; i < 1000; i++) {
    const run = await runDueSubscriptions(db, { now, batch });
    for (const key of Object.keys(total) as (keyof SchedulerRun)[]) total[key] += run[key];
    if (run.ordered + run.retrying + run.failed + run.skipped + run.errors < batch) return total;
  }
  throw new Error('the scheduler never went idle');
}

/** The small network with coordinates on both stores (routing measures distance) and `stock` of each SKU at store A. */
export async function createSubscriptionNetwork(server: TestServer, stock = 1000): Promise<SmallNetwork> {
  const net = await createSmallNetwork(server, 3);
  await server.request('PATCH', `/v1/locations/${net.storeA}`, { body: { latitude: 42.3601, longitude: -71.0589 } });
  await server.request('PATCH', `/v1/locations/${net.storeB}`, { body: { latitude: 42.6526, longitude: -73.7562 } });
  for (const sku of net.skus) await setStock(server, net.storeA, sku, stock);
  return net;
}
