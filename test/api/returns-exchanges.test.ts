import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../src/db/index.ts';
import { deliveredOrder, receiveAll, returnBody, startReturnsWorld, type ReturnsWorld } from './returns-support.ts';

let world: ReturnsWorld;
beforeAll(async () => {
  world = await startReturnsWorld();
});
afterAll(async () => {
  await world?.close();
});
const request = (...args: Parameters<ReturnsWorld['server']['request']>) => world.server.request(...args);
const usd = (amount: number) => ({ amount, currency: 'USD' });

describe('exchanges', () => {
  it('an even exchange places a linked order at no charge, reserved like any order; the return refunds nothing', async () => {
    const [a, b] = world.net.skus;
    const order = await deliveredOrder(world, [{ sku: a!, quantity: 1, price: 2000 }]);
    const created = await request('POST', '/v1/returns', {
      body: returnBody(order.id, [{ line_id: 'L1', quantity: 1, exchange: { sku: b! } }]),
    });
    expect(created.status).toBe(201);
    const exchangeId = created.body.exchange_order_id;
    const replacement = (await request('GET', `/v1/orders/${exchangeId}`)).body;
    expect(replacement).toMatchObject({
      total: usd(0),
      status: 'in_process',
      linked_to: { original_order_id: order.id, kind: 'exchange' },
    });
    expect(replacement.lines[0]).toMatchObject({ sku: b, quantities: { allocated: 1 } });
    await receiveAll(world.server, created.body);
    const refunded = await request('POST', `/v1/returns/${created.body.id}/refund`, { body: {} });
    expect(refunded.body.refund).toMatchObject({ status: 'nothing_due', amount: usd(0) });
    expect(refunded.body.return.status).toBe('refunded');
    const view = (await request('GET', `/v1/orders/${order.id}`)).body;
    expect(view.linked_orders).toEqual([
      expect.objectContaining({ order_id: exchangeId, kind: 'exchange', return_id: created.body.id }),
    ]);
    expect(view.timeline.map((e: { type: string }) => e.type)).toContain('return.exchange_order_created');
  });

  it('an uneven exchange charges the difference on the linked order, or refunds it', async () => {
    const [a, b] = world.net.skus;
    const order = await deliveredOrder(world, [{ sku: a!, quantity: 2, price: 2000 }]);
    const dearer = await request('POST', '/v1/returns', {
      body: returnBody(order.id, [{ line_id: 'L1', quantity: 1, exchange: { sku: b!, unit_price: usd(2500) } }], {
        exchange_payment: { gateway: 'test', reference: 'auth_exchange_1' },
      }),
    });
    const charged = (await request('GET', `/v1/orders/${dearer.body.exchange_order_id}`)).body;
    expect(charged).toMatchObject({ total: usd(500), on_hold: false });
    expect(charged.payments).toEqual([expect.objectContaining({ kind: 'authorization', amount: usd(500) })]);

    const cheaper = await request('POST', '/v1/returns', {
      body: returnBody(order.id, [{ line_id: 'L1', quantity: 1, exchange: { sku: b!, unit_price: usd(1500) } }]),
    });
    await receiveAll(world.server, cheaper.body);
    const refunded = await request('POST', `/v1/returns/${cheaper.body.id}/refund`, { body: {} });
    expect(refunded.body.refund.amount).toEqual(usd(500));
  });

  it('refuses an exchange whose replacement SKU is out of stock, and writes nothing', async () => {
    const [a, , , empty] = world.net.skus;
    const order = await deliveredOrder(world, [{ sku: a!, quantity: 1 }]);
    const before = await query(world.database.db, sql`select count(*)::int as n from orders`);
    const refused = await request('POST', '/v1/returns', {
      body: returnBody(order.id, [{ line_id: 'L1', quantity: 1, exchange: { sku: empty! } }]),
    });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('insufficient_stock');
    expect(await query(world.database.db, sql`select count(*)::int as n from orders`)).toEqual(before);
    const view = (await request('GET', `/v1/orders/${order.id}`)).body;
    expect(view.returns).toEqual([]);
    expect(view.lines[0].quantities.return_requested).toBe(0);
  });
});

describe('reships', () => {
  it('reships lost units as a linked zero-price order, on both timelines', async () => {
    const order = await deliveredOrder(world, [{ sku: world.net.skus[0]!, quantity: 2 }]);
    const tooMany = await request('POST', `/v1/orders/${order.id}/reship`, {
      body: { reason: 'lost', lines: [{ line_id: 'L1', quantity: 3 }] },
    });
    expect(tooMany.status).toBe(400);
    const done = await request('POST', `/v1/orders/${order.id}/reship`, {
      body: {
        reason: 'damaged',
        note: 'box crushed',
        shipment_id: order.shipments[0].id,
        lines: [{ line_id: 'L1', quantity: 1 }],
      },
    });
    expect(done.status).toBe(201);
    const replacement = (await request('GET', `/v1/orders/${done.body.reship_order_id}`)).body;
    expect(replacement).toMatchObject({ total: usd(0), linked_to: { original_order_id: order.id, kind: 'reship' } });
    expect(replacement.metadata).toMatchObject({ reship_of: order.id, reason: 'damaged: box crushed' });
    const view = (await request('GET', `/v1/orders/${order.id}`)).body;
    expect(view.linked_orders).toEqual([
      expect.objectContaining({ order_id: done.body.reship_order_id, kind: 'reship' }),
    ]);
    expect(view.timeline.find((e: { type: string }) => e.type === 'order.reshipped').data).toMatchObject({
      reship_order_id: done.body.reship_order_id,
      reason: 'damaged',
    });
  });
});
