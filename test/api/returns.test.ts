import { createApiKey } from '../../src/auth/index.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveredOrder, receiveAll, returnBody, startReturnsWorld, type ReturnsWorld } from './returns-support.ts';

let world: ReturnsWorld;
beforeAll(async () => {
  world = await startReturnsWorld();
});
afterAll(async () => {
  await world?.close();
});
const request = (...args: Parameters<ReturnsWorld['server']['request']>) => world.server.request(...args);

describe('POST /v1/returns', () => {
  it('takes two partial returns of one line and refuses a third beyond the delivered units', async () => {
    const order = await deliveredOrder(world, [{ sku: world.net.skus[0]!, quantity: 3 }]);
    const first = await request('POST', '/v1/returns', {
      body: returnBody(order.id, [{ line_id: 'L1', quantity: 1 }]),
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'authorized', order_id: order.id, method: 'mail_in', source: 'agent' });
    const second = await request('POST', '/v1/returns', {
      body: returnBody(order.id, [{ line_id: 'L1', quantity: 2 }]),
    });
    expect(second.status).toBe(201);
    const third = await request('POST', '/v1/returns', {
      body: returnBody(order.id, [{ line_id: 'L1', quantity: 1 }]),
    });
    expect(third.status).toBe(409);
    expect(third.body).toMatchObject({ code: 'not_returnable', errors: [{ pointer: '/lines/0/quantity' }] });
    const after = (await request('GET', `/v1/orders/${order.id}`)).body;
    expect(after.lines[0].quantities).toMatchObject({ delivered: 3, return_requested: 3, returned: 0 });
    expect(after.returns.map((r: { id: string }) => r.id)).toEqual([first.body.id, second.body.id]);
    await receiveAll(world.server, first.body);
  });
});

describe('policy, self-service and permissions', () => {
  it('refuses units past the channel window, and honours a product override', async () => {
    const old = new Date(Date.now() - 40 * 24 * 3600 * 1000).toISOString();
    const order = await deliveredOrder(world, [{ sku: world.net.skus[1]!, quantity: 1 }], { deliveredAt: old });
    const late = await request('POST', '/v1/returns', { body: returnBody(order.id, [{ line_id: 'L1', quantity: 1 }]) });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('return_window_closed');
    const put = await request('PUT', `/v1/products/${world.net.skus[1]}/return-policy`, {
      body: { window_days: 60, returnable: true },
    });
    expect(put.status).toBe(200);
    const ok = await request('POST', '/v1/returns', { body: returnBody(order.id, [{ line_id: 'L1', quantity: 1 }]) });
    expect(ok.status).toBe(201);
    await request('PUT', `/v1/products/${world.net.skus[1]}/return-policy`, {
      body: { window_days: null, returnable: true },
    });
  });

  it('waits for manual authorization when the channel says so; reject and cancel give the units back', async () => {
    const put = await request('PUT', '/v1/channels/web/return-policy', {
      body: { window_days: 30, auto_authorize: false, shipping_refund: 'merchant_fault', restocking_fee_bps: 0 },
    });
    expect(put.body).toMatchObject({ auto_authorize: false, channel_id: world.net.channelId });
    const order = await deliveredOrder(world, [{ sku: world.net.skus[0]!, quantity: 2 }]);
    const created = await request('POST', '/v1/returns', {
      body: returnBody(order.id, [{ line_id: 'L1', quantity: 2 }]),
    });
    expect(created.body.status).toBe('initiated');
    const early = await request('POST', `/v1/returns/${created.body.id}/receive`, {
      body: { lines: [{ line_id: 'L1', quantity: 1, condition: 'new', disposition: 'restock' }] },
    });
    expect(early.status).toBe(409);
    const rejected = await request('POST', `/v1/returns/${created.body.id}/reject`, { body: { reason: 'worn' } });
    expect(rejected.body.status).toBe('rejected');
    const again = await request('POST', `/v1/returns/${created.body.id}/authorize`, { body: {} });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'illegal_transition', from: 'rejected', to: 'authorized' });
    const next = await request('POST', '/v1/returns', { body: returnBody(order.id, [{ line_id: 'L1', quantity: 2 }]) });
    const authorized = await request('POST', `/v1/returns/${next.body.id}/authorize`, { body: {} });
    expect(authorized.body.status).toBe('authorized');
    const cancelled = await request('POST', `/v1/returns/${next.body.id}/cancel`, { body: {} });
    expect(cancelled.body.status).toBe('cancelled');
    const view = (await request('GET', `/v1/orders/${order.id}`)).body;
    expect(view.lines[0].quantities.return_requested).toBe(0);
    await request('PUT', '/v1/channels/web/return-policy', {
      body: { window_days: 30, auto_authorize: true, shipping_refund: 'merchant_fault', restocking_fee_bps: 0 },
    });
  });

  it('lets a storefront start a return with the order number and email, for its own channel only', async () => {
    const order = await deliveredOrder(world, [{ sku: world.net.skus[0]!, quantity: 1 }]);
    const key = await createApiKey(world.database.db, { role: 'channel', channelId: world.net.channelId });
    const body = {
      order_number: order.external_id,
      email: order.customer.email,
      method: 'in_store',
      location_id: world.net.storeA,
      lines: [{ line_id: 'L1', quantity: 1, reason: 'defective' }],
    };
    const wrong = await request('POST', '/v1/returns/self-service', {
      body: { ...body, email: 'someone@example.com' },
      key: key.secret,
    });
    expect(wrong.status).toBe(404);
    const notStore = await request('POST', '/v1/returns/self-service', {
      body: { ...body, location_id: world.net.storeB },
      key: key.secret,
    });
    expect(notStore.status).toBe(400);
    const created = await request('POST', '/v1/returns/self-service', { body, key: key.secret });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ source: 'self_service', method: 'in_store', location_id: world.net.storeA });
    const refund = await request('POST', `/v1/returns/${created.body.id}/refund`, { body: {}, key: key.secret });
    expect(refund.status).toBe(403);
    const list = await request('GET', `/v1/returns?order_id=${order.id}`, { key: key.secret });
    expect(list.body.data.map((r: { id: string }) => r.id)).toEqual([created.body.id]);
  });

  it('lists returns by customer email and status with a cursor', async () => {
    const order = await deliveredOrder(world, [{ sku: world.net.skus[0]!, quantity: 3 }]);
    for (let i = 0; i < 3; i++)
      await request('POST', '/v1/returns', { body: returnBody(order.id, [{ line_id: 'L1', quantity: 1 }]) });
    const page1 = await request('GET', `/v1/returns?customer_email=${order.customer.email}&status=authorized&limit=2`);
    expect(page1.body.data).toHaveLength(2);
    const page2 = await request(
      'GET',
      `/v1/returns?customer_email=${order.customer.email}&status=authorized&limit=2&cursor=${page1.body.next_cursor}`,
    );
    expect(page2.body.data).toHaveLength(1);
    expect(page2.body.next_cursor).toBeNull();
  });

  it("finds an order's returns by its order number (the channel's external ID)", async () => {
    const order = await deliveredOrder(world, [{ sku: world.net.skus[0]!, quantity: 2 }]);
    const ids: string[] = [];
    for (let i = 0; i < 2; i++)
      ids.push(
        (await request('POST', '/v1/returns', { body: returnBody(order.id, [{ line_id: 'L1', quantity: 1 }]) })).body
          .id,
      );
    const found = await request('GET', `/v1/returns?order_number=${encodeURIComponent(order.external_id)}`);
    expect(found.status).toBe(200);
    expect(found.body.data.map((r: { id: string }) => r.id)).toEqual([...ids].reverse());
    const none = await request('GET', '/v1/returns?order_number=NO-SUCH-ORDER');
    expect(none.body.data).toEqual([]);
  });
});

describe('customer 360', () => {
  it("lists the customer's returns beside their orders", async () => {
    const order = await deliveredOrder(world, [{ sku: world.net.skus[2]!, quantity: 1 }], { prefix: 'C360' });
    const created = await request('POST', '/v1/returns', {
      body: returnBody(order.id, [{ line_id: 'L1', quantity: 1 }]),
    });
    expect(created.status).toBe(201);
    const email = order.customer.email as string;
    const customer = await request('GET', `/v1/customers/${encodeURIComponent(email)}`);
    expect(customer.status).toBe(200);
    expect(customer.body.orders.map((o: { id: string }) => o.id)).toContain(order.id);
    expect(customer.body.returns).toMatchObject([
      { id: created.body.id, order_id: order.id, status: created.body.status },
    ]);
  });
});
