import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../src/connectors/index.ts';
import { testGatewayWanted } from '../../src/config.ts';
import { gatewayFor, setTestGateway } from '../../src/payments/registry.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createSmallNetwork, setStock, type SmallNetwork } from '../support/fixtures.ts';
import { orderBody, placeOrder } from '../support/orders.ts';
import type { TestServer } from '../support/server.ts';
import { ship, startPaymentsServer } from './payments-support.ts';

let database: TestDatabase;
let server: TestServer;
let net: SmallNetwork;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startPaymentsServer(database);
  net = await createSmallNetwork(server, 3);
  await server.request('PATCH', `/v1/locations/${net.storeA}`, { body: { latitude: 40.75, longitude: -73.99 } });
  await setStock(server, net.storeA, net.skus[0]!, 1000);
});
afterAll(async () => {
  setTestGateway(true);
  await server?.close();
  await database?.close();
});

let counter = 0;
/** 2 × 10.00, shipping 5.00, discount 1.00, tax 2.00 → 26.00, paid by `payments`. */
async function newOrder(payments: unknown[]) {
  counter += 1;
  const body = orderBody(`VER-${counter}`, [{ sku: net.skus[0]!, quantity: 2, price: 1000 }], {
    shipping: { amount: 500, currency: 'USD' },
    discounts: [{ amount: { amount: 100, currency: 'USD' } }],
    taxes: [{ name: 'Tax', amount: { amount: 200, currency: 'USD' } }],
    total: { amount: 2600, currency: 'USD' },
    payments,
  });
  const response = await placeOrder(server, body);
  if (response.status !== 201) throw new Error(JSON.stringify(response.body));
  return response.body;
}
const usd = (amount: number) => ({ amount, currency: 'USD' });
const paymentsOf = async (id: string) => (await server.request('GET', `/v1/orders/${id}/payments`)).body;

describe('the test gateway is a switch', () => {
  it('is off unless CONSIGN_TEST_GATEWAY=1', () => {
    expect(testGatewayWanted({})).toBe(false);
    expect(testGatewayWanted({ CONSIGN_TEST_GATEWAY: '0' })).toBe(false);
    expect(testGatewayWanted({ CONSIGN_TEST_GATEWAY: '1' })).toBe(true);
    expect(() => testGatewayWanted({ CONSIGN_TEST_GATEWAY: 'yes' })).toThrow(/CONSIGN_TEST_GATEWAY/);
  });

  it('when off, a `test` authorization sent with an order moves no money: its capture waits for a gateway', async () => {
    setTestGateway(false);
    try {
      expect(gatewayFor('test', database.db)).toBeUndefined();
      const order = await newOrder([
        { kind: 'authorization', amount: usd(2600), gateway: 'test', reference: 'auth_x' },
      ]);
      await ship(server, order.fulfillment_orders[0].id);
      const money = await paymentsOf(order.id);
      expect(money.captured).toEqual(usd(0));
      expect(money.data.find((p: { kind: string }) => p.kind === 'capture')).toMatchObject({
        status: 'pending',
        failure: { code: 'gateway_not_configured' },
      });
    } finally {
      setTestGateway(true);
    }
  });
});

describe('authorizations sent with an order are checked with their gateway', () => {
  it('records what the gateway says: one it does not know is failed and the order waits on a payment hold', async () => {
    const order = await newOrder([
      { kind: 'authorization', amount: usd(2600), gateway: 'test', reference: 'auth_unknown_1' },
    ]);
    expect(order.payment_status).toBe('unpaid');
    expect(order.on_hold).toBe(true);
    const [authorization] = (await paymentsOf(order.id)).data;
    expect(authorization).toMatchObject({
      kind: 'authorization',
      status: 'failed',
      reference: 'auth_unknown_1',
      failure: { code: 'authorization_not_found' },
    });
  });

  it('one the gateway confirms is succeeded, with its reference', async () => {
    const order = await newOrder([
      { kind: 'authorization', amount: usd(2600), gateway: 'test', reference: 'auth_ok_1' },
    ]);
    expect(order.payment_status).toBe('authorized');
    expect(order.on_hold).toBe(false);
    const [authorization] = (await paymentsOf(order.id)).data;
    expect(authorization).toMatchObject({ status: 'succeeded', reference: 'auth_ok_1', failure: null });
    expect(authorization.details).toMatchObject({ verified: true });
  });

  it('one for a gateway this server does not have is kept, marked unverified', async () => {
    const order = await newOrder([
      { kind: 'authorization', amount: usd(2600), gateway: 'acme-pay', reference: 'psp_1' },
    ]);
    const [authorization] = (await paymentsOf(order.id)).data;
    expect(authorization).toMatchObject({ status: 'succeeded', reference: 'psp_1' });
    expect(authorization.details).toMatchObject({ verified: false, reason: 'gateway_not_configured' });
  });
});

describe('platform-collected payments', () => {
  it('Amazon collects: shipping records the platform settlement, a refund is recorded as the platform refund', async () => {
    const order = await newOrder([
      { kind: 'authorization', amount: usd(2600), gateway: 'amazon', reference: '902-3159896-1390916' },
    ]);
    expect(order.payment_status).toBe('authorized');
    await ship(server, order.fulfillment_orders[0].id);
    const capture = (await paymentsOf(order.id)).data.find((p: { kind: string }) => p.kind === 'capture');
    expect(capture).toMatchObject({ status: 'succeeded', gateway: 'amazon', amount: usd(2600) });
    expect(capture.reference).toMatch(/^amazon:settlement:902-3159896-1390916:/);
    const refund = await server.request('POST', `/v1/orders/${order.id}/refunds`, {
      body: { amount: usd(700), reason: 'damaged' },
      headers: { 'idempotency-key': `refund-${order.id}` },
    });
    expect(refund.status).toBe(201);
    expect(refund.body.refunds[0]).toMatchObject({ status: 'succeeded', gateway: 'amazon', amount: usd(700) });
    expect(refund.body.refunds[0].reference).toMatch(/^amazon:refund:902-3159896-1390916:/);
  });

  it('a Shopify transaction is captured as the platform settles it (`shopify:<gateway>` is the Shopify adapter)', async () => {
    const order = await newOrder([
      { kind: 'authorization', amount: usd(2600), gateway: 'shopify:shopify_payments', reference: '389404469' },
    ]);
    await ship(server, order.fulfillment_orders[0].id);
    const capture = (await paymentsOf(order.id)).data.find((p: { kind: string }) => p.kind === 'capture');
    expect(capture).toMatchObject({ status: 'succeeded', gateway: 'shopify:shopify_payments' });
    expect(capture.reference).toMatch(/^shopify:settlement:389404469:/);
  });

  it('a platform payment without the platform transaction is not taken as paid', async () => {
    const order = await newOrder([{ kind: 'authorization', amount: usd(2600), gateway: 'woocommerce:cod' }]);
    expect(order.on_hold).toBe(true);
    const [authorization] = (await paymentsOf(order.id)).data;
    expect(authorization).toMatchObject({ status: 'failed', failure: { code: 'no_platform_transaction' } });
  });
});
