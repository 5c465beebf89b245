import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translateOutbound } from '../../src/connectors/index.ts';
import { must } from '../support/client.ts';
import { connectorFixture, startConnectorWorld, type ConnectorWorld } from '../support/connectors.ts';

const ORDER_ID = '8214298463751234567';
const SKUS = ['IPOD2008PINK', 'IPOD2008GREEN'];
const create = connectorFixture('shopify/orders-create.json');
const refund = connectorFixture('shopify/refunds-create.json');
const edit = connectorFixture('shopify/orders-edited.json');

/** The same platform payload for another Shopify order (every test has its own). */
const forOrder = (raw: string, id: string) => raw.replaceAll(ORDER_ID, id);
/** The order as the `orders/cancelled` webhook carries it: `cancelled_at` set. */
const cancelled = (raw: string) =>
  raw
    .replace('"cancelled_at": null', '"cancelled_at": "2026-11-20T15:10:00-04:00"')
    .replace('"cancel_reason": null', '"cancel_reason": "customer"');
const topic = (name: string) => ({ headers: { 'x-shopify-topic': name } });

describe('Shopify order life cycle', () => {
  let world: ConnectorWorld;
  beforeAll(async () => {
    world = await startConnectorWorld({ platform: 'shopify', skus: SKUS });
  });
  afterAll(async () => world?.close());

  const reserved = async () => {
    let total = 0;
    for (const location of [world.net.storeA, world.net.storeB]) {
      for (const sku of SKUS)
        total += (await world.server.request('GET', `/v1/inventory/${location}/${sku}`)).body.reserved;
    }
    return total;
  };
  const orderOf = async (externalId: string) => {
    const list = await world.server.request('GET', `/v1/orders?q=${externalId}`);
    const found = list.body.data.find((o: any) => o.external_id === externalId);
    return found ? (await world.server.request('GET', `/v1/orders/${found.id}`)).body : undefined;
  };
  const paymentsOf = async (orderId: string) =>
    (await world.server.request('GET', `/v1/orders/${orderId}/payments`)).body;
  const quantities = (order: any) =>
    Object.fromEntries(order.lines.map((l: any) => [l.sku, [l.quantities.ordered, l.quantities.cancelled]]));

  /** Cancelled, no stock reserved, the whole authorization released and nothing left to capture. */
  async function expectCancelledAndReleased(order: any) {
    expect(order.status).toBe('cancelled');
    expect(await reserved()).toBe(0);
    const money = await paymentsOf(order.id);
    expect(money.authorized.amount).toBe(42658);
    expect(money.capturable.amount).toBe(0);
    const voids = money.data.filter((p: any) => p.kind === 'void');
    expect(voids.reduce((n: number, p: any) => n + p.amount.amount, 0)).toBe(42658);
  }

  /**
   * The fixture refund (105.47) cancels one green unit. Nothing was captured yet, so the
   * authorization shrinks by exactly the refund: the unit's value through the cancel path, the
   * rest recorded as the platform's refund (by its id).
   */
  async function expectRefundRecorded(order: any) {
    expect(quantities(order)).toEqual({ IPOD2008PINK: [1, 0], IPOD2008GREEN: [2, 1] });
    const money = await paymentsOf(order.id);
    expect(
      money.voided.amount +
        money.data
          .filter((p: any) => p.kind === 'void' && p.status === 'pending')
          .reduce((n: number, p: any) => n + p.amount.amount, 0),
    ).toBe(10547);
    const recorded = money.data.filter((p: any) => p.details?.platform_refund_id === '929361465912345678');
    expect(recorded.map((p: any) => [p.kind, p.status])).toEqual([['void', 'succeeded']]);
    expect(money.capturable.amount).toBe(42658 - 10547);
  }

  it('create → cancelled: the order ends cancelled, stock released, authorization voided; a repeat changes nothing', async () => {
    const id = '7000000000000000001';
    expect((await world.post(forOrder(create, id), topic('orders/create'))).status).toBe(201);
    expect(await reserved()).toBe(3); // 1 pink + 2 green
    const response = await world.post(forOrder(cancelled(create), id), topic('orders/cancelled'));
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.result).toBe('updated');
    const order = await orderOf(id);
    await expectCancelledAndReleased(order);
    const eventsBefore = order.timeline.length;
    const again = await world.post(forOrder(cancelled(create), id), topic('orders/cancelled'));
    expect(again.status).toBe(200);
    expect(again.body.result).toBe('duplicate');
    const after = await orderOf(id);
    expect(after.timeline.length).toBe(eventsBefore);
    expect((await paymentsOf(after.id)).data.length).toBe((await paymentsOf(order.id)).data.length);
  });

  it('cancelled → create: the order is recorded cancelled, never live; the late create changes nothing', async () => {
    const id = '7000000000000000002';
    const first = await world.post(forOrder(cancelled(create), id), topic('orders/cancelled'));
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.order.status).toBe('cancelled');
    const order = await orderOf(id);
    await expectCancelledAndReleased(order);
    const late = await world.post(forOrder(create, id), topic('orders/create'));
    expect(late.status).toBe(200);
    expect(late.body.result).toBe('duplicate');
    await expectCancelledAndReleased(await orderOf(id));
  });

  it('refunds/create is recorded against the payment once, by the Shopify refund id, and cancels the units it restocks', async () => {
    const id = '7000000000000000003';
    await world.post(forOrder(create, id), topic('orders/create'));
    const first = await world.post(forOrder(refund, id), topic('refunds/create'));
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.result).toBe('updated');
    const again = await world.post(forOrder(refund, id), topic('refunds/create'));
    expect(again.body.result).toBe('unchanged');
    const order = await orderOf(id);
    await expectRefundRecorded(order);
    expect(order.status).not.toBe('cancelled');
    await world.server.request('POST', `/v1/orders/${order.id}/cancel`, { body: { reason: 'test clean-up' } });
  });

  it('a refund that arrives before its order is kept and applied when the order arrives', async () => {
    const id = '7000000000000000004';
    const early = await world.post(forOrder(refund, id), topic('refunds/create'));
    expect(early.status, JSON.stringify(early.body)).toBe(202);
    expect(early.body.result).toBe('pending_order');
    expect(await orderOf(id)).toBeUndefined();
    const placed = await world.post(forOrder(create, id), topic('orders/create'));
    expect(placed.status).toBe(201);
    const order = await orderOf(id);
    expect(quantities(order)).toEqual({ IPOD2008PINK: [1, 0], IPOD2008GREEN: [2, 1] });
    await expectRefundRecorded(order);
    await world.server.request('POST', `/v1/orders/${order.id}/cancel`, { body: { reason: 'test clean-up' } });
  });

  it('orders/edited: removed units are cancelled through the cancel path, added lines go to review; once', async () => {
    const id = '7000000000000000005';
    await world.post(forOrder(create, id), topic('orders/create'));
    const reservedBefore = await reserved();
    const response = await world.post(forOrder(edit, id), topic('orders/edited'));
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.result).toBe('updated');
    const order = await orderOf(id);
    expect(quantities(order)).toEqual({ IPOD2008PINK: [1, 0], IPOD2008GREEN: [2, 1] });
    expect(await reserved()).toBe(reservedBefore - 1);
    const review = order.holds.filter((h: any) => h.kind === 'review');
    expect(review).toHaveLength(1);
    expect(review[0].reason).toContain('466157049123456789');
    expect(review[0].reason).toContain('cannot add');
    const again = await world.post(forOrder(edit, id), topic('orders/edited'));
    expect(again.body.result).toBe('unchanged');
    const after = await orderOf(id);
    expect(quantities(after)).toEqual({ IPOD2008PINK: [1, 0], IPOD2008GREEN: [2, 1] });
    expect(after.holds.filter((h: any) => h.kind === 'review')).toHaveLength(1);
    await world.server.request('POST', `/v1/orders/${order.id}/cancel`, { body: { reason: 'test clean-up' } });
  });

  it('orders/updated before orders/create places the order from the update, with the units already removed', async () => {
    const id = '7000000000000000006';
    const updated = forOrder(create, id).replace(
      '"fulfillable_quantity": 2,',
      '"fulfillable_quantity": 1,\n      "current_quantity": 1,',
    );
    expect(updated).toContain('"current_quantity": 1');
    const first = await world.post(updated, topic('orders/updated'));
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const order = await orderOf(id);
    expect(order.status).not.toBe('cancelled');
    expect(quantities(order)).toEqual({ IPOD2008PINK: [1, 0], IPOD2008GREEN: [2, 1] });
    const late = await world.post(forOrder(create, id), topic('orders/create'));
    expect(late.body.result).toBe('duplicate');
    expect(quantities(await orderOf(id))).toEqual({ IPOD2008PINK: [1, 0], IPOD2008GREEN: [2, 1] });
    await world.server.request('POST', `/v1/orders/${order.id}/cancel`, { body: { reason: 'test clean-up' } });
  });

  it('ignores topics it does not take, saying so', async () => {
    const response = await world.post(forOrder(create, '7000000000000000007'), topic('orders/delete'));
    expect(response.status).toBe(200);
    expect(response.body.result).toBe('ignored');
    expect(await orderOf('7000000000000000007')).toBeUndefined();
  });
});

describe('Shopify cancellations and the outbound cancel call', () => {
  const OUTBOUND_SECRET = `whsec_${Buffer.from('consign-shopify-outbound-secret!').toString('base64')}`;
  let world: ConnectorWorld;
  beforeAll(async () => {
    world = await startConnectorWorld({
      platform: 'shopify',
      skus: SKUS,
      outbound: { url: 'http://127.0.0.1:9/unused', secret: OUTBOUND_SECRET },
    });
    await translateOutbound(world.database.db); // past the set-up's events
  });
  afterAll(async () => world?.close());

  const cancellationsFor = async (orderId: string) => {
    await translateOutbound(world.database.db);
    const path = `/v1/events?type=connector.outbound&subject_id=${orderId}&limit=200`;
    return (await must(world.server.request, 'GET', path)).data.filter((e: any) => e.data.kind === 'cancellation');
  };

  it('sends the cancel call for an order cancelled in Consign, not for one Shopify cancelled itself', async () => {
    const inConsign = await world.post(forOrder(create, '7100000000000000001'), topic('orders/create'));
    await must(world.server.request, 'POST', `/v1/orders/${inConsign.body.order.id}/cancel`, {
      reason: 'out of stock',
    });
    expect(await cancellationsFor(inConsign.body.order.id)).toHaveLength(1);
    const onShopify = await world.post(forOrder(create, '7100000000000000002'), topic('orders/create'));
    await world.post(forOrder(cancelled(create), '7100000000000000002'), topic('orders/cancelled'));
    expect(await cancellationsFor(onShopify.body.order.id)).toHaveLength(0);
  });
});
