import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/index.ts';
import { query } from '../../src/db/index.ts';
import { orderBody, placeOrder } from '../support/orders.ts';
import { ship } from './payments-support.ts';
import {
  deliver,
  deliveredOrder,
  receiveAll,
  returnBody,
  startReturnsWorld,
  type ReturnsWorld,
} from './returns-support.ts';

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

describe('reship caps', () => {
  const reship = (orderId: string, lines: { line_id: string; quantity: number }[], over = {}, key?: string) =>
    request('POST', `/v1/orders/${orderId}/reship`, { body: { reason: 'lost', lines, ...over }, key });
  const ordersCount = async () =>
    (await query<{ n: number }>(world.database.db, sql`select count(*)::int as n from orders`))[0]!.n;

  it('reships no more of a line than shipped less what earlier reships sent, unless an agent overrides with a reason', async () => {
    const order = await deliveredOrder(world, [{ sku: world.net.skus[0]!, quantity: 2 }]);
    expect((await reship(order.id, [{ line_id: 'L1', quantity: 1 }])).status).toBe(201);
    const before = await ordersCount();
    const refused = await reship(order.id, [{ line_id: 'L1', quantity: 2 }]);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      code: 'reship_limit_exceeded',
      lines: [{ line_id: 'L1', shipped: 2, reshipped: 1, reshippable: 1 }],
      errors: [{ pointer: '/lines/0/quantity' }],
    });
    expect(refused.body.detail).toContain('1 unit(s) of line L1 can still be reshipped');
    expect(await ordersCount()).toBe(before);

    // A cancelled reship sent nothing: its units count again.
    const second = await reship(order.id, [{ line_id: 'L1', quantity: 1 }]);
    expect(second.status).toBe(201);
    const cancelled = await request('POST', `/v1/orders/${second.body.reship_order_id}/cancel`, {
      body: { reason: 'found the parcel' },
    });
    expect(cancelled.status).toBe(200);
    expect((await reship(order.id, [{ line_id: 'L1', quantity: 1 }])).status).toBe(201);
    expect((await reship(order.id, [{ line_id: 'L1', quantity: 1 }])).body.code).toBe('reship_limit_exceeded');

    const agent = await createApiKey(world.database.db, { role: 'agent', name: 'support desk' });
    const override = { override: { reason: 'lost again: carrier claim 7781' } };
    const overridden = await reship(order.id, [{ line_id: 'L1', quantity: 2 }], override, agent.secret);
    expect(overridden.status).toBe(201);
    const tooMany = await reship(order.id, [{ line_id: 'L1', quantity: 3 }], override, agent.secret);
    expect(tooMany.status).toBe(400);
    const view = (await request('GET', `/v1/orders/${order.id}`)).body;
    const events = view.timeline.filter((e: { type: string }) => e.type === 'order.reshipped');
    expect(events.at(-1)).toMatchObject({
      actor: agent.id,
      data: {
        reship_order_id: overridden.body.reship_order_id,
        override: {
          by: agent.id,
          reason: 'lost again: carrier claim 7781',
          lines: [{ line_id: 'L1', reshippable: 0 }],
        },
      },
    });
    expect(events[0].data.override).toBeNull();
  });

  it('caps a reship of a named shipment by that shipment’s units less what was reshipped of it', async () => {
    const sku = world.net.skus[1]!;
    const placed = await placeOrder(world.server, orderBody('RESHIP-SHIPMENTS', [{ sku, quantity: 3 }]));
    const fo = placed.body.fulfillment_orders[0].id;
    const first = await ship(world.server, fo, [{ line_id: 'L1', quantity: 2 }]);
    const second = await ship(world.server, fo, [{ line_id: 'L1', quantity: 1 }], false);
    await deliver(world.server, first.shipment_id);
    await deliver(world.server, second.shipment_id);
    const ofFirst = { shipment_id: first.shipment_id };
    expect((await reship(placed.body.id, [{ line_id: 'L1', quantity: 2 }], ofFirst)).status).toBe(201);
    const refused = await reship(placed.body.id, [{ line_id: 'L1', quantity: 1 }], ofFirst);
    expect(refused.status).toBe(409);
    expect(refused.body.lines).toEqual([
      expect.objectContaining({
        line_id: 'L1',
        shipment_id: first.shipment_id,
        shipped: 2,
        reshipped: 2,
        reshippable: 0,
      }),
    ]);
    const ofSecond = { shipment_id: second.shipment_id };
    expect((await reship(placed.body.id, [{ line_id: 'L1', quantity: 1 }], ofSecond)).status).toBe(201);
    // Every shipped unit of the line has been reshipped once.
    expect((await reship(placed.body.id, [{ line_id: 'L1', quantity: 1 }])).body).toMatchObject({
      code: 'reship_limit_exceeded',
      lines: [{ shipped: 3, reshipped: 3, reshippable: 0 }],
    });
  });
});
