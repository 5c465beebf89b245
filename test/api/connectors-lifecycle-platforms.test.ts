import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollChannel, type Platform } from '../../src/connectors/index.ts';
import { must } from '../support/client.ts';
import { CONNECTOR_SECRET, connectorFixture, startConnectorWorld, type ConnectorWorld } from '../support/connectors.ts';
import { FakeSellingPartner, LWA_TOKEN } from '../support/selling-partner.ts';

/** A world for one platform, with what every life-cycle test reads. */
function lifecycleWorld(platform: Platform, skus: string[]) {
  const w = {
    world: undefined as unknown as ConnectorWorld,
    async reserved() {
      let total = 0;
      for (const location of [w.world.net.storeA, w.world.net.storeB]) {
        for (const sku of skus) {
          total += (await w.world.server.request('GET', `/v1/inventory/${location}/${sku}`)).body.reserved;
        }
      }
      return total;
    },
    async order(externalId: string) {
      const list = await w.world.server.request('GET', `/v1/orders?q=${encodeURIComponent(externalId)}`);
      const found = list.body.data.find((o: any) => o.external_id === externalId);
      return found ? (await w.world.server.request('GET', `/v1/orders/${found.id}`)).body : undefined;
    },
    async payments(orderId: string) {
      return (await w.world.server.request('GET', `/v1/orders/${orderId}/payments`)).body;
    },
  };
  beforeAll(async () => {
    w.world = await startConnectorWorld({ platform, skus });
  });
  afterAll(async () => w.world?.close());
  return w;
}

describe('WooCommerce order life cycle (order.updated)', () => {
  const w = lifecycleWorld('woocommerce', ['WOO-SINGLE-1', 'Bar3']);
  const order = connectorFixture('woocommerce/order.json');
  const forOrder = (raw: string, id: number) => raw.replace('"id": 727,', `"id": ${id},`);
  const topic = (name: string) => ({ headers: { 'x-wc-webhook-topic': name } });

  it('a status change to cancelled cancels the order (stock released, authorization voided), once', async () => {
    expect((await w.world.post(forOrder(order, 801), topic('order.created'))).status).toBe(201);
    expect(await w.reserved()).toBeGreaterThan(0);
    const cancelled = forOrder(order, 801).replace('"status": "processing"', '"status": "cancelled"');
    const response = await w.world.post(cancelled, topic('order.updated'));
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.result).toBe('updated');
    const placed = await w.order('801');
    expect(placed.status).toBe('cancelled');
    expect(await w.reserved()).toBe(0);
    expect((await w.payments(placed.id)).capturable.amount).toBe(0);
    expect((await w.world.post(cancelled, topic('order.updated'))).body.result).toBe('duplicate');
  });

  it('refunds in an updated order are recorded once each, by the WooCommerce refund id', async () => {
    const refunded = forOrder(order, 802).replace(
      '"refunds": []',
      '"refunds": [{ "id": 9001, "reason": "Scratched box", "total": "-5.00" }]',
    );
    expect(refunded).toContain('"id": 9001');
    expect((await w.world.post(forOrder(order, 802), topic('order.created'))).status).toBe(201);
    expect((await w.world.post(refunded, topic('order.updated'))).body.result).toBe('updated');
    expect((await w.world.post(refunded, topic('order.updated'))).body.result).toBe('duplicate');
    const placed = await w.order('802');
    const records = (await w.payments(placed.id)).data.filter((p: any) => p.details?.platform_refund_id === '9001');
    expect(records.map((p: any) => [p.kind, p.status, p.amount.amount])).toEqual([['void', 'succeeded', 500]]);
    expect(placed.status).not.toBe('cancelled');
  });

  it('an order that arrives already refunded is recorded cancelled, with no stock reserved', async () => {
    const before = await w.reserved();
    const refunded = forOrder(order, 803).replace('"status": "processing"', '"status": "refunded"');
    const response = await w.world.post(refunded, topic('order.updated'));
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect((await w.order('803')).status).toBe('cancelled');
    expect(await w.reserved()).toBe(before);
  });

  it('topics other than order.created / order.updated are answered and ignored', async () => {
    const response = await w.world.post('{"id": 804}', topic('order.deleted'));
    expect(response.status).toBe(200);
    expect(response.body.result).toBe('ignored');
  });
});

describe('BigCommerce order life cycle (store/order/statusUpdated)', () => {
  const w = lifecycleWorld('bigcommerce', ['S-ORAN', 'ABS']);
  const order = connectorFixture('bigcommerce/order.json');
  const statusUpdated = connectorFixture('bigcommerce/order-status-updated.json');

  it('Cancelled (5) before the order arrives is kept, and the order is recorded cancelled when it does', async () => {
    const early = await w.world.post(statusUpdated);
    expect(early.status, JSON.stringify(early.body)).toBe(202);
    expect(early.body.result).toBe('pending_order');
    const placed = await w.world.post(order);
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(placed.body.order.status).toBe('cancelled');
    expect(await w.reserved()).toBe(0);
    expect((await w.world.post(statusUpdated)).body.result).toBe('unchanged');
  });

  it('a status change to Cancelled cancels a placed order', async () => {
    const other = (raw: string) => raw.replace('"id": 247', '"id": 248');
    expect((await w.world.post(other(order))).status).toBe(201);
    expect(await w.reserved()).toBeGreaterThan(0);
    const response = await w.world.post(other(statusUpdated));
    expect(response.body.result).toBe('updated');
    expect((await w.order('248')).status).toBe('cancelled');
    expect(await w.reserved()).toBe(0);
  });

  it('other status changes are answered and ignored, naming the status', async () => {
    const shipped = statusUpdated.replace('"new_status_id": 5', '"new_status_id": 2');
    const response = await w.world.post(shipped);
    expect(response.body.result).toBe('ignored');
    expect(response.body.detail).toContain('status 2 of order 247');
  });
});

describe('Salesforce Commerce Cloud order life cycle (order status)', () => {
  const w = lifecycleWorld('sfcc', ['green-umbrella']);
  const order = connectorFixture('sfcc/order.json');

  it('the order posted again with status cancelled cancels it; failed on arrival is recorded cancelled', async () => {
    expect((await w.world.post(order)).status).toBe(201);
    const response = await w.world.post(order.replace('"status": "new"', '"status": "cancelled"'));
    expect(response.body.result).toBe('updated');
    expect((await w.order('00000410')).status).toBe('cancelled');
    expect(await w.reserved()).toBe(0);
    const failed = order.replace('"status": "new"', '"status": "failed"').replace('"00000410"', '"00000411"');
    expect((await w.world.post(failed)).status).toBe(201);
    expect((await w.order('00000411')).status).toBe('cancelled');
    expect(await w.reserved()).toBe(0);
  });
});

describe('Amazon order life cycle (OrderStatus, buyer cancellation requests)', () => {
  const w = lifecycleWorld('amazon', ['CBA_OTF_1', 'CBA_OTF_5']);
  const order = connectorFixture('amazon/v0-order.json');
  const forOrder = (raw: string, id: string) => raw.replace('902-3159896-1390916', id);
  const buyerAsks = (raw: string) =>
    raw.replace(
      '"IsGift": "false",',
      '"IsGift": "false",\n      "BuyerRequestedCancel": { "IsBuyerRequestedCancel": "true", "BuyerCancelReason": "Found a better price" },',
    );

  it('Canceled cancels the order', async () => {
    expect((await w.world.post(forOrder(order, '111-0000000-0000001'))).status).toBe(201);
    const canceled = forOrder(order, '111-0000000-0000001').replace('"Unshipped"', '"Canceled"');
    expect((await w.world.post(canceled)).body.result).toBe('updated');
    expect((await w.order('111-0000000-0000001')).status).toBe('cancelled');
    expect(await w.reserved()).toBe(0);
  });

  it("a buyer's cancellation request puts the order on a review hold that says so, once", async () => {
    const id = '111-0000000-0000002';
    expect((await w.world.post(forOrder(order, id))).status).toBe(201);
    const asked = buyerAsks(forOrder(order, id));
    expect(asked).toContain('IsBuyerRequestedCancel');
    expect((await w.world.post(asked)).body.result).toBe('updated');
    const held = await w.order(id);
    const review = held.holds.filter((h: any) => h.kind === 'review');
    expect(review).toHaveLength(1);
    expect(review[0].reason).toContain('Found a better price');
    await must(w.world.server.request, 'POST', `/v1/orders/${held.id}/release-hold`, { kind: 'review' });
    // Polling brings the same request back: released by a person, it is not held again.
    expect((await w.world.post(asked)).body.result).toBe('duplicate');
    expect((await w.order(id)).holds.filter((h: any) => h.kind === 'review')).toHaveLength(1);
    await must(w.world.server.request, 'POST', `/v1/orders/${held.id}/cancel`, { reason: 'test clean-up' });
  });

  it('polling: an order polled again as Canceled is cancelled in Consign', async () => {
    const sample = JSON.parse(order) as { Order: Record<string, unknown>; OrderItems: Record<string, unknown>[] };
    const polled: Record<string, unknown>[] = [
      { ...sample.Order, AmazonOrderId: '111-0000000-0000003', LastUpdateDate: '2026-11-21T10:00:00Z' },
    ];
    // A local SP-API: the token step, then the address and buyer with a Restricted Data Token.
    const partner = await new FakeSellingPartner(polled, sample.OrderItems).start();
    try {
      await must(w.world.server.request, 'PUT', `/v1/channels/${w.world.channelId}/connector`, {
        platform: 'amazon',
        secret: CONNECTOR_SECRET,
        polling: {
          base_url: partner.url,
          api_version: 'v0',
          marketplace_ids: ['ATVPDKIKX0DER'],
          access_token: LWA_TOKEN,
          start_after: '2026-11-01T00:00:00Z',
        },
      });
      await pollChannel(w.world.database.db, w.world.channelId);
      expect((await w.order('111-0000000-0000003')).status).not.toBe('cancelled');
      polled[0] = { ...polled[0], OrderStatus: 'Canceled', LastUpdateDate: '2026-11-22T10:00:00Z' };
      await pollChannel(w.world.database.db, w.world.channelId);
      expect((await w.order('111-0000000-0000003')).status).toBe('cancelled');
      expect(await w.reserved()).toBe(0);
    } finally {
      await partner.stop();
    }
  });
});
