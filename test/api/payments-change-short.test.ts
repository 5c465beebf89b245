import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import type { SmallNetwork } from '../support/fixtures.ts';
import { orderBody, placeOrder } from '../support/orders.ts';
import type { TestServer } from '../support/server.ts';
import { startStockedPaymentsServer } from './payments-support.ts';

/** A cheaper change on an order that holds less than its total gives back only what it holds beyond the new total. */
let database: TestDatabase;
let server: TestServer;
let net: SmallNetwork;

beforeAll(async () => {
  database = await createTestDatabase();
  ({ server, net } = await startStockedPaymentsServer(database, 2));
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

const usd = (amount: number) => ({ amount, currency: 'USD' });
const SHORT = 3000;
let counter = 0;
/** 3 × SKU-1 at 12.99 and 2 × SKU-2 at 25.00, authorized 30.00 short of the total, hold released. */
async function shortOrder() {
  counter += 1;
  const body = orderBody(`SHORT-${counter}`, [
    { sku: net.skus[0]!, quantity: 3, price: 1299 },
    { sku: net.skus[1]!, quantity: 2, price: 2500 },
  ]);
  const authorized = body.total.amount - SHORT;
  body.payments = [{ kind: 'authorization', amount: usd(authorized), gateway: 'test', reference: `auth_s${counter}` }];
  const placed = await placeOrder(server, body);
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  await server.request('POST', `/v1/orders/${placed.body.id}/release-hold`, { body: { kind: 'payment' } });
  return { order: placed.body, authorized };
}
const change = async (orderId: string, actions: unknown[]) => {
  const drafted = await server.request('POST', `/v1/orders/${orderId}/changes`, {
    body: { reason: 'customer called', actions },
  });
  expect(drafted.status).toBe(201);
  return drafted.body;
};
const voided = async (orderId: string) =>
  (
    (await server.request('GET', `/v1/orders/${orderId}/payments`)).body.data as {
      kind: string;
      amount: { amount: number };
    }[]
  )
    .filter((p) => p.kind === 'void')
    .reduce((n, p) => n + p.amount.amount, 0);

describe('settling a cheaper change on an order authorized short', () => {
  it('voids only what the authorization holds beyond the new total', async () => {
    const { order, authorized } = await shortOrder();
    const line2 = order.lines[1];
    const value = 2 * 2500 - line2.discount.amount + line2.tax.amount;
    const newTotal = order.total.amount - value;
    expect(authorized - newTotal).toBe(value - SHORT);
    const drafted = await change(order.id, [{ type: 'remove_line', line_id: 'L2' }]);
    expect(drafted.preview.delta).toEqual(usd(-value));
    expect(drafted.preview.settlement).toMatchObject({
      void: usd(value - SHORT),
      refund: usd(0),
      uncovered: usd(0),
    });
    const confirmed = await server.request('POST', `/v1/orders/${order.id}/changes/${drafted.id}/confirm`, {
      body: {},
      headers: { 'idempotency-key': `short-${counter}` },
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.settlement).toMatchObject({ voided_minor: value - SHORT, refunded_minor: 0 });
    expect(await voided(order.id)).toBe(value - SHORT);
    const money = (await server.request('GET', `/v1/orders/${order.id}/payments`)).body;
    expect(money.capturable.amount).toBe(newTotal);
  });

  it('gives nothing back when the new total is still above what the order holds', async () => {
    const { order } = await shortOrder();
    const drafted = await change(order.id, [{ type: 'change_quantity', line_id: 'L1', quantity: 2 }]);
    expect(-drafted.preview.delta.amount).toBeLessThan(SHORT);
    expect(drafted.preview.settlement).toMatchObject({ void: usd(0), refund: usd(0), uncovered: usd(0) });
    const confirmed = await server.request('POST', `/v1/orders/${order.id}/changes/${drafted.id}/confirm`, {
      body: {},
      headers: { 'idempotency-key': `short-${counter}` },
    });
    expect(confirmed.body.settlement).toMatchObject({ voided_minor: 0, refunded_minor: 0 });
    expect(await voided(order.id)).toBe(0);
  });
});
