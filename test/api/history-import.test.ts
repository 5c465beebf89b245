import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../src/db/index.ts';
import { rerouteBackorders, rerouteOrder } from '../../src/orders/index.ts';
import { captureOrder } from '../../src/payments/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createSmallNetwork, setStock, type SmallNetwork } from '../support/fixtures.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let database: TestDatabase;
let server: TestServer;
let net: SmallNetwork;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  net = await createSmallNetwork(server, 3);
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

/** Dates relative to the start of the run, so a record sent twice is the same record. */
const now = Date.now();
const daysAgo = (days: number) => new Date(now - days * 86_400_000).toISOString();

/** A delivered order with every kind of record: two lines, payments, a parcel, a return and a refund. */
function deliveredOrder(id: string, email = 'ada@example.com') {
  return {
    id,
    status: 'delivered',
    original_status: 'complete',
    placed_at: daysAgo(10),
    currency: 'USD',
    customer: { email, name: 'Ada Lovelace' },
    shipping_address: { line1: '1 Main St', city: 'Boston', country: 'US' },
    lines: [
      { id: '1', sku: net.skus[0], quantity: 2, unit_price_minor: 1000 },
      { id: '2', sku: net.skus[1], quantity: 1, unit_price_minor: 2500, tax_minor: 200 },
    ],
    shipping_minor: 500,
    total_minor: 5200,
    payments: [
      { id: 'auth-1', kind: 'authorization', amount_minor: 5200, gateway: 'legacy', at: daysAgo(10) },
      { id: 'cap-1', kind: 'capture', amount_minor: 5200, gateway: 'legacy', reference: 'ch_1', at: daysAgo(9) },
    ],
    shipments: [
      {
        id: 'P-1',
        location: 'S-A',
        carrier: 'ups',
        tracking_number: '1Z999',
        status: 'delivered',
        shipped_at: daysAgo(9),
        delivered_at: daysAgo(7),
        lines: [
          { line: '1', quantity: 2 },
          { line: '2', quantity: 1 },
        ],
      },
    ],
    returns: [
      {
        id: 'R-1',
        status: 'refunded',
        created_at: daysAgo(5),
        lines: [{ line: '1', quantity: 1, reason: 'size_fit', received: 1, refunded: 1 }],
      },
    ],
    refunds: [{ id: 'RF-1', amount_minor: 1000, gateway: 'legacy', at: daysAgo(4) }],
  };
}

const cancelledOrder = (id: string) => ({
  id,
  status: 'cancelled',
  placed_at: daysAgo(20),
  customer: { email: 'ada@example.com' },
  lines: [{ id: 'a', sku: net.skus[2], quantity: 3, unit_price_minor: 700 }],
  total_minor: 2100,
});

const openOrder = (id: string) => ({
  id,
  status: 'confirmed',
  placed_at: daysAgo(1),
  customer: { email: 'bo@example.com', name: 'Bo' },
  shipping_address: { line1: '2 Elm St', city: 'Boston', country: 'US' },
  lines: [{ id: '1', sku: net.skus[0], quantity: 1, unit_price_minor: 1000 }],
  total_minor: 1000,
  payments: [{ id: `auth-${id}`, kind: 'authorization', amount_minor: 1000, gateway: 'legacy' }],
});

const importHistory = (orders: unknown[], extra: Record<string, unknown> = {}) =>
  server.request('POST', '/v1/imports/history', { body: { channel: 'web', orders, ...extra } });

async function orderOf(externalId: string) {
  const [row] = await query<{ id: string }>(database.db, sql`select id from orders where external_id = ${externalId}`);
  return row?.id;
}

describe('POST /v1/imports/history', () => {
  it('imports orders as they were, with every kind of record, unmanaged', async () => {
    const response = await importHistory([deliveredOrder('H-1'), cancelledOrder('H-2'), openOrder('H-3')]);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ rows: 3, imported: 3, placed: 0, duplicates: 0, rejected: 0, report: [] });
    const order = (await server.request('GET', `/v1/orders/${await orderOf('H-1')}`)).body;
    expect(order).toMatchObject({
      external_id: 'H-1',
      status: 'delivered',
      managed: false,
      total: { amount: 5200, currency: 'USD' },
      metadata: { imported: true, original_status: 'complete' },
    });
    expect(order.lines.map((l: { quantities: unknown }) => l.quantities)).toEqual([
      {
        ordered: 2,
        allocated: 0,
        backordered: 0,
        cancelled: 0,
        shipped: 2,
        delivered: 2,
        return_requested: 0,
        returned: 1,
        refunded: 1,
      },
      {
        ordered: 1,
        allocated: 0,
        backordered: 0,
        cancelled: 0,
        shipped: 1,
        delivered: 1,
        return_requested: 0,
        returned: 0,
        refunded: 0,
      },
    ]);
    expect(order.payments.map((p: { kind: string }) => p.kind)).toEqual(['authorization', 'capture', 'refund']);
    expect(order.shipments).toHaveLength(1);
    expect(order.shipments[0]).toMatchObject({ carrier: 'ups', tracking_number: '1Z999', status: 'delivered' });
    expect(order.returns).toHaveLength(1);
    const cancelled = (await server.request('GET', `/v1/orders/${await orderOf('H-2')}`)).body;
    expect(cancelled.lines[0].quantities).toMatchObject({ cancelled: 3, backordered: 0 });
    const open = (await server.request('GET', `/v1/orders/${await orderOf('H-3')}`)).body;
    expect(open).toMatchObject({ status: 'confirmed', managed: false, fulfillment_orders: [] });
  });

  it('reports every problem of a rejected row and writes nothing for it', async () => {
    const badTotal = { ...cancelledOrder('H-10'), total_minor: 1 };
    const unknownSku = {
      ...cancelledOrder('H-11'),
      lines: [{ id: 'a', sku: 'NOPE', quantity: 0, unit_price_minor: 1 }],
    };
    const response = await importHistory([badTotal, unknownSku, cancelledOrder('H-12'), 'not an order']);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ rows: 4, imported: 1, rejected: 3 });
    expect(response.body.report).toEqual([
      { row: 1, field: 'total_minor', problem: 'is 1; the lines, discounts, shipping and tax add up to 2100' },
      { row: 2, field: 'lines[0].sku', problem: 'no product NOPE in the catalog' },
      { row: 2, field: 'lines[0].quantity', problem: 'must be an integer from 1 to 1000000' },
      { row: 4, field: '(order)', problem: 'must be a JSON object' },
    ]);
    expect(await orderOf('H-10')).toBeUndefined();
    expect(await orderOf('H-11')).toBeUndefined();
    expect(await orderOf('H-12')).toBeDefined();
  });

  it('writes nothing new when run again, and refuses the same ID with other content', async () => {
    const before = await query<{ n: number }>(database.db, sql`select count(*)::int as n from payments`);
    const again = await importHistory([deliveredOrder('H-1'), cancelledOrder('H-2')]);
    expect(again.body).toEqual({ rows: 2, imported: 0, placed: 0, duplicates: 2, rejected: 0, report: [] });
    const after = await query<{ n: number }>(database.db, sql`select count(*)::int as n from payments`);
    expect(after).toEqual(before);
    const changed = await importHistory([{ ...cancelledOrder('H-2'), placed_at: daysAgo(30) }]);
    expect(changed.body.report).toEqual([
      { row: 1, field: 'id', problem: 'order H-2 was already imported with other content' },
    ]);
  });

  it('refuses an unknown channel', async () => {
    const unknown = await server.request('POST', '/v1/imports/history', {
      body: { channel: 'nope', orders: [cancelledOrder('X')] },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.code).toBe('unknown_reference');
  });
});

describe('an unmanaged order', () => {
  it('is never cancelled, changed, re-routed or captured by Consign (409 order_unmanaged)', async () => {
    const id = (await orderOf('H-3'))!;
    const cancel = await server.request('POST', `/v1/orders/${id}/cancel`, { body: { reason: 'customer' } });
    expect(cancel.status).toBe(409);
    expect(cancel.body.code).toBe('order_unmanaged');
    const change = await server.request('POST', `/v1/orders/${id}/changes`, {
      body: { reason: 'more', actions: [{ type: 'change_quantity', line_id: '1', quantity: 2 }] },
    });
    expect(change.status).toBe(409);
    expect(change.body.code).toBe('order_unmanaged');
    const rerouted = await rerouteOrder(database.db, id, { reason: 'test', actor: 'test' });
    expect(rerouted.ok || rerouted.problem.code).toBe('order_unmanaged');
    const captured = await captureOrder(database.db, id, { idempotencyKey: 'k', actor: 'test' });
    expect(captured.ok || captured.problem.code).toBe('order_unmanaged');
  });

  it('is never put on hold (409 order_unmanaged): its imported status stays as it was', async () => {
    const id = (await orderOf('H-3'))!;
    const hold = await server.request('POST', `/v1/orders/${id}/hold`, { body: { kind: 'manual', reason: 'look' } });
    expect(hold.status).toBe(409);
    expect(hold.body.code).toBe('order_unmanaged');
    const order = (await server.request('GET', `/v1/orders/${id}`)).body;
    expect(order).toMatchObject({ status: 'confirmed', on_hold: false, holds: [], timeline: [] });
  });

  it('takes returns only when the channel policy accepts imported orders', async () => {
    const id = (await orderOf('H-1'))!;
    const body = { order_id: id, lines: [{ line_id: '2', quantity: 1, reason: 'damaged' }], method: 'mail_in' };
    const refused = await server.request('POST', '/v1/returns', { body });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('order_unmanaged');
    const policy = { window_days: 30, auto_authorize: true, shipping_refund: 'never', restocking_fee_bps: 0 };
    const set = await server.request('PUT', `/v1/channels/web/return-policy`, {
      body: { ...policy, imported_orders: true },
    });
    expect(set.body.imported_orders).toBe(true);
    const accepted = await server.request('POST', '/v1/returns', { body });
    expect(accepted.status).toBe(201);
  });
});

describe('managed_open', () => {
  it('places open orders with nothing shipped as managed orders that Consign routes', async () => {
    await setStock(server, net.storeA, net.skus[0]!, 5);
    const response = await importHistory([openOrder('M-1'), cancelledOrder('M-2')], { managed_open: true });
    expect(response.body).toEqual({ rows: 2, imported: 1, placed: 1, duplicates: 0, rejected: 0, report: [] });
    const order = (await server.request('GET', `/v1/orders/${await orderOf('M-1')}`)).body;
    expect(order.managed).toBe(true);
    expect(order.lines[0].quantities).toMatchObject({ allocated: 1, backordered: 0 });
    expect(order.fulfillment_orders).toHaveLength(1);
    const again = await importHistory([openOrder('M-1')], { managed_open: true });
    expect(again.body).toMatchObject({ placed: 0, duplicates: 1 });
  });

  it('leaves the waiting units of an unmanaged open order alone when stock arrives', async () => {
    await rerouteBackorders(database.db);
    const open = (await server.request('GET', `/v1/orders/${await orderOf('H-3')}`)).body;
    expect(open.lines[0].quantities).toMatchObject({ allocated: 0, backordered: 1 });
    expect(open.fulfillment_orders).toEqual([]);
  });
});

describe('what Consign shows of imported orders', () => {
  it('lists them in the customer 360 and the reports', async () => {
    const customer = (await server.request('GET', '/v1/customers/ada@example.com')).body;
    expect(customer.orders.map((o: { external_id: string }) => o.external_id).sort()).toEqual([
      'H-1',
      'H-12',
      'H-2',
      'M-2',
    ]);
    expect(customer.returns.length).toBeGreaterThanOrEqual(1);
    expect(customer.totals).toEqual([{ currency: 'USD', orders: 4, spent_minor: 5200, refunded_minor: 1000 }]);
    const day = daysAgo(10).slice(0, 10);
    const report = (await server.request('GET', `/v1/reports/orders-per-day?from=${day}&to=${day}`)).body;
    expect(report.rows).toEqual([expect.objectContaining({ day, orders: 1, revenue_minor: 5200 })]);
  });
});
