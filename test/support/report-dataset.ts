import { createApiKey } from '../../src/auth/index.ts';
import { must } from './client.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';
import { createSmallNetwork, setStock, type SmallNetwork } from './fixtures.ts';
import { orderBody, type OrderLineSpec } from './orders.ts';
import { startTestServer, type TestServer } from './server.ts';

/**
 * A small, known history for the reports and customer tests, made through the API only.
 * Orders (one unit at 1000 costs 1771 in total; two units 2743: see orderBody):
 *
 * | order | channel | placed (UTC)         | customer | lines            | what happened                                  |
 * | ----- | ------- | -------------------- | -------- | ---------------- | ---------------------------------------------- |
 * | W1    | web     | 2026-03-01 10:00     | pat      | SKU-0001 ×1      | shipped +4 h from S-A, delivered, 500 refunded |
 * | W2    | web     | 2026-03-01 23:30     | sam      | 0001 ×1, 0002 ×1 | shipped in two parcels: +10 h and +30 h        |
 * | W3    | web     | 2026-03-02 08:00     | sam      | SKU-0001 ×1      | shipped +50 h (after the 48 h SLA), delivered  |
 * | W4    | web     | 2026-03-02 09:00     | pat      | SKU-0001 ×1      | cancelled                                      |
 * | M1    | mkt     | 2026-03-02 12:00     | pat      | SKU-0003 ×2      | shipped +20 h from S-B                         |
 * | M2    | mkt     | 2026-03-03 00:00:00  | sam      | SKU-0001 ×1      | open (never shipped)                           |
 * | W5    | web     | 2026-03-03 23:59:59  | sam      | SKU-0001 ×2      | one unit cancelled, the other shipped +2 h     |
 * | W6    | web     | 2026-03-04 00:00:00  | sam      | SKU-0001 ×1      | shipped +1 h                                   |
 *
 * Stock: S-A (Boston store) 20 × SKU-0001 and 10 × SKU-0002; S-B (Albany store) 2 × SKU-0001
 * with safety stock 5 and 2 × SKU-0003; the DC (Secaucus, not sold from) 40 × SKU-0001.
 */
export interface ReportDataset {
  net: SmallNetwork;
  marketplaceId: string;
  orders: Record<string, string>;
  /** A channel key of the marketplace and a fulfillment key of store A. */
  marketplaceKey: string;
  fulfillmentKey: string;
}

const PAT = { email: 'Pat@Example.com', name: 'Pat Doe' };
const SAM = { email: 'sam@example.com', name: 'Sam Roe' };
const HOUR_MS = 3_600_000;

interface Spec {
  name: string;
  channel: 'web' | 'mkt';
  placedAt: string;
  customer: typeof PAT;
  lines: OrderLineSpec[];
}

const spec = (
  name: string,
  channel: Spec['channel'],
  placedAt: string,
  customer: Spec['customer'],
  lines: OrderLineSpec[],
) => ({ name, channel, placedAt, customer, lines }) satisfies Spec;

async function place(server: TestServer, spec: Spec): Promise<string> {
  const body = orderBody(spec.name, spec.lines, {
    channel: spec.channel,
    placed_at: spec.placedAt,
    customer: spec.customer,
  });
  return (await must(server.request, 'POST', '/v1/orders', body)).id;
}

/** Takes the order's one fulfillment order through the steps and ships it in parcels, `hours` after placement. */
async function ship(
  server: TestServer,
  orderId: string,
  parcels: { hours: number; lines?: { line_id: string; quantity: number }[] }[],
): Promise<string[]> {
  const order = await must(server.request, 'GET', `/v1/orders/${orderId}`);
  const fo = order.fulfillment_orders.find((f: { status: string }) => f.status === 'allocated');
  for (const step of ['accept', 'pick', 'pack'])
    await must(server.request, 'POST', `/v1/fulfillment-orders/${fo.id}/${step}`, {});
  const shipments: string[] = [];
  for (const parcel of parcels) {
    const shippedAt = new Date(Date.parse(order.placed_at) + parcel.hours * HOUR_MS).toISOString();
    const shipped = await must(server.request, 'POST', `/v1/fulfillment-orders/${fo.id}/ship`, {
      carrier: 'ups',
      tracking_number: `1Z${orderId.slice(-8)}${shipments.length}`,
      shipped_at: shippedAt,
      ...(parcel.lines ? { lines: parcel.lines } : {}),
    });
    shipments.push(shipped.shipment_id);
  }
  return shipments;
}

async function deliver(server: TestServer, shipmentId: string, at: string): Promise<void> {
  await must(server.request, 'POST', `/v1/shipments/${shipmentId}/tracking-events`, {
    events: [{ status: 'delivered', occurred_at: at }],
  });
}

export async function buildReportDataset(server: TestServer, database: TestDatabase): Promise<ReportDataset> {
  const net = await createSmallNetwork(server, 3);
  const [sku1, sku2, sku3] = net.skus as [string, string, string];
  const marketplace = await must(server.request, 'POST', '/v1/channels', {
    code: 'mkt',
    name: 'Marketplace',
    type: 'marketplace',
    location_group_id: net.groupId,
  });
  const at = { [net.dc]: [40.79, -74.07], [net.storeA]: [42.36, -71.06], [net.storeB]: [42.65, -73.75] };
  for (const [id, [latitude, longitude]] of Object.entries(at)) {
    await must(server.request, 'PATCH', `/v1/locations/${id}`, { latitude, longitude });
  }
  await setStock(server, net.storeA, sku1, 20);
  await setStock(server, net.storeA, sku2, 10);
  await setStock(server, net.storeB, sku1, 2, 5);
  await setStock(server, net.storeB, sku3, 2);
  await setStock(server, net.dc, sku1, 40);

  const one = (sku: string, quantity = 1) => [{ sku, quantity }];
  const specs: Spec[] = [
    spec('W1', 'web', '2026-03-01T10:00:00Z', PAT, one(sku1)),
    spec('W2', 'web', '2026-03-01T23:30:00Z', SAM, [...one(sku1), ...one(sku2)]),
    spec('W3', 'web', '2026-03-02T08:00:00Z', SAM, one(sku1)),
    spec('W4', 'web', '2026-03-02T09:00:00Z', PAT, one(sku1)),
    spec('M1', 'mkt', '2026-03-02T12:00:00Z', PAT, one(sku3, 2)),
    spec('M2', 'mkt', '2026-03-03T00:00:00Z', SAM, one(sku1)),
    spec('W5', 'web', '2026-03-03T23:59:59Z', SAM, one(sku1, 2)),
    spec('W6', 'web', '2026-03-04T00:00:00Z', SAM, one(sku1)),
  ];
  const orders: Record<string, string> = {};
  for (const spec of specs) orders[spec.name] = await place(server, spec);
  const id = (name: string) => orders[name]!;

  const [w1] = await ship(server, id('W1'), [{ hours: 4 }]);
  await deliver(server, w1!, '2026-03-02T12:00:00Z');
  await must(server.request, 'POST', `/v1/orders/${id('W1')}/refunds`, {
    amount: { amount: 500, currency: 'USD' },
    reason: 'goodwill',
  });
  await ship(server, id('W2'), [
    { hours: 10, lines: [{ line_id: 'L1', quantity: 1 }] },
    { hours: 30, lines: [{ line_id: 'L2', quantity: 1 }] },
  ]);
  const [w3] = await ship(server, id('W3'), [{ hours: 50 }]);
  await deliver(server, w3!, '2026-03-05T09:00:00Z');
  await must(server.request, 'POST', `/v1/orders/${id('W4')}/cancel`, { reason: 'changed mind' });
  await ship(server, id('M1'), [{ hours: 20 }]);
  await must(server.request, 'POST', `/v1/orders/${id('W5')}/cancel`, {
    reason: 'one is enough',
    lines: [{ line_id: 'L1', quantity: 1 }],
  });
  await ship(server, id('W5'), [{ hours: 2 }]);
  await ship(server, id('W6'), [{ hours: 1 }]);

  const marketplaceKey = (await createApiKey(database.db, { role: 'channel', channelId: marketplace.id })).secret;
  const fulfillmentKey = (await createApiKey(database.db, { role: 'fulfillment', locationIds: [net.storeA] })).secret;
  return { net, marketplaceId: marketplace.id, orders, marketplaceKey, fulfillmentKey };
}

export interface ReportFixture {
  database: TestDatabase;
  server: TestServer;
  data: ReportDataset;
  close(): Promise<void>;
}

/** A database and server of their own with the dataset above loaded. */
export async function startReportFixture(): Promise<ReportFixture> {
  const database = await createTestDatabase();
  const server = await startTestServer(database);
  const close = async () => {
    await server.close();
    await database.close();
  };
  try {
    return { database, server, data: await buildReportDataset(server, database), close };
  } catch (error) {
    await close();
    throw error;
  }
}
