import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../src/db/index.ts';
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
});
afterAll(async () => {
  await world?.close();
});
const request = (...args: Parameters<ReturnsWorld['server']['request']>) => world.server.request(...args);
const sum = (xs: { amount: { amount: number } }[]) => xs.reduce((n, x) => n + x.amount.amount, 0);

async function startReturn(orderId: string, lines: { line_id: string; quantity: number; reason?: string }[]) {
  const created = await request('POST', '/v1/returns', { body: returnBody(orderId, lines) });
  if (created.status !== 201) throw new Error(JSON.stringify(created.body));
  return created.body;
}
async function refund(id: string, body: Record<string, unknown> = {}) {
  return request('POST', `/v1/returns/${id}/refund`, { body });
}

describe('receiving', () => {
  it('takes partial receipts; restocks raise on hand at the receiving store with a ledger row, write-offs get their own', async () => {
    const sku = world.net.skus[2]!;
    const order = await deliveredOrder(world, [{ sku, quantity: 3 }]);
    const ret = await startReturn(order.id, [{ line_id: 'L1', quantity: 3 }]);
    const before = (await request('GET', `/v1/inventory/${world.net.storeA}/${sku}`)).body;
    const first = await request('POST', `/v1/returns/${ret.id}/receive`, {
      body: { lines: [{ line_id: 'L1', quantity: 1, condition: 'new', disposition: 'restock' }] },
    });
    expect(first.body).toMatchObject({ status: 'received', lines: [{ received: 1, restocked: 1 }] });
    const over = await request('POST', `/v1/returns/${ret.id}/receive`, {
      body: { lines: [{ line_id: 'L1', quantity: 3, condition: 'new', disposition: 'restock' }] },
    });
    expect(over.status).toBe(400);
    const second = await request('POST', `/v1/returns/${ret.id}/receive`, {
      body: { lines: [{ line_id: 'L1', quantity: 2, condition: 'damaged', disposition: 'write_off' }] },
    });
    expect(second.body).toMatchObject({ status: 'restocked', lines: [{ received: 3, restocked: 1, written_off: 2 }] });
    expect(second.body.receipts).toHaveLength(2);
    const after = (await request('GET', `/v1/inventory/${world.net.storeA}/${sku}`)).body;
    expect(after.on_hand).toBe(before.on_hand + 1);
    const ledger = await query<{ kind: string; on_hand_delta: number }>(
      world.database.db,
      sql`select kind, on_hand_delta from inventory_ledger where reference_id = ${ret.id} order by id`,
    );
    expect(ledger).toEqual([
      { kind: 'return_restock', on_hand_delta: 1 },
      { kind: 'write_off', on_hand_delta: 0 },
    ]);
    const view = (await request('GET', `/v1/orders/${order.id}`)).body;
    expect(view.lines[0].quantities).toMatchObject({ returned: 3, return_requested: 0 });
    const types = view.timeline.map((e: { type: string }) => e.type);
    expect(types).toEqual(expect.arrayContaining(['return.created', 'return.received', 'return.status_changed']));
  });
});

describe('refunds', () => {
  it('refunds several returns of one order (after a partial cancel) to exactly what was captured', async () => {
    const [a, b] = world.net.skus;
    const order = await deliveredOrder(
      world,
      [
        { sku: a!, quantity: 7, price: 1299 },
        { sku: b!, quantity: 3, price: 1250 },
      ],
      { cancel: [{ line_id: 'L1', quantity: 2 }] },
    );
    const captured = sum(order.payments.filter((p: { kind: string }) => p.kind === 'capture'));
    const r1 = await startReturn(order.id, [{ line_id: 'L1', quantity: 2, reason: 'defective' }]);
    const r2 = await startReturn(order.id, [
      { line_id: 'L1', quantity: 3 },
      { line_id: 'L2', quantity: 1 },
    ]);
    const r3 = await startReturn(order.id, [{ line_id: 'L2', quantity: 2 }]);
    let refunded = 0;
    for (const ret of [r1, r2, r3]) {
      await receiveAll(world.server, ret);
      const done = await refund(ret.id);
      expect(done.status).toBe(201);
      expect(done.body.refund.status).toBe('succeeded');
      expect(done.body.return.status).toBe('refunded');
      expect(done.body.refund.credit_memo.total.amount).toBe(done.body.refund.amount.amount);
      refunded += done.body.refund.amount.amount;
    }
    expect(refunded).toBe(captured);
    const money = (await request('GET', `/v1/orders/${order.id}/payments`)).body;
    expect(money).toMatchObject({
      captured: { amount: captured },
      refunded: { amount: captured },
      refundable: { amount: 0 },
    });
    const view = (await request('GET', `/v1/orders/${order.id}`)).body;
    expect(view.payment_status).toBe('refunded');
    expect(view.lines.map((l: { quantities: { refunded: number } }) => l.quantities.refunded)).toEqual([5, 3]);
    const again = await refund(r3.id);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('illegal_transition');
  });

  it('refunds a return in parts, keeps a restocking fee, and issues a credit memo per refund (JSON and PDF)', async () => {
    await request('PUT', '/v1/channels/web/return-policy', {
      body: { window_days: 30, auto_authorize: true, shipping_refund: 'never', restocking_fee_bps: 1000 },
    });
    const order = await deliveredOrder(world, [{ sku: world.net.skus[0]!, quantity: 3, price: 999 }]);
    const ret = await startReturn(order.id, [{ line_id: 'L1', quantity: 3, reason: 'changed_mind' }]);
    await receiveAll(world.server, ret);
    const first = await refund(ret.id, { lines: [{ line_id: 'L1', quantity: 1 }] });
    expect(first.status).toBe(201);
    expect(first.body.return.status).toBe('restocked');
    const second = await refund(ret.id, {
      lines: [{ line_id: 'L1', quantity: 2 }],
      restocking_fee: { amount: 0, currency: 'USD' },
    });
    expect(second.body.return.status).toBe('refunded');
    const line = order.lines[0];
    const lineTotal = line.unit_price.amount * 3 - line.discount.amount + line.tax.amount;
    const fee = first.body.refund.restocking_fee.amount;
    expect(fee).toBe(Math.floor(((999 - first.body.refund.lines[0].discountMinor) * 1000) / 10000));
    expect(first.body.refund.amount.amount + second.body.refund.amount.amount).toBe(lineTotal - fee);
    expect(first.body.refund.shipping.amount).toBe(0);
    const memos = second.body.return.credit_memos;
    expect(memos).toHaveLength(2);
    const memo = (await request('GET', `/v1/invoices/${memos[0].id}`)).body;
    expect(memo.kind).toBe('credit_memo');
    expect(memo.document.references.return_id).toBe(ret.id);
    expect(memo.document.totals.total.amount).toBe(first.body.refund.amount.amount);
    const pdf = await fetch(`${world.server.url}/v1/invoices/${memos[0].id}.pdf`, {
      headers: { authorization: 'Bearer csk_test_admin_key_for_consign_tests' },
    });
    expect(pdf.headers.get('content-type')).toMatch(/application\/pdf/);
    await request('PUT', '/v1/channels/web/return-policy', {
      body: { window_days: 30, auto_authorize: true, shipping_refund: 'merchant_fault', restocking_fee_bps: 0 },
    });
  });

  it('refunds shipping once per order for a merchant-fault reason, and refuses to refund before receipt', async () => {
    const order = await deliveredOrder(world, [{ sku: world.net.skus[0]!, quantity: 2 }]);
    const ret = await startReturn(order.id, [{ line_id: 'L1', quantity: 1, reason: 'damaged' }]);
    const early = await refund(ret.id);
    expect(early.status).toBe(409);
    await receiveAll(world.server, ret, 'write_off');
    const done = await refund(ret.id);
    expect(done.body.refund.shipping.amount).toBe(order.shipping.amount);
    expect(done.body.return.status).toBe('refunded');
    const ret2 = await startReturn(order.id, [{ line_id: 'L1', quantity: 1, reason: 'wrong_item' }]);
    await receiveAll(world.server, ret2);
    const done2 = await refund(ret2.id);
    expect(done2.body.refund.shipping.amount).toBe(0);
    const money = (await request('GET', `/v1/orders/${order.id}/payments`)).body;
    expect(money.refunded.amount).toBe(money.captured.amount);
  });
});

describe('goodwill and return refunds share one ceiling', () => {
  const usd = (amount: number) => ({ amount, currency: 'USD' });
  /** A 24.00 order (15.00 + 9.00, no discount, tax or shipping), delivered. */
  async function order24() {
    const lines = [
      { sku: world.net.skus[0]!, quantity: 1, price: 1500 },
      { sku: world.net.skus[1]!, quantity: 1, price: 900 },
    ];
    return deliveredOrder(world, lines, { over: plainMoney(lines) });
  }
  /** Starts a return of one unit of `lineId`, receives it and refunds it. */
  async function returnAndRefund(orderId: string, lineId: string) {
    const ret = await startReturn(orderId, [{ line_id: lineId, quantity: 1 }]);
    await receiveAll(world.server, ret);
    return { ret, done: await refund(ret.id) };
  }
  const split = (computed: number, refunded: number) => ({
    computed: usd(computed),
    amount: usd(refunded),
    capped_by_earlier_refunds: usd(computed - refunded),
  });
  const goodwill = (orderId: string, amount: number) =>
    request('POST', `/v1/orders/${orderId}/refunds`, {
      body: { amount: usd(amount), reason: 'goodwill: late delivery' },
    });

  it('after a goodwill refund, a return refund gives back what is left and says the rest was refunded earlier', async () => {
    const order = await order24();
    expect((await goodwill(order.id, 2000)).status).toBe(201);
    const { ret, done } = await returnAndRefund(order.id, 'L1');
    expect(done.status).toBe(201);
    expect(done.body.refund).toMatchObject({ status: 'succeeded', ...split(1500, 400) });
    expect(done.body.return).toMatchObject({ status: 'refunded', refunded: usd(400), lines: [{ refunded: 1 }] });
    const memo = (await request('GET', `/v1/invoices/${done.body.refund.credit_memo.id}`)).body;
    expect(memo.document.totals.total).toEqual(usd(400));
    expect(memo.document.references).toMatchObject({
      return_id: ret.id,
      computed: usd(1500),
      capped_by_earlier_refunds: usd(1100),
    });
    expect(memo.document.notes).toMatch(/\$15\.00.*\$11\.00 .*already refunded/);
    const view = (await request('GET', `/v1/orders/${order.id}`)).body;
    expect(view.lines[0].quantities.refunded).toBe(1);
    const event = view.timeline.find((e: { type: string }) => e.type === 'return.refunded');
    expect(event.data).toMatchObject(split(1500, 400));

    // Nothing is left: the next return still settles its units, refunding nothing.
    const none = (await returnAndRefund(order.id, 'L2')).done;
    expect(none.status).toBe(201);
    expect(none.body.refund).toMatchObject({ status: 'already_refunded', ...split(900, 0), refunds: [] });
    expect(none.body.return.status).toBe('refunded');
    const money = (await request('GET', `/v1/orders/${order.id}/payments`)).body;
    expect(money).toMatchObject({ captured: usd(2400), refunded: usd(2400), refundable: usd(0) });
  });

  it('after a return refund, a goodwill refund above what is left is refused with the amount left', async () => {
    const order = await order24();
    const ret = await startReturn(order.id, [{ line_id: 'L1', quantity: 1 }]);
    await receiveAll(world.server, ret);
    const done = await refund(ret.id);
    expect(done.body.refund).toMatchObject({
      amount: usd(1500),
      computed: usd(1500),
      capped_by_earlier_refunds: usd(0),
    });
    const refused = await goodwill(order.id, 2000);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'refund_exceeds_captured', refundable: usd(900) });
    expect(refused.body.detail).toContain('$9.00');
    const money = (await request('GET', `/v1/orders/${order.id}/payments`)).body;
    expect(money.refunded).toEqual(usd(1500));
    expect((await goodwill(order.id, 900)).status).toBe(201);
  });
});
