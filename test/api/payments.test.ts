import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/index.ts';
import { query } from '../../src/db/index.ts';
import { captureOrder } from '../../src/payments/index.ts';
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
  await server.request('PATCH', `/v1/locations/${net.storeB}`, { body: { latitude: 42.65, longitude: -73.75 } });
  await setStock(server, net.storeA, net.skus[0]!, 1000);
  await setStock(server, net.storeA, net.skus[1]!, 1000);
  await setStock(server, net.storeB, net.skus[2]!, 1000); // only at store B: orders with it split
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

let counter = 0;
/** An order of 7 × SKU-1 at 12.99 and 1 × SKU-2 at 12.50 (odd cents in every share), all from one store. */
async function newOrder(
  over: Record<string, unknown> = {},
  lines = [
    { sku: net.skus[0]!, quantity: 7, price: 1299 },
    { sku: net.skus[1]!, quantity: 1, price: 1250 },
  ],
) {
  counter += 1;
  const response = await placeOrder(server, orderBody(`PAY-${counter}`, lines, over));
  if (response.status !== 201) throw new Error(JSON.stringify(response.body));
  return response.body;
}
const getOrder = async (id: string) => (await server.request('GET', `/v1/orders/${id}`)).body;
const paymentsOf = async (id: string) => (await server.request('GET', `/v1/orders/${id}/payments`)).body;
const eventsOf = async (id: string) =>
  (await server.request('GET', `/v1/events?subject_id=${id}&limit=200`)).body.data as {
    type: string;
    data: Record<string, unknown>;
  }[];
const sum = (items: { amount: { amount: number } }[]) => items.reduce((n, p) => n + p.amount.amount, 0);

describe('capture on shipment', () => {
  it('captures each shipment for what shipped, shipping with the first; captures and invoices add up to the order total', async () => {
    const order = await newOrder();
    expect(order.total.amount).toBe(11429);
    const fo = order.fulfillment_orders[0].id;
    const first = await ship(server, fo, [{ line_id: 'L1', quantity: 3 }]);
    const second = await ship(server, fo, undefined, false);

    const after = await getOrder(order.id);
    const captures = after.payments.filter((p: { kind: string }) => p.kind === 'capture');
    expect(captures).toHaveLength(2);
    expect(
      captures.every((c: { status: string; gateway: string }) => c.status === 'succeeded' && c.gateway === 'test'),
    ).toBe(true);
    expect(sum(captures)).toBe(order.total.amount);
    expect(after.payment_status).toBe('captured');

    const money = await paymentsOf(order.id);
    const byShipment = (id: string) =>
      money.data.find((p: { kind: string; shipment_id: string }) => p.kind === 'capture' && p.shipment_id === id);
    const [c1, c2] = [byShipment(first.shipment_id), byShipment(second.shipment_id)];
    expect(c1.idempotency_key).toBe(`capture:${first.shipment_id}`);
    expect(c1.parent_id).toBe(money.data.find((p: { kind: string }) => p.kind === 'authorization').id);
    expect(c1.details.shipping_minor).toBe(799);
    expect(c2.details.shipping_minor).toBe(0);
    expect(money).toMatchObject({
      captured: { amount: 11429 },
      capturable: { amount: 0 },
      refundable: { amount: 11429 },
    });

    expect(after.invoices).toHaveLength(2);
    const [i1, i2] = after.invoices;
    expect(i1.number).toMatch(/^INV-\d{4}-\d{6}$/);
    expect(i2.sequence).toBe(i1.sequence + 1);
    expect([i1.payment_id, i2.payment_id]).toEqual([c1.id, c2.id]);
    expect([i1.total.amount, i2.total.amount]).toEqual([c1.amount.amount, c2.amount.amount]);
    expect(i1.total.amount + i2.total.amount).toBe(order.total.amount);

    const [d1, d2] = await Promise.all(
      [i1, i2].map(async (i: { id: string }) => (await server.request('GET', `/v1/invoices/${i.id}`)).body.document),
    );
    expect(d1.shipping.amount).toBe(799);
    expect(d2.shipping.amount).toBe(0);
    expect(d1.lines).toEqual([expect.objectContaining({ line_id: 'L1', quantity: 3 })]);
    expect(d2.lines.map((l: { line_id: string; quantity: number }) => [l.line_id, l.quantity])).toEqual([
      ['L1', 4],
      ['L2', 1],
    ]);
    const lineTotals = [...d1.lines, ...d2.lines].reduce(
      (acc, l) => ({ discount: acc.discount + l.discount.amount, tax: acc.tax + l.tax.amount }),
      { discount: 0, tax: 0 },
    );
    expect(lineTotals).toEqual({ discount: order.discount.amount, tax: order.tax.amount });
    expect(d1.references).toMatchObject({
      order_id: order.id,
      order_external_id: order.external_id,
      shipment_id: first.shipment_id,
      capture_ids: [c1.id],
    });

    const types = (await eventsOf(order.id)).map((e) => e.type);
    expect(types.filter((t) => t === 'payment.captured')).toHaveLength(2);
    expect(types.filter((t) => t === 'invoice.issued')).toHaveLength(2);
  });

  it('records a declined capture as failed and holds the order for payment; the shipment stands', async () => {
    const order = await newOrder({
      payments: [
        {
          kind: 'authorization',
          amount: { amount: 11429, currency: 'USD' },
          gateway: 'test',
          reference: 'auth_decline_card',
        },
      ],
    });
    const fo = order.fulfillment_orders[0].id;
    const shipped = await ship(server, fo, [{ line_id: 'L1', quantity: 2 }]);

    const after = await getOrder(order.id);
    expect(after.shipments.map((s: { id: string }) => s.id)).toEqual([shipped.shipment_id]);
    expect(after.status).toBe('partially_shipped');
    expect(after.on_hold).toBe(true);
    expect(after.holds).toEqual([
      expect.objectContaining({ kind: 'payment', reason: expect.stringContaining('card_declined'), released_at: null }),
    ]);
    expect(after.invoices).toEqual([]);
    expect(after.payment_status).toBe('authorized');
    const failed = (await paymentsOf(order.id)).data.find((p: { kind: string }) => p.kind === 'capture');
    expect(failed).toMatchObject({
      status: 'failed',
      shipment_id: shipped.shipment_id,
      failure: { code: 'card_declined' },
      reference: null,
    });
    const event = (await eventsOf(order.id)).find((e) => e.type === 'payment.capture_failed');
    expect(event?.data).toMatchObject({
      payment_id: failed.id,
      shipment_id: shipped.shipment_id,
      failure_code: 'card_declined',
    });

    // The hold stands between the shipment already made and the rest: the rest ships once it is released.
    const refused = await server.request('POST', `/v1/fulfillment-orders/${fo}/ship`, { body: { carrier: 'ups' } });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('illegal_transition');
    await server.request('POST', `/v1/orders/${order.id}/release-hold`, { body: { kind: 'payment' } });
    const rest = await ship(server, fo, undefined, false);
    expect(
      (await paymentsOf(order.id)).data.filter(
        (p: { kind: string; status: string }) => p.kind === 'capture' && p.status === 'failed',
      ),
    ).toHaveLength(2);
    expect((await getOrder(order.id)).holds.filter((h: { released_at: string | null }) => !h.released_at)).toHaveLength(
      1,
    );
    expect(rest.status).toBe('shipped');
  });

  it('never captures more than was authorized', async () => {
    const order = await newOrder({
      payments: [
        { kind: 'authorization', amount: { amount: 5000, currency: 'USD' }, gateway: 'test', reference: 'auth_short' },
      ],
    });
    expect(order.on_hold).toBe(true);
    await server.request('POST', `/v1/orders/${order.id}/release-hold`, { body: { kind: 'payment' } });
    const fo = (await getOrder(order.id)).fulfillment_orders[0].id;
    await ship(server, fo);
    const money = await paymentsOf(order.id);
    const capture = money.data.find((p: { kind: string }) => p.kind === 'capture');
    expect(capture).toMatchObject({
      status: 'succeeded',
      amount: { amount: 5000 },
      details: { due_minor: 11429, shortfall_minor: 6429 },
    });
    expect(money.capturable.amount).toBe(0);
    const [invoice] = (await getOrder(order.id)).invoices;
    const document = (await server.request('GET', `/v1/invoices/${invoice.id}`)).body.document;
    expect(document.totals.total.amount).toBe(11429);
    expect(document.amount_due.amount).toBe(6429);
  });

  it('releases what was authorized beyond the order total once the last units ship', async () => {
    const order = await newOrder({
      payments: [
        { kind: 'authorization', amount: { amount: 12000, currency: 'USD' }, gateway: 'test', reference: 'auth_over' },
      ],
    });
    await ship(server, order.fulfillment_orders[0].id);
    const money = await paymentsOf(order.id);
    expect(money).toMatchObject({ captured: { amount: 11429 }, voided: { amount: 571 }, capturable: { amount: 0 } });
    expect(money.data.find((p: { kind: string }) => p.kind === 'void')).toMatchObject({
      status: 'succeeded',
      details: { reason: 'order closed' },
    });
  });

  it('records captures for a gateway this server does not know as pending, without an invoice or a hold', async () => {
    const order = await newOrder({
      payments: [
        {
          kind: 'authorization',
          amount: { amount: 11429, currency: 'USD' },
          gateway: 'acme-pay',
          reference: 'psp_981',
        },
      ],
    });
    await ship(server, order.fulfillment_orders[0].id);
    const after = await getOrder(order.id);
    const capture = (await paymentsOf(order.id)).data.find((p: { kind: string }) => p.kind === 'capture');
    expect(capture).toMatchObject({
      status: 'pending',
      gateway: 'acme-pay',
      amount: { amount: 11429 },
      failure: { code: 'gateway_not_configured' },
    });
    expect(capture.failure.message).toContain('acme-pay');
    expect(after.invoices).toEqual([]);
    expect(after.on_hold).toBe(false);
    expect((await eventsOf(order.id)).map((e) => e.type)).toContain('payment.capture_pending');
  });

  it('captures a store pickup when it is handed over', async () => {
    const order = await newOrder({
      delivery_method: 'pickup',
      pickup_location_id: net.storeA,
      shipping: { amount: 0, currency: 'USD' },
      total: { amount: 11429 - 799, currency: 'USD' },
      payments: [
        {
          kind: 'authorization',
          amount: { amount: 11429 - 799, currency: 'USD' },
          gateway: 'test',
          reference: 'auth_pickup',
        },
      ],
    });
    const fo = order.fulfillment_orders[0].id;
    for (const step of ['accept', 'pick', 'pack'])
      await server.request('POST', `/v1/fulfillment-orders/${fo}/${step}`, { body: {} });
    const ready = await server.request('POST', `/v1/fulfillment-orders/${fo}/ready-for-pickup`, { body: {} });
    await server.request('POST', `/v1/fulfillment-orders/${fo}/picked-up`, {
      body: { pickup_code: ready.body.pickup_code },
    });
    const after = await getOrder(order.id);
    expect(after.payment_status).toBe('captured');
    expect(after.invoices).toHaveLength(1);
    expect(after.invoices[0].total.amount).toBe(11429 - 799);
  });
});

describe('voids on cancel', () => {
  it('voids the cancelled value through the gateway, and everything left when nothing remains to ship', async () => {
    const order = await newOrder();
    const authorization = (await paymentsOf(order.id)).data[0];
    const partial = await server.request('POST', `/v1/orders/${order.id}/cancel`, {
      body: { reason: 'customer asked', lines: [{ line_id: 'L2', quantity: 1 }] },
    });
    expect(partial.status).toBe(200);
    let money = await paymentsOf(order.id);
    const firstVoid = money.data.find((p: { kind: string }) => p.kind === 'void');
    expect(firstVoid).toMatchObject({
      status: 'succeeded',
      parent_id: authorization.id,
      idempotency_key: `void:${authorization.id}:1`,
    });
    expect(firstVoid.reference).toMatch(/^test_void_/);
    const l2 = order.lines[1];
    expect(firstVoid.amount.amount).toBe(l2.unit_price.amount - l2.discount.amount + l2.tax.amount);

    await server.request('POST', `/v1/orders/${order.id}/cancel`, { body: { reason: 'fraud' } });
    money = await paymentsOf(order.id);
    expect(money.voided.amount).toBe(order.total.amount);
    expect(money.capturable.amount).toBe(0);
    expect((await getOrder(order.id)).payment_status).toBe('voided');
    expect((await eventsOf(order.id)).filter((e) => e.type === 'payment.voided')).toHaveLength(2);
  });

  it('after a partial shipment and a cancel of the rest, voids what is left and keeps what was captured', async () => {
    const order = await newOrder({}, [
      { sku: net.skus[0]!, quantity: 3, price: 1299 },
      { sku: net.skus[2]!, quantity: 2, price: 999 },
    ]);
    expect(order.fulfillment_orders).toHaveLength(2);
    const atA = order.fulfillment_orders.find((f: { location_id: string }) => f.location_id === net.storeA).id;
    await ship(server, atA);
    const cancelled = await server.request('POST', `/v1/orders/${order.id}/cancel`, {
      body: { reason: 'customer asked' },
    });
    expect(cancelled.body.status).toBe('shipped');
    const money = await paymentsOf(order.id);
    expect(money.captured.amount + money.voided.amount).toBe(order.total.amount);
    expect(money.capturable.amount).toBe(0);
    expect(money.data.find((p: { kind: string }) => p.kind === 'capture').details.shipping_minor).toBe(799);
  });
});

describe('cancel after an up-front capture', () => {
  it('gives back exactly the cancelled units’ share, so what is kept is what the shipments charged', async () => {
    const order = await newOrder({}, [
      { sku: net.skus[0]!, quantity: 7, price: 1303 },
      { sku: net.skus[1]!, quantity: 1, price: 1250 },
    ]);
    const captured = await captureOrder(database.db, order.id, { idempotencyKey: `up-front-${order.id}`, actor: null });
    expect(captured.ok && captured.value.captured_minor).toBe(order.total.amount);
    // L1's 7 units at 13.03 carry 93.76 after discount and tax: the first 3 units 13.40 each, the
    // other 4 13.39. Cancelling 5 gives back 13.40 + 4 × 13.39; the 2 that ship are 2 × 13.40.
    const l1 = order.lines[0];
    expect(l1.unit_price.amount * 7 - l1.discount.amount + l1.tax.amount).toBe(9376);
    const cancelled = await server.request('POST', `/v1/orders/${order.id}/cancel`, {
      body: { reason: 'customer asked', lines: [{ line_id: 'L1', quantity: 5 }] },
    });
    expect(cancelled.status).toBe(200);
    await ship(server, order.fulfillment_orders[0].id);
    const money = await paymentsOf(order.id);
    const documents = (await server.request('GET', `/v1/orders/${order.id}/invoices`)).body.data as {
      kind: string;
      total: { amount: number };
    }[];
    const invoiced = sum(documents.filter((d) => d.kind === 'invoice').map((d) => ({ amount: d.total })));
    // The shipment's invoice prices the 2 + 1 units that shipped and the shipping: the money kept.
    expect(money.captured.amount - money.refunded.amount).toBe(invoiced);
    expect(money.refunded.amount).toBe(order.total.amount - invoiced);
  });
});

describe('POST /v1/orders/{id}/refunds', () => {
  async function capturedOrder(reference?: string) {
    const order = await newOrder(
      reference
        ? {
            payments: [
              { kind: 'authorization', amount: { amount: 11429, currency: 'USD' }, gateway: 'test', reference },
            ],
          }
        : {},
    );
    const fo = order.fulfillment_orders[0].id;
    const s1 = await ship(server, fo, [{ line_id: 'L1', quantity: 1 }]);
    const s2 = await ship(server, fo, undefined, false);
    return { order, shipments: [s1.shipment_id, s2.shipment_id] };
  }
  const refund = (orderId: string, body: unknown, options: { key?: string; headers?: Record<string, string> } = {}) =>
    server.request('POST', `/v1/orders/${orderId}/refunds`, { body, ...options });
  const usd = (amount: number) => ({ amount, currency: 'USD' });
  const paymentRows = async () =>
    (await query<{ n: number }>(database.db, sql`select count(*)::int as n from payments`))[0]!.n;

  it('refunds in parts, issues a credit memo for each, and never more than was captured', async () => {
    const { order } = await capturedOrder();
    const first = await refund(order.id, { amount: usd(2500), reason: 'damaged item' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      status: 'succeeded',
      refunded: usd(2500),
      balance: { captured: usd(11429), refunded: usd(2500), refundable: usd(8929) },
    });
    expect(first.body.credit_memo.number).toMatch(/^CM-\d{4}-\d{6}$/);
    expect(
      first.body.refunds.every(
        (r: { kind: string; status: string }) => r.kind === 'refund' && r.status === 'succeeded',
      ),
    ).toBe(true);
    const memo = (await server.request('GET', `/v1/invoices/${first.body.credit_memo.id}`)).body;
    expect(memo).toMatchObject({
      kind: 'credit_memo',
      total: usd(2500),
      document: { kind: 'credit_memo', totals: { total: usd(2500) }, amount_due: usd(0) },
    });

    const before = await paymentRows();
    const tooMuch = await refund(order.id, { amount: usd(8930), reason: 'all of it' });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.headers.get('content-type')).toContain('application/problem+json');
    expect(tooMuch.body).toMatchObject({
      code: 'refund_exceeds_captured',
      requested: usd(8930),
      captured: usd(11429),
      refunded: usd(2500),
      refundable: usd(8929),
    });
    expect(await paymentRows()).toBe(before);

    const rest = await refund(order.id, { amount: usd(8929), reason: 'the rest' });
    expect(rest.body).toMatchObject({ status: 'succeeded', balance: { refundable: usd(0) } });
    expect((await refund(order.id, { amount: usd(1), reason: 'one more cent' })).body.code).toBe(
      'refund_exceeds_captured',
    );
    const after = await getOrder(order.id);
    expect(after.payment_status).toBe('refunded');
    expect(after.invoices.map((i: { kind: string }) => i.kind)).toEqual([
      'invoice',
      'invoice',
      'credit_memo',
      'credit_memo',
    ]);
    expect(rest.body.credit_memo.sequence).toBe(first.body.credit_memo.sequence + 1);
  });

  it('refunds from one capture only when asked, up to that capture', async () => {
    const { order, shipments } = await capturedOrder();
    const captures = (await paymentsOf(order.id)).data.filter((p: { kind: string }) => p.kind === 'capture');
    const small = captures.find((c: { shipment_id: string }) => c.shipment_id === shipments[0]);
    const over = await refund(order.id, { amount: usd(small.amount.amount + 1), reason: 'x', capture_id: small.id });
    expect(over.body).toMatchObject({ code: 'refund_exceeds_captured', refundable: small.amount });
    const exact = await refund(order.id, { amount: small.amount, reason: 'x', capture_id: small.id });
    expect(exact.body.refunds).toEqual([expect.objectContaining({ parent_id: small.id, amount: small.amount })]);
    expect((await refund(order.id, { amount: usd(1), reason: 'x', capture_id: 'pay_nope' })).status).toBe(422);
  });

  it('refuses refunds before anything is captured, in another currency, or from keys without the right', async () => {
    const order = await newOrder();
    expect((await refund(order.id, { amount: usd(1), reason: 'nothing captured' })).body).toMatchObject({
      code: 'refund_exceeds_captured',
      captured: usd(0),
    });
    const { order: paid } = await capturedOrder();
    const eur = await refund(paid.id, { amount: { amount: 100, currency: 'EUR' }, reason: 'x' });
    expect(eur.status).toBe(400);
    expect(eur.body.code).toBe('validation_failed');
    expect((await refund(paid.id, { amount: usd(0), reason: 'x' })).status).toBe(400);
    expect((await refund('ord_missing', { amount: usd(1), reason: 'x' })).status).toBe(404);
    const channelKey = (await createApiKey(database.db, { role: 'channel', channelId: net.channelId })).secret;
    expect((await refund(paid.id, { amount: usd(1), reason: 'x' }, { key: channelKey })).status).toBe(403);
    const agentKey = (await createApiKey(database.db, { role: 'agent' })).secret;
    expect((await refund(paid.id, { amount: usd(1), reason: 'goodwill' }, { key: agentKey })).status).toBe(201);
  });

  it('replays a retried request with the same Idempotency-Key instead of refunding twice', async () => {
    const { order } = await capturedOrder();
    const headers = { 'idempotency-key': `refund-${order.id}` };
    const first = await refund(order.id, { amount: usd(300), reason: 'late' }, { headers });
    const again = await refund(order.id, { amount: usd(300), reason: 'late' }, { headers });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect((await paymentsOf(order.id)).refunded).toEqual(usd(300));
    expect((await refund(order.id, { amount: usd(301), reason: 'late' }, { headers })).body.code).toBe(
      'idempotency_conflict',
    );
  });

  it('lets only as many concurrent refunds through as the capture covers', async () => {
    const { order } = await capturedOrder();
    const attempts = await Promise.all(
      Array.from({ length: 6 }, (_, i) => refund(order.id, { amount: usd(3000), reason: `attempt ${i}` })),
    );
    const statuses = attempts.map((a) => a.status).sort();
    expect(statuses).toEqual([201, 201, 201, 409, 409, 409]);
    expect((await paymentsOf(order.id)).refunded).toEqual(usd(9000));
    const memos = (await getOrder(order.id)).invoices.filter((i: { kind: string }) => i.kind === 'credit_memo');
    expect(memos).toHaveLength(3);
  });

  it('records a declined refund as failed, with no credit memo', async () => {
    const { order } = await capturedOrder('auth_refund_decline_1');
    const declined = await refund(order.id, { amount: usd(1000), reason: 'x' });
    expect(declined.status).toBe(201);
    expect(declined.body).toMatchObject({
      status: 'failed',
      refunded: usd(0),
      credit_memo: null,
      balance: { refundable: usd(11429) },
    });
    expect(declined.body.refunds[0]).toMatchObject({ status: 'failed', failure: { code: 'refund_declined' } });
    expect((await eventsOf(order.id)).map((e) => e.type)).toContain('payment.refund_failed');
  });
});
