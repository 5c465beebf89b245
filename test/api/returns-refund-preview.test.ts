import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryOne } from '../../src/db/index.ts';
import { deliveredOrder, returnBody, useReturnsWorld } from './returns-support.ts';

const file = useReturnsWorld();
const { request } = file;
const usd = (amount: number) => ({ amount, currency: 'USD' });

async function setPolicy(shipping_refund: string, restocking_fee_bps: number) {
  const set = await request('PUT', '/v1/channels/web/return-policy', {
    body: { window_days: 30, auto_authorize: true, shipping_refund, restocking_fee_bps },
  });
  if (set.status !== 200) throw new Error(JSON.stringify(set.body));
}

async function startReturn(orderId: string, lines: { line_id: string; quantity: number; reason: string }[]) {
  const created = await request('POST', '/v1/returns', { body: returnBody(orderId, lines) });
  if (created.status !== 201) throw new Error(JSON.stringify(created.body));
  return created.body;
}

const receive = (id: string, lines: Record<string, unknown>[], close?: boolean) =>
  request('POST', `/v1/returns/${id}/receive`, { body: { lines, ...(close === undefined ? {} : { close }) } });
const receipt = (line_id: string, quantity: number, disposition = 'restock') => ({
  line_id,
  quantity,
  condition: disposition === 'restock' ? 'opened' : 'damaged',
  disposition,
});

/** Everything a refund writes: the return row, its events, the order's payments, credit memos and tax documents. */
async function footprint(returnId: string, orderId: string) {
  return queryOne(
    file.world.database.db,
    sql`select (select row_to_json(r)::text from returns r where r.id = ${returnId}) as ret,
               (select json_agg(l order by l.line_no)::text from return_lines l where l.return_id = ${returnId}) as lines,
               (select count(*)::int from events) as events,
               (select count(*)::int from payments where order_id = ${orderId}) as payments,
               (select count(*)::int from invoices where order_id = ${orderId}) as invoices,
               (select count(*)::int from tax_documents where order_id = ${orderId}) as tax_documents,
               (select json_agg(l order by l.line_no)::text from order_lines l where l.order_id = ${orderId}) as order_lines`,
  );
}

/** A preview's lines as the refund answers them (its arithmetic's own field names). */
const asRefundLines = (preview: { lines: Record<string, { amount: number } | string | number>[] }) =>
  preview.lines.map((l) => ({
    lineId: l.line_id,
    sku: l.sku,
    quantity: l.quantity,
    unitPriceMinor: (l.unit_price as { amount: number }).amount,
    subtotalMinor: (l.subtotal as { amount: number }).amount,
    discountMinor: (l.discount as { amount: number }).amount,
    taxMinor: (l.tax as { amount: number }).amount,
    restockingFeeMinor: (l.restocking_fee as { amount: number }).amount,
    totalMinor: (l.total as { amount: number }).amount,
  }));

describe('a partly received return: closed with what arrived, previewed, refunded', () => {
  it('receives one line in full and one in part, closes it, previews the refund without writing, then refunds exactly the preview', async () => {
    await setPolicy('always', 1000);
    const [a, b] = file.world.net.skus;
    const order = await deliveredOrder(file.world, [
      { sku: a!, quantity: 2, price: 2500 },
      { sku: b!, quantity: 2, price: 1200 },
    ]);
    const ret = await startReturn(order.id, [
      { line_id: 'L1', quantity: 2, reason: 'changed_mind' },
      { line_id: 'L2', quantity: 2, reason: 'damaged' },
    ]);
    const partly = await receive(ret.id, [receipt('L1', 2), receipt('L2', 1, 'write_off')]);
    expect(partly.body).toMatchObject({ status: 'received' });
    // Not finished receiving: neither a preview nor a refund yet.
    const early = await request('POST', `/v1/returns/${ret.id}/refund-preview`, { body: {} });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('illegal_transition');

    // The second unit of L2 is not coming: close the return with what arrived.
    const closed = await receive(ret.id, [], true);
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({
      status: 'restocked',
      lines: [
        { line_id: 'L1', quantity: 2, received: 2, restocked: 2 },
        { line_id: 'L2', quantity: 2, received: 1, written_off: 1 },
      ],
    });
    const view = (await request('GET', `/v1/orders/${order.id}`)).body;
    expect(view.lines[1].quantities).toMatchObject({ returned: 1, return_requested: 0 });
    expect((await receive(ret.id, [receipt('L2', 1)])).status).toBe(409);

    const before = await footprint(ret.id, order.id);
    const previewed = await request('POST', `/v1/returns/${ret.id}/refund-preview`, { body: {} });
    expect(previewed.status).toBe(200);
    const preview = previewed.body;
    expect(await footprint(ret.id, order.id)).toEqual(before);

    const [l1, l2] = order.lines;
    // L1: both units at their price less their share of the discount plus their tax, less 10 % of their net value.
    const l1Net = 2 * 2500 - l1.discount.amount;
    const fee = Math.floor((l1Net * 1000) / 10_000);
    expect(preview.lines).toMatchObject([
      {
        line_id: 'L1',
        quantity: 2,
        unit_price: usd(2500),
        subtotal: usd(5000),
        discount: l1.discount,
        tax: l1.tax,
        restocking_fee: usd(fee),
        total: usd(l1Net + l1.tax.amount - fee),
      },
      // L2: one unit arrived; damaged is the merchant's fault, so no fee.
      { line_id: 'L2', quantity: 1, unit_price: usd(1200), subtotal: usd(1200), restocking_fee: usd(0) },
    ]);
    expect(preview.restocking_fee).toEqual(usd(fee));
    expect(preview.shipping).toEqual(order.shipping);
    expect(preview.tax.amount).toBe(preview.lines[0].tax.amount + preview.lines[1].tax.amount);
    expect(preview.total.amount).toBe(
      preview.lines[0].total.amount + preview.lines[1].total.amount + order.shipping.amount,
    );
    expect(preview.policy).toEqual({ shipping_refund: 'always', restocking_fee_bps: 1000 });

    const refunded = await request('POST', `/v1/returns/${ret.id}/refund`, { body: {} });
    expect(refunded.status).toBe(201);
    expect(refunded.body.refund).toMatchObject({
      status: 'succeeded',
      computed: preview.total,
      amount: preview.total,
      shipping: preview.shipping,
      restocking_fee: preview.restocking_fee,
      lines: asRefundLines(preview),
    });
    expect(refunded.body.return).toMatchObject({
      status: 'refunded',
      refunded: preview.total,
      restocking_fee: preview.restocking_fee,
      lines: [{ refunded: 2 }, { refunded: 1 }],
    });
    expect(l2.quantity).toBe(2);
    await setPolicy('merchant_fault', 0);
  });

  it('previews what a refund of some units, without shipping and with a fee of the agent’s, would give, as that refund then does', async () => {
    await setPolicy('always', 1000);
    const order = await deliveredOrder(file.world, [{ sku: file.world.net.skus[0]!, quantity: 3, price: 999 }]);
    const ret = await startReturn(order.id, [{ line_id: 'L1', quantity: 3, reason: 'size_fit' }]);
    await receive(ret.id, [receipt('L1', 3)]);
    const body = { lines: [{ line_id: 'L1', quantity: 2 }], refund_shipping: false, restocking_fee: usd(150) };
    const preview = (await request('POST', `/v1/returns/${ret.id}/refund-preview`, { body })).body;
    expect(preview).toMatchObject({ shipping: usd(0), restocking_fee: usd(150), lines: [{ quantity: 2 }] });
    // The same preview twice: nothing was taken by the first.
    expect((await request('POST', `/v1/returns/${ret.id}/refund-preview`, { body })).body).toEqual(preview);
    const refunded = (await request('POST', `/v1/returns/${ret.id}/refund`, { body })).body;
    expect(refunded.refund).toMatchObject({ computed: preview.total, lines: asRefundLines(preview) });
    expect(refunded.return.status).toBe('restocked');
    // The last unit's preview now takes the policy's fee and the shipping.
    const rest = (await request('POST', `/v1/returns/${ret.id}/refund-preview`, { body: {} })).body;
    expect(rest).toMatchObject({ shipping: order.shipping, lines: [{ quantity: 1 }] });
    expect(rest.restocking_fee.amount).toBeGreaterThan(0);
    await setPolicy('merchant_fault', 0);
  });

  it('refuses a preview of units not received, of an unknown return, and a close of a return nothing has reached', async () => {
    const order = await deliveredOrder(file.world, [{ sku: file.world.net.skus[1]!, quantity: 2 }]);
    const ret = await startReturn(order.id, [{ line_id: 'L1', quantity: 2, reason: 'size_fit' }]);
    expect((await receive(ret.id, [], true)).body.code).toBe('illegal_transition');
    const nothing = await receive(ret.id, []);
    expect(nothing.status).toBe(400);
    expect(nothing.body.code).toBe('validation_failed');
    await receive(ret.id, [receipt('L1', 1)], true);
    const tooMany = await request('POST', `/v1/returns/${ret.id}/refund-preview`, {
      body: { lines: [{ line_id: 'L1', quantity: 2 }] },
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors[0].pointer).toBe('/lines/0/quantity');
    expect((await request('POST', '/v1/returns/rma_nope/refund-preview', { body: {} })).status).toBe(404);
  });

  it('closes a mail-in return that names no location: nothing more arrives, so no place is asked', async () => {
    const order = await deliveredOrder(file.world, [{ sku: file.world.net.skus[1]!, quantity: 2 }]);
    const created = await request('POST', '/v1/returns', {
      body: returnBody(order.id, [{ line_id: 'L1', quantity: 2 }], { location_id: undefined }),
    });
    expect(created.body.location_id).toBeNull();
    const arrived = await request('POST', `/v1/returns/${created.body.id}/receive`, {
      body: { location_id: file.world.net.storeA, lines: [receipt('L1', 1)] },
    });
    expect(arrived.body.status).toBe('received');
    const closed = await receive(created.body.id, [], true);
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'restocked', lines: [{ quantity: 2, received: 1 }] });
    const view = (await request('GET', `/v1/orders/${order.id}`)).body;
    expect(view.lines[0].quantities).toMatchObject({ returned: 1, return_requested: 0 });
  });
});
