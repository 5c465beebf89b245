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

describe('races', () => {
  it('two returns for the last returnable unit: exactly one wins', async () => {
    const order = await deliveredOrder(world, [{ sku: world.net.skus[0]!, quantity: 2 }]);
    await request('POST', '/v1/returns', { body: returnBody(order.id, [{ line_id: 'L1', quantity: 1 }]) });
    const attempts = await Promise.all(
      Array.from({ length: 5 }, () =>
        request('POST', '/v1/returns', { body: returnBody(order.id, [{ line_id: 'L1', quantity: 1 }]) }),
      ),
    );
    expect(attempts.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409]);
    const view = (await request('GET', `/v1/orders/${order.id}`)).body;
    expect(view.lines[0].quantities.return_requested).toBe(2);
    expect(view.returns).toHaveLength(2);
  });

  it('two refunds of the same return: exactly one pays', async () => {
    const order = await deliveredOrder(world, [{ sku: world.net.skus[0]!, quantity: 2 }]);
    const ret = (await request('POST', '/v1/returns', { body: returnBody(order.id, [{ line_id: 'L1', quantity: 2 }]) }))
      .body;
    await receiveAll(world.server, ret);
    const attempts = await Promise.all(
      Array.from({ length: 4 }, () => request('POST', `/v1/returns/${ret.id}/refund`, { body: {} })),
    );
    expect(attempts.map((a) => a.status).sort()).toEqual([201, 409, 409, 409]);
    const money = (await request('GET', `/v1/orders/${order.id}/payments`)).body;
    const won = attempts.find((a) => a.status === 201)!.body;
    expect(money.refunded.amount).toBe(won.refund.amount.amount);
    expect(money.data.filter((p: { kind: string }) => p.kind === 'refund')).toHaveLength(1);
  });

  it('a replayed refund with the same Idempotency-Key answers the first result', async () => {
    const order = await deliveredOrder(world, [{ sku: world.net.skus[0]!, quantity: 1 }]);
    const ret = (await request('POST', '/v1/returns', { body: returnBody(order.id, [{ line_id: 'L1', quantity: 1 }]) }))
      .body;
    await receiveAll(world.server, ret);
    const headers = { 'idempotency-key': `refund-${ret.id}` };
    const [a, b] = await Promise.all(
      [1, 2].map(() => request('POST', `/v1/returns/${ret.id}/refund`, { body: {}, headers })),
    );
    expect([a!.status, b!.status]).toEqual([201, 201]);
    expect(a!.body.refund.refunds[0].id).toBe(b!.body.refund.refunds[0].id);
  });
});
