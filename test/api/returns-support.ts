import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createSmallNetwork, setStock, type SmallNetwork } from '../support/fixtures.ts';
import { orderBody, placeOrder } from '../support/orders.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { ship } from './payments-support.ts';

/** One server and database per test file, a small network whose store A takes returns. */
export interface ReturnsWorld {
  database: TestDatabase;
  server: TestServer;
  net: SmallNetwork;
  close(): Promise<void>;
}

export async function startReturnsWorld(): Promise<ReturnsWorld> {
  const database = await createTestDatabase();
  const server = await startTestServer(database);
  const net = await createSmallNetwork(server, 4);
  await server.request('PATCH', `/v1/locations/${net.storeA}`, {
    body: { latitude: 40.75, longitude: -73.99, capabilities: ['ship', 'pickup', 'returns'] },
  });
  await server.request('PATCH', `/v1/locations/${net.storeB}`, { body: { latitude: 42.65, longitude: -73.75 } });
  for (const sku of net.skus.slice(0, 3)) await setStock(server, net.storeA, sku, 1000);
  return {
    database,
    server,
    net,
    close: async () => {
      await server.close();
      await database.close();
    },
  };
}

/** The test file's world: started before its tests, closed after them; `request` calls its server. */
export function useReturnsWorld() {
  const file = {
    world: undefined as unknown as ReturnsWorld,
    request: (...args: Parameters<TestServer['request']>) => file.world.server.request(...args),
  };
  beforeAll(async () => {
    file.world = await startReturnsWorld();
  });
  afterAll(async () => {
    await file.world?.close();
  });
  return file;
}

let counter = 0;
export interface Line {
  sku: string;
  quantity: number;
  price?: number;
}

/** Places an order, ships every unit from its first fulfillment order and delivers it (at `deliveredAt`). */
export async function deliveredOrder(
  world: ReturnsWorld,
  lines: Line[],
  options: {
    deliveredAt?: string;
    prefix?: string;
    cancel?: { line_id: string; quantity: number }[];
    /** Overrides of the order body, e.g. `plainMoney(lines)`. */
    over?: Record<string, unknown>;
  } = {},
) {
  counter += 1;
  const { server } = world;
  const placed = await placeOrder(
    server,
    orderBody(`${options.prefix ?? 'RET'}-${counter}`, lines, options.over ?? {}),
  );
  if (placed.status !== 201) throw new Error(JSON.stringify(placed.body));
  const order = placed.body;
  if (options.cancel) {
    const cancelled = await server.request('POST', `/v1/orders/${order.id}/cancel`, {
      body: { reason: 'customer changed the order', lines: options.cancel },
    });
    if (cancelled.status !== 200) throw new Error(JSON.stringify(cancelled.body));
  }
  const shipped = await ship(server, order.fulfillment_orders[0].id);
  await deliver(server, shipped.shipment_id, options.deliveredAt);
  return (await server.request('GET', `/v1/orders/${order.id}`)).body;
}

/** Order body overrides for the lines' prices only: no discount, tax or shipping. */
export function plainMoney(lines: Line[], reference = `auth_plain_${counter + 1}`) {
  const usd = (amount: number) => ({ amount, currency: 'USD' });
  const total = lines.reduce((n, l) => n + (l.price ?? 1000) * l.quantity, 0);
  return {
    discounts: [],
    taxes: [],
    shipping: usd(0),
    total: usd(total),
    payments: [{ kind: 'authorization', amount: usd(total), gateway: 'test', reference }],
  };
}

export async function deliver(server: TestServer, shipmentId: string, at = new Date().toISOString()) {
  const delivered = await server.request('POST', `/v1/shipments/${shipmentId}/tracking-events`, {
    body: { events: [{ status: 'delivered', occurred_at: at }] },
  });
  if (delivered.status !== 201) throw new Error(JSON.stringify(delivered.body));
}

export const returnBody = (
  orderId: string,
  lines: ({ line_id: string; quantity: number; reason?: string } & Record<string, unknown>)[],
  over = {},
) => ({
  order_id: orderId,
  method: 'mail_in',
  location_id: 'S-A',
  carrier: 'ups',
  tracking_number: '1ZRETURN0001',
  lines: lines.map((l) => ({ reason: 'size_fit', ...l })),
  ...over,
});

/** Receives every unit of a return as restocked (or `disposition`) and answers the return. */
export async function receiveAll(
  server: TestServer,
  ret: { id: string; lines: { line_id: string; quantity: number; received: number }[] },
  disposition = 'restock',
) {
  const received = await server.request('POST', `/v1/returns/${ret.id}/receive`, {
    body: {
      lines: ret.lines.map((l) => ({
        line_id: l.line_id,
        quantity: l.quantity - l.received,
        condition: 'new',
        disposition,
      })),
    },
  });
  if (received.status !== 200) throw new Error(JSON.stringify(received.body));
  return received.body;
}
