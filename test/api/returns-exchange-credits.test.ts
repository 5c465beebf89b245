import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../src/db/index.ts';
import { setStock } from '../support/fixtures.ts';
import { ship } from './payments-support.ts';
import {
  deliver,
  deliveredOrder,
  plainMoney,
  receiveAll,
  returnBody,
  startReturnsWorld,
  type Line,
  type ReturnsWorld,
} from './returns-support.ts';

/**
 * Returning an exchange's replacement gives back what the customer paid for it, across the
 * original order (the credit the exchange took from it) and the replacement order (the
 * difference charged there), each from its own captures.
 */
let world: ReturnsWorld;
const products = ['SOCKS', 'HAT', 'TEE', 'HAT-DELUXE', 'HAT-BASIC', 'HAT-PREMIUM'];
beforeAll(async () => {
  world = await startReturnsWorld();
  for (const sku of products) {
    const created = await world.server.request('POST', '/v1/products', { body: { sku, name: sku.toLowerCase() } });
    if (created.status !== 201) throw new Error(JSON.stringify(created.body));
    await setStock(world.server, world.net.storeA, sku, 100);
  }
});
afterAll(async () => {
  await world?.close();
});
const request = (...args: Parameters<ReturnsWorld['server']['request']>) => world.server.request(...args);
const usd = (amount: number) => ({ amount, currency: 'USD' });
type Exchange = { line_id: string; sku: string; price?: number };

/** Returns lines of an order as exchanges (each one unit) and answers the return and its replacement order. */
async function exchange(orderId: string, lines: Exchange[], reference = 'auth_exchange') {
  const created = await request('POST', '/v1/returns', {
    body: returnBody(
      orderId,
      lines.map((l) => ({
        line_id: l.line_id,
        quantity: 1,
        exchange: { sku: l.sku, ...(l.price ? { unit_price: usd(l.price) } : {}) },
      })),
      { exchange_payment: { gateway: 'test', reference } },
    ),
  });
  if (created.status !== 201) throw new Error(JSON.stringify(created.body));
  const replacement = (await request('GET', `/v1/orders/${created.body.exchange_order_id}`)).body;
  return { ret: created.body, replacement };
}

/** Ships and delivers every unit of an order's first fulfillment order. */
async function shipAndDeliver(order: { id: string; fulfillment_orders: { id: string }[] }) {
  const shipped = await ship(world.server, order.fulfillment_orders[0]!.id);
  await deliver(world.server, shipped.shipment_id);
  return (await request('GET', `/v1/orders/${order.id}`)).body;
}

async function receiveAndRefund(ret: Parameters<typeof receiveAll>[1]) {
  await receiveAll(world.server, ret);
  return request('POST', `/v1/returns/${ret.id}/refund`, { body: {} });
}

/** A plain return of every line of an order (one unit each), received. */
async function returnAll(order: { id: string; lines: { line_id: string }[] }) {
  const created = await request('POST', '/v1/returns', {
    body: returnBody(
      order.id,
      order.lines.map((l) => ({ line_id: l.line_id, quantity: 1 })),
    ),
  });
  if (created.status !== 201) throw new Error(JSON.stringify(created.body));
  await receiveAll(world.server, created.body);
  return created.body;
}

const refund = (id: string) => request('POST', `/v1/returns/${id}/refund`, { body: {} });
const refunded = async (orderId: string) => (await request('GET', `/v1/orders/${orderId}/payments`)).body.refunded;
const byOrder = (body: { refund: { orders: { order_id: string; amount: unknown }[] } }) =>
  Object.fromEntries(body.refund.orders.map((o) => [o.order_id, o.amount]));

describe('returning an exchange’s replacement', () => {
  it('refunds what the customer paid for it: the credit from the original order plus the difference charged', async () => {
    const lines: Line[] = [
      { sku: 'SOCKS', quantity: 1, price: 1200 },
      { sku: 'HAT', quantity: 1, price: 2500 },
    ];
    const order = await deliveredOrder(world, lines, { over: plainMoney(lines) });
    const { ret, replacement } = await exchange(order.id, [
      { line_id: 'L1', sku: 'TEE' },
      { line_id: 'L2', sku: 'HAT-DELUXE', price: 3500 },
    ]);
    // The credit sits on the line it pays for.
    expect(replacement.total).toEqual(usd(1000));
    expect(replacement.lines).toEqual([
      expect.objectContaining({ sku: 'TEE', unit_price: usd(1200), discount: usd(1200) }),
      expect.objectContaining({ sku: 'HAT-DELUXE', unit_price: usd(3500), discount: usd(2500) }),
    ]);

    // The replacement arrives before the originals are back: its refund waits for them.
    const delivered = await shipAndDeliver(replacement);
    expect(delivered.payments.filter((p: { kind: string }) => p.kind === 'capture')).toEqual([
      expect.objectContaining({ amount: usd(1000), status: 'succeeded' }),
    ]);
    const back = await returnAll(delivered);
    const early = await refund(back.id);
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('exchange_not_settled');
    expect(early.body.detail).toContain(ret.id);

    const settled = await receiveAndRefund(ret);
    expect(settled.body.refund).toMatchObject({ status: 'nothing_due', amount: usd(0) });
    const credits = await query(
      world.database.db,
      sql`select line_id, source_order_id, source_line_id, return_id, units_from, units, amount_minor
          from exchange_credits where order_id = ${replacement.id} order by line_id, id`,
    );
    expect(credits).toEqual([
      {
        line_id: 'L1',
        source_order_id: order.id,
        source_line_id: 'L1',
        return_id: ret.id,
        units_from: 0,
        units: 1,
        amount_minor: 1200,
      },
      {
        line_id: 'L2',
        source_order_id: order.id,
        source_line_id: 'L2',
        return_id: ret.id,
        units_from: 0,
        units: 1,
        amount_minor: 2500,
      },
    ]);

    const done = await refund(back.id);
    expect(done.status).toBe(201);
    expect(done.body.refund).toMatchObject({ status: 'succeeded', computed: usd(4700), amount: usd(4700) });
    expect(byOrder(done.body)).toEqual({ [order.id]: usd(3700), [replacement.id]: usd(1000) });
    expect(done.body.return.status).toBe('refunded');
    expect(await refunded(order.id)).toEqual(usd(3700));
    expect(await refunded(replacement.id)).toEqual(usd(1000));
    // Each order has its own credit memo for its part, both naming the return.
    const memos = done.body.refund.orders.map((o: { credit_memo: { id: string } }) => o.credit_memo.id);
    const documents = await Promise.all(
      memos.map(async (id: string) => (await request('GET', `/v1/invoices/${id}`)).body),
    );
    expect(documents.map((d) => [d.order_id, d.document.totals.total.amount, d.document.references.return_id])).toEqual(
      expect.arrayContaining([
        [order.id, 3700, back.id],
        [replacement.id, 1000, back.id],
      ]),
    );
    expect(done.body.return.credit_memos).toHaveLength(2);
    expect(done.body.return.refunds.map((r: { amount: { amount: number } }) => r.amount.amount).sort()).toEqual([
      1000, 3700,
    ]);
  });

  it('with a discount and tax on the original order, the credit refunds what those units were paid, never list price', async () => {
    // 12.00 + 25.00, discount 3.70 spread 1.20 / 2.50, tax 2.66 spread 0.86 / 1.80, shipping 7.99:
    // the socks were paid 11.66 and the hat 24.30.
    const order = await deliveredOrder(world, [
      { sku: 'SOCKS', quantity: 1, price: 1200 },
      { sku: 'HAT', quantity: 1, price: 2500 },
    ]);
    expect(order.lines.map((l: { discount: unknown; tax: unknown }) => [l.discount, l.tax])).toEqual([
      [usd(120), usd(86)],
      [usd(250), usd(180)],
    ]);
    const { ret, replacement } = await exchange(order.id, [
      { line_id: 'L1', sku: 'TEE' },
      { line_id: 'L2', sku: 'HAT-BASIC', price: 2000 },
    ]);
    expect(replacement.total).toEqual(usd(0));
    const settled = await receiveAndRefund(ret);
    expect(settled.body.refund.amount).toEqual(usd(500)); // the cheaper hat's difference
    const back = await returnAll(await shipAndDeliver(replacement));
    const done = await refund(back.id);
    expect(done.status).toBe(201);
    // 11.66 for the tee, 24.30 − 5.00 already given back for the basic hat.
    expect(done.body.refund).toMatchObject({ computed: usd(3096), amount: usd(3096) });
    expect(byOrder(done.body)).toEqual({ [order.id]: usd(3096), [replacement.id]: usd(0) });
    const money = (await request('GET', `/v1/orders/${order.id}/payments`)).body;
    expect(money).toMatchObject({ refunded: usd(3596), refundable: usd(799) }); // everything but shipping
  });

  it('follows a chain of exchanges back to each order that was paid, losing and creating nothing', async () => {
    const lines: Line[] = [{ sku: 'HAT', quantity: 1, price: 2500 }];
    const order = await deliveredOrder(world, lines, { over: plainMoney(lines) });
    const first = await exchange(order.id, [{ line_id: 'L1', sku: 'HAT-DELUXE', price: 3500 }], 'auth_chain_1');
    await receiveAndRefund(first.ret);
    const deluxe = await shipAndDeliver(first.replacement);
    // The deluxe hat (paid 25.00 on the original, 10.00 on the first replacement) for a 20.00 one:
    // 15.00 comes back, first what the first replacement was paid, then from the original.
    const second = await exchange(deluxe.id, [{ line_id: 'L1', sku: 'HAT-BASIC', price: 2000 }], 'auth_chain_2');
    expect(second.replacement.lines[0]).toMatchObject({ unit_price: usd(2000), discount: usd(2000) });
    const difference = await receiveAndRefund(second.ret);
    expect(difference.body.refund).toMatchObject({ computed: usd(1500), amount: usd(1500) });
    expect(byOrder(difference.body)).toEqual({ [order.id]: usd(500), [deluxe.id]: usd(1000) });

    const basic = await shipAndDeliver(second.replacement);
    const back = await returnAll(basic);
    const done = await refund(back.id);
    expect(done.body.refund).toMatchObject({ computed: usd(2000), amount: usd(2000) });
    expect(byOrder(done.body)).toEqual({ [order.id]: usd(2000), [basic.id]: usd(0) });
    // Every order gave back exactly what it took.
    expect(await refunded(order.id)).toEqual(usd(2500));
    expect(await refunded(deluxe.id)).toEqual(usd(1000));
    expect(await refunded(basic.id)).toEqual(usd(0));
  });
});
