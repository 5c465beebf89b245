import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deliveredOrder,
  plainMoney,
  receiveAll,
  returnBody,
  startReturnsWorld,
  type ReturnsWorld,
} from './returns-support.ts';

let world: ReturnsWorld;
beforeAll(async () => {
  world = await startReturnsWorld();
  const rates = await world.server.request('PUT', '/v1/tax/rates', {
    body: { rates: [{ country: 'US', region: 'NY', jurisdiction: 'state', name: 'NY STATE TAX', rate_ppm: 40_000 }] },
  });
  if (rates.status !== 200) throw new Error(JSON.stringify(rates.body));
  const settings = await world.server.request('PUT', '/v1/tax/settings', {
    body: { engine: 'table', on_failure: 'hold', price_mode: 'exclusive', ship_from: null },
  });
  if (settings.status !== 200) throw new Error(JSON.stringify(settings.body));
});
afterAll(async () => {
  await world?.close();
});
const request = (...args: Parameters<ReturnsWorld['server']['request']>) => world.server.request(...args);
const usd = (amount: number) => ({ amount, currency: 'USD' });
const owed = async (orderId: string) => (await request('GET', `/v1/orders/${orderId}/tax`)).body.tax;

/** Two units at 20.00 shipped to New York (4 %): 1.60 of tax on the original order. */
async function twoUnits() {
  const lines = [{ sku: world.net.skus[0]!, quantity: 2, price: 2000 }];
  const order = await deliveredOrder(world, lines, { prefix: 'TAXEX', over: plainMoney(lines) });
  expect(await owed(order.id)).toEqual(usd(160));
  return order;
}

describe('an exchange at another price', () => {
  it('dearer: the replacement order is taxed on the difference only, so both orders hold the tax of what was kept', async () => {
    const order = await twoUnits();
    const created = await request('POST', '/v1/returns', {
      body: returnBody(
        order.id,
        [{ line_id: 'L1', quantity: 1, exchange: { sku: world.net.skus[1]!, unit_price: usd(2500) } }],
        { exchange_payment: { gateway: 'test', reference: 'auth_taxex_dearer' } },
      ),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const replacement = (await request('GET', `/v1/orders/${created.body.exchange_order_id}/tax`)).body;
    // 25.00 less the 20.00 credit: 0.20 of tax.
    expect(replacement.documents).toMatchObject([
      { kind: 'sale', lines: [{ line_id: 'L1', amount: usd(500), tax: usd(20) }] },
    ]);
    // 20.00 kept and 25.00 received: 0.80 + 1.00.
    expect((await owed(order.id))!.amount + replacement.tax.amount).toBe(180);
  });

  it('cheaper: the difference refunded from the original order gives its tax back', async () => {
    const order = await twoUnits();
    const created = await request('POST', '/v1/returns', {
      body: returnBody(order.id, [
        { line_id: 'L1', quantity: 1, exchange: { sku: world.net.skus[1]!, unit_price: usd(1500) } },
      ]),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    await receiveAll(world.server, created.body);
    const refunded = await request('POST', `/v1/returns/${created.body.id}/refund`, { body: {} });
    expect(refunded.body.refund.amount).toEqual(usd(500));
    const original = (await request('GET', `/v1/orders/${order.id}/tax`)).body;
    expect(original.documents.map((d: { kind: string; tax: unknown }) => [d.kind, d.tax])).toEqual([
      ['sale', usd(160)],
      ['refund', usd(-20)],
    ]);
    expect(await owed(created.body.exchange_order_id)).toEqual(usd(0));
    // 20.00 kept and 15.00 received: 0.80 + 0.60.
    expect(original.tax).toEqual(usd(140));
  });
});
