import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translateOutbound } from '../../src/connectors/index.ts';
import { must } from '../support/client.ts';
import { startConnectorWorld, type ConnectorWorld } from '../support/connectors.ts';
import { allowLocalWebhooks } from '../support/webhook-receiver.ts';

const OUTBOUND_SECRET = `whsec_${Buffer.from('consign-amazon-outbound-secret!!').toString('base64')}`;

describe('connector outbound messages', () => {
  let world: ConnectorWorld;

  let restoreAllowList: () => void = () => {};
  beforeAll(async () => {
    restoreAllowList = allowLocalWebhooks();
    world = await startConnectorWorld({
      platform: 'amazon',
      skus: ['CBA_OTF_1', 'CBA_OTF_5'],
      outbound: { url: 'http://127.0.0.1:9/unused', secret: OUTBOUND_SECRET },
    });
    await translateOutbound(world.database.db); // past the set-up's events
  });
  afterAll(async () => {
    await world?.close();
    restoreAllowList();
  });

  const outboundEvents = async () =>
    (await must(world.server.request, 'GET', '/v1/events?type=connector.outbound&limit=200')).data as {
      data: { kind: string; channel_id: string; body_json: string };
    }[];

  it('coalesces a burst of changes to one SKU into one message carrying the latest ATP', async () => {
    const before = (await outboundEvents()).length;
    for (const onHand of [40, 30, 20, 10, 5]) {
      await must(world.server.request, 'PUT', `/v1/inventory/${world.net.storeA}/CBA_OTF_1`, { on_hand: onHand });
    }
    await must(world.server.request, 'PUT', `/v1/inventory/${world.net.storeB}/CBA_OTF_5`, { on_hand: 3 });
    await translateOutbound(world.database.db);
    const added = (await outboundEvents()).slice(before);
    expect(added).toHaveLength(1);
    const feed = JSON.parse(added[0]!.data.body_json) as {
      header: { version: string };
      messages: { sku: string; operationType: string; patches: { value: { quantity: number }[] }[] }[];
    };
    expect(added[0]!.data).toMatchObject({ kind: 'availability', channel_id: world.channelId });
    expect(feed.header.version).toBe('2.0');
    const quantities = Object.fromEntries(feed.messages.map((m) => [m.sku, m.patches[0]!.value[0]!.quantity]));
    expect(quantities).toEqual({ CBA_OTF_1: 5 + 50, CBA_OTF_5: 50 + 3 });
    expect(feed.messages.every((m) => m.operationType === 'PATCH')).toBe(true);
  });

  it('a shipment becomes an SP-API confirmShipment body', async () => {
    const { connectorFixture } = await import('../support/connectors.ts');
    const placed = await world.post(connectorFixture('amazon/v0-order.json'));
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    const fo = placed.body.order.fulfillment_orders[0];
    for (const step of ['accept', 'pick', 'pack'])
      await must(world.server.request, 'POST', `/v1/fulfillment-orders/${fo.id}/${step}`, {});
    await must(world.server.request, 'POST', `/v1/fulfillment-orders/${fo.id}/ship`, {
      carrier: 'USPS',
      tracking_number: '9405516902697649303570',
    });
    const before = (await outboundEvents()).length;
    await translateOutbound(world.database.db);
    const shipment = (await outboundEvents()).slice(before).find((e) => e.data.kind === 'shipment');
    expect(shipment).toBeDefined();
    const body = JSON.parse(shipment!.data.body_json) as Record<string, unknown>;
    expect(body).toMatchObject({
      marketplaceId: 'ATVPDKIKX0DER',
      packageDetail: {
        carrierCode: 'USPS',
        trackingNumber: '9405516902697649303570',
        orderItems: [
          { orderItemId: '68828574383266', quantity: 2 },
          { orderItemId: '79039765272157', quantity: 1 },
        ],
      },
    });
  });
});
