import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heldMismatches, ledgerMismatches } from '../support/invariants.ts';
import {
  deliveredOrder,
  plainMoney,
  receiveAll,
  returnBody,
  startReturnsWorld,
  type ReturnsWorld,
} from './returns-support.ts';

let world: ReturnsWorld;
let a: string;
let b: string;

beforeAll(async () => {
  world = await startReturnsWorld();
  [a, b] = world.net.skus as [string, string];
  await world.server.request('POST', '/v1/products', { body: { sku: 'GIFT-BOX', name: 'Gift box' } });
  // Price weights 3 and 4: two a's weigh 6, one b weighs 4 — a 60 / 40 split of every amount.
  const set = await world.server.request('PUT', '/v1/products/GIFT-BOX/components', {
    body: {
      components: [
        { sku: a, quantity: 2, price_weight: 3 },
        { sku: b, quantity: 1, price_weight: 4 },
      ],
    },
  });
  expect(set.status).toBe(200);
});
afterAll(async () => {
  await world?.close();
});

const level = async (sku: string) =>
  (await world.server.request('GET', `/v1/inventory/${world.net.storeA}/${sku}`)).body as { on_hand: number };

describe("a bundle's invoice, return and refund", () => {
  it('apportion its amounts to the components by units × price weight, and a return restocks the components', async () => {
    const lines = [{ sku: 'GIFT-BOX', quantity: 2, price: 1999 }];
    const order = await deliveredOrder(world, lines, { over: plainMoney(lines) });
    const invoices = (await world.server.request('GET', `/v1/orders/${order.id}/invoices`)).body.data;
    const invoice = (await world.server.request('GET', `/v1/invoices/${invoices[0].id}`)).body;
    const line = invoice.document?.lines?.[0] ?? invoice.lines[0];
    expect(line.total.amount).toBe(3998);
    // 3998 × 6/10 = 2398.8 and 3998 × 4/10 = 1599.2: the larger remainder gets the cent.
    expect(line.components).toEqual([
      expect.objectContaining({ sku: a, quantity: 4, subtotal: { amount: 2399, currency: 'USD' } }),
      expect.objectContaining({ sku: b, quantity: 2, subtotal: { amount: 1599, currency: 'USD' } }),
    ]);

    const [beforeA, beforeB] = [await level(a), await level(b)];
    const created = await world.server.request('POST', '/v1/returns', {
      body: returnBody(order.id, [{ line_id: 'L1', quantity: 1 }]),
    });
    expect(created.status).toBe(201);
    await receiveAll(world.server, created.body);
    expect((await level(a)).on_hand).toBe(beforeA.on_hand + 2);
    expect((await level(b)).on_hand).toBe(beforeB.on_hand + 1);
    const ledger = await world.server.request('GET', `/v1/inventory/ledger?sku=${a}&location_id=${world.net.storeA}`);
    const restock = ledger.body.data.find((r: { kind: string }) => r.kind === 'return_restock');
    expect(restock).toMatchObject({ on_hand_delta: 2, reference_id: created.body.id });
    expect(restock.reason).toContain('bundle GIFT-BOX');

    const refunded = await world.server.request('POST', `/v1/returns/${created.body.id}/refund`, { body: {} });
    expect(refunded.status).toBe(201);
    const memoId = refunded.body.return.credit_memos[0].id;
    const memo = (await world.server.request('GET', `/v1/invoices/${memoId}`)).body;
    const memoLine = memo.document?.lines?.[0] ?? memo.lines[0];
    expect(memoLine.components.map((c: { subtotal: { amount: number } }) => c.subtotal.amount)).toEqual([1199, 800]);
    expect(memoLine.components.reduce((n: number, c: { total: { amount: number } }) => n + c.total.amount, 0)).toBe(
      memoLine.total.amount,
    );
    expect(await ledgerMismatches(world.database.db)).toEqual([]);
    expect(await heldMismatches(world.database.db)).toEqual([]);
  });
});
