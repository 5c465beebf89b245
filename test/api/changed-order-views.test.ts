import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import type { SmallNetwork } from '../support/fixtures.ts';
import { orderBody, placeOrder } from '../support/orders.ts';
import type { TestServer } from '../support/server.ts';
import { startStockedPaymentsServer } from './payments-support.ts';

/** The reads behind the order list, the customer 360 and the returns desk show an order as its latest version. */
let database: TestDatabase;
let server: TestServer;
let net: SmallNetwork;

beforeAll(async () => {
  database = await createTestDatabase();
  ({ server, net } = await startStockedPaymentsServer(database, 3));
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

interface Summary {
  id: string;
  units: number;
  lines: number;
  total: { amount: number };
}

async function changedOrder() {
  const body = orderBody('VIEW-1', [
    { sku: net.skus[0]!, quantity: 3, price: 1299 },
    { sku: net.skus[1]!, quantity: 2, price: 2500 },
  ]);
  const placed = await placeOrder(server, body);
  expect(placed.status).toBe(201);
  const drafted = await server.request('POST', `/v1/orders/${placed.body.id}/changes`, {
    body: {
      reason: 'customer called',
      actions: [
        { type: 'change_quantity', line_id: 'L1', quantity: 1 },
        { type: 'remove_line', line_id: 'L2' },
        { type: 'add_line', sku: net.skus[2]!, quantity: 2, unit_price: { amount: 700, currency: 'USD' } },
      ],
    },
  });
  expect(drafted.status).toBe(201);
  const confirmed = await server.request('POST', `/v1/orders/${placed.body.id}/changes/${drafted.body.id}/confirm`, {
    body: {},
    headers: { 'idempotency-key': 'views-1' },
  });
  expect(confirmed.status).toBe(200);
  const order = (await server.request('GET', `/v1/orders/${placed.body.id}`)).body;
  expect(order.version).toBe(placed.body.version + 1);
  return order;
}

describe('an order after a change', () => {
  it('is listed and summed for its customer with its current units, lines and total', async () => {
    const order = await changedOrder();
    const listed = (await server.request('GET', `/v1/orders?email=${order.customer.email}`)).body.data as Summary[];
    expect(listed).toEqual([expect.objectContaining({ id: order.id, units: 3, lines: 2, total: order.total })]);
    const customer = (await server.request('GET', `/v1/customers/${order.customer.email}`)).body;
    expect(customer.orders).toEqual([expect.objectContaining({ id: order.id, units: 3, lines: 2 })]);
    expect(customer.totals).toEqual([
      { currency: 'USD', orders: 1, spent_minor: order.total.amount, refunded_minor: 0 },
    ]);
  });
});
