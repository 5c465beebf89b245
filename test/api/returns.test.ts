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
