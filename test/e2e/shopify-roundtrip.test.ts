import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConnectorWorkers } from '../../src/connectors/index.ts';
import { gapGraceMsFor } from '../../src/streaming/index.ts';
import { startWebhookDispatcher } from '../../src/webhooks/index.ts';
import { must } from '../support/client.ts';
import { connectorFixture, startConnectorWorld, type ConnectorWorld } from '../support/connectors.ts';
import { testEngine } from '../support/db.ts';
import { PlatformReceiver } from '../support/platform-receiver.ts';
import { allowLocalWebhooks } from '../support/webhook-receiver.ts';
import { waitFor } from '../support/wait.ts';

const OUTBOUND_SECRET = `whsec_${Buffer.from('consign-shopify-outbound-secret!').toString('base64')}`;

describe('Shopify round trip: orders/create → routed → shipped → fulfillment delivered to Shopify', () => {
  let world: ConnectorWorld;
  let receiver: PlatformReceiver;
  const stops: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    const restoreAllowList = allowLocalWebhooks();
    stops.push(async () => restoreAllowList());
    receiver = await new PlatformReceiver(OUTBOUND_SECRET).start();
    world = await startConnectorWorld({
      platform: 'shopify',
      skus: ['IPOD2008PINK', 'IPOD2008GREEN'],
      outbound: { url: receiver.url, secret: OUTBOUND_SECRET },
    });
    const options = { intervalMs: 25, gapGraceMs: gapGraceMsFor(testEngine()) };
    const dispatcher = startWebhookDispatcher(world.database.db, { ...options, timeoutMs: 5_000 });
    const connectors = startConnectorWorkers(world.database.db, options);
    stops.push(
      () => dispatcher.stop(),
      () => connectors.stop(),
    );
  });

  afterAll(async () => {
    for (const stop of stops) await stop();
    await receiver?.stop();
    await world?.close();
  });

  it('delivers a Shopify fulfillment with the tracking number and the exact Shopify IDs', async () => {
    const placed = await world.post(connectorFixture('shopify/orders-create.json'));
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    const order = placed.body.order;
    expect(order.status).toBe('in_process');
    const [fo] = order.fulfillment_orders;
    for (const step of ['accept', 'pick', 'pack'])
      await must(world.server.request, 'POST', `/v1/fulfillment-orders/${fo.id}/${step}`, {});
    await must(world.server.request, 'POST', `/v1/fulfillment-orders/${fo.id}/ship`, {
      carrier: 'UPS',
      tracking_number: '1Z999AA10123456784',
    });

    const message = await waitFor(
      'the Shopify fulfillment at the receiver',
      () => receiver.received.find((m) => m.text.includes('"fulfillment"')),
      {
        timeoutMs: 30_000,
        describe: () => `${receiver.received.length} received, refused: ${receiver.refused.join(',')}`,
      },
    );
    // Shopify IDs beyond 2^53 go back as the very integers Shopify sent.
    expect(message.text).toContain('"order_id":8214298463751234567');
    expect(message.text).toContain('{"id":866550311766439020,"quantity":1}');
    expect(message.text).toContain('{"id":141249953214522974,"quantity":2}');
    const body = JSON.parse(message.text) as { fulfillment: Record<string, unknown> };
    expect(body.fulfillment).toMatchObject({
      status: 'success',
      tracking_company: 'UPS',
      tracking_number: '1Z999AA10123456784',
      tracking_numbers: ['1Z999AA10123456784'],
      notify_customer: true,
    });
    expect(receiver.refused).toEqual([]);
  });

  it('pushes the channel’s availability in Shopify’s inventorySetQuantities shape', async () => {
    await must(world.server.request, 'PUT', `/v1/inventory/${world.net.storeA}/IPOD2008PINK`, { on_hand: 7 });
    const atp = await must(
      world.server.request,
      'GET',
      `/v1/availability?skus=IPOD2008PINK&location_group=${world.net.groupId}`,
    );
    const expected = atp.data[0].available as number;
    expect(expected).toBeLessThan(100);
    const message = await waitFor(
      'an availability push with the new level',
      () =>
        receiver.received
          .map((m) => JSON.parse(m.text) as { input?: { quantities: { variantId?: string; quantity: number }[] } })
          // The order received earlier recorded the variant's mapping: the push names the Shopify variant.
          .find((b) =>
            b.input?.quantities.some(
              (q) => q.variantId === 'gid://shopify/ProductVariant/808950810' && q.quantity === expected,
            ),
          ),
      { timeoutMs: 30_000 },
    );
    expect(message.input).toMatchObject({ name: 'available', reason: 'correction' });
  });

  it('tells Shopify when Consign cancels the whole order', async () => {
    const raw = connectorFixture('shopify/orders-create.json').replaceAll('8214298463751234567', '8214298463751239999');
    const placed = await world.post(raw);
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    await must(world.server.request, 'POST', `/v1/orders/${placed.body.order.id}/cancel`, {
      reason: 'customer asked to cancel',
    });
    const message = await waitFor(
      'the Shopify cancel call at the receiver',
      () => receiver.received.find((m) => m.text.includes('customer asked to cancel')),
      { timeoutMs: 30_000 },
    );
    expect(JSON.parse(message.text)).toEqual({ reason: 'other', email: true, staff_note: 'customer asked to cancel' });
  });
});
