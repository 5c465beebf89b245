import { drive, type DriveOptions, type DriveResult } from './drive.ts';
import { ApiClient, type HttpCall } from './loadgen.ts';
import type { BenchNetwork } from './network.ts';
import { orderCall, orderNumbers, orderSampler } from './orders.ts';
import type { Target } from './scenarios.ts';

export const FLOW_CONCURRENCIES = [1, 8] as const;

export interface FlowRow {
  concurrency: number;
  /** One operation = one whole flow, order to delivered. */
  result: DriveResult;
  /** HTTP calls per flow on average (they vary with the fulfillment orders an order gets). */
  callsPerFlow: number;
}

interface PlacedOrder {
  id: string;
  fulfillment_orders: { id: string }[];
}

const post = (path: string, body: unknown = {}, headers: Record<string, string> = {}): HttpCall => ({
  method: 'POST',
  path,
  headers,
  body: JSON.stringify(body),
});

async function json<T>(client: ApiClient, call: HttpCall, expected: readonly number[], counter: { calls: number }) {
  counter.calls++;
  const response = await client.expect(call, expected);
  return JSON.parse(response.body.toString('utf8')) as T;
}

/**
 * One order's life through the API: POST /v1/orders (1–2 lines) → per fulfillment order accept,
 * pick, pack, ship (carrier and tracking number) → a `delivered` tracking event per shipment →
 * GET /v1/orders/{id}, which must say `delivered`.
 */
function flow(client: ApiClient, network: BenchNetwork, counter: { calls: number }) {
  const next = orderSampler(network.orders, (random) => 1 + Math.floor(random() * 2));
  const number = orderNumbers('BENCH-FLOW');
  return async () => {
    const externalId = number();
    const order = await json<PlacedOrder>(client, orderCall(network.orders, next(), externalId), [201], counter);
    for (const [i, fo] of order.fulfillment_orders.entries()) {
      for (const step of ['accept', 'pick', 'pack']) {
        await json(client, post(`/v1/fulfillment-orders/${fo.id}/${step}`), [200], counter);
      }
      const tracking = `1Z${externalId.replace(/[^A-Za-z0-9]/g, '').toUpperCase()}${i}`;
      const shipped = await json<{ shipment_id: string }>(
        client,
        post(`/v1/fulfillment-orders/${fo.id}/ship`, { carrier: 'ups', tracking_number: tracking }),
        [200],
        counter,
      );
      const delivered = { events: [{ status: 'delivered', occurred_at: new Date().toISOString() }] };
      const key = { 'idempotency-key': `bench-${tracking}` };
      await json(client, post(`/v1/shipments/${shipped.shipment_id}/tracking-events`, delivered, key), [201], counter);
    }
    const final = await json<{ status: string }>(
      client,
      { method: 'GET', path: `/v1/orders/${order.id}` },
      [200],
      counter,
    );
    if (final.status !== 'delivered') throw new Error(`order ${order.id} ended ${final.status}, not delivered`);
  };
}

/** Closed-loop flows: `concurrency` workers, each starting its next flow when the last one is delivered. */
export async function measureFlows(target: Target, network: BenchNetwork, options: DriveOptions): Promise<FlowRow> {
  const client = new ApiClient(target.url, target.apiKey, options.concurrency);
  const counter = { calls: 0 };
  try {
    const run = flow(client, network, counter);
    let flows = 0;
    const result = await drive(options, async () => {
      await run();
      flows++;
    });
    return { concurrency: options.concurrency, result, callsPerFlow: flows > 0 ? counter.calls / flows : Number.NaN };
  } finally {
    client.close();
  }
}
