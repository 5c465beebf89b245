import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translateOutbound } from '../../src/connectors/index.ts';
import { gapGraceMsFor } from '../../src/streaming/index.ts';
import { createWebhookDispatcher } from '../../src/webhooks/index.ts';
import { must } from '../support/client.ts';
import { connectorFixture, startConnectorWorld, type ConnectorWorld } from '../support/connectors.ts';
import { testEngine } from '../support/db.ts';

const OUTBOUND_SECRET = `whsec_${Buffer.from('consign-health-outbound-secret!!').toString('base64')}`;

describe('connector health', () => {
  let world: ConnectorWorld;
  const health = async () => must(world.server.request, 'GET', `/v1/channels/${world.channelId}/connector/health`);

  beforeAll(async () => {
    world = await startConnectorWorld({
      platform: 'shopify',
      skus: ['IPOD2008PINK', 'IPOD2008GREEN'],
      // Nothing listens on port 9: every outbound delivery fails and stays owed.
      outbound: { url: 'http://127.0.0.1:9/shopify', secret: OUTBOUND_SECRET },
    });
  });
  afterAll(async () => world?.close());

  it('starts quiet: no order, no error, empty queues', async () => {
    expect(await health()).toEqual({
      channel_id: world.channelId,
      platform: 'shopify',
      last_order_received_at: null,
      last_polled_at: null,
      last_error: null,
      review_queue: 0,
      outbound: { backlog: 0, oldest_undelivered_at: null },
    });
  });

  it('shows the last order received, a refused order as the last error, and the review queue', async () => {
    expect((await world.post(connectorFixture('shopify/orders-create.json'))).status).toBe(201);
    const afterOrder = await health();
    expect(afterOrder.last_order_received_at).not.toBeNull();
    expect(afterOrder.last_error).toBeNull();

    const forged = await world.post(connectorFixture('shopify/orders-create.json'), {
      secret: 'not-the-secret-at-all',
    });
    expect(forged.status).toBe(401);
    const afterForgery = await health();
    expect(afterForgery.last_error).toMatchObject({ source: 'inbound', code: 'invalid_signature' });

    // Variants this channel has never seen, with no SKU: held for a mapping.
    const unseen = connectorFixture('shopify/orders-create-no-sku.json').replaceAll(
      '"variant_id": 80895081',
      '"variant_id": 70895081',
    );
    expect((await world.post(unseen)).status).toBe(202);
    const afterHold = await health();
    expect(afterHold.review_queue).toBe(1);
    expect(afterHold.last_order_received_at >= afterOrder.last_order_received_at).toBe(true);
  });

  it('records a signed body that is not JSON, even one of a NUL byte, as the last error (400, never a 500)', async () => {
    const nul = await world.post('\u0000');
    expect(nul.status).toBe(400);
    expect(nul.body.code).toBe('malformed_json');
    const recorded = (await health()).last_error;
    expect(recorded).toMatchObject({ source: 'inbound', code: 'malformed_json' });
    expect(recorded.detail).not.toContain('\u0000');
  });

  it('counts the outbound messages the endpoint has not accepted, with the oldest, and a failed delivery as the last error', async () => {
    await must(world.server.request, 'PUT', `/v1/inventory/${world.net.storeA}/IPOD2008PINK`, { on_hand: 7 });
    await must(world.server.request, 'PUT', `/v1/inventory/${world.net.storeA}/IPOD2008GREEN`, { on_hand: 8 });
    await translateOutbound(world.database.db);
    const queued = await health();
    expect(queued.outbound.backlog).toBeGreaterThanOrEqual(1);
    expect(queued.outbound.oldest_undelivered_at).not.toBeNull();

    const dispatcher = createWebhookDispatcher(world.database.db, {
      retryScheduleMs: [60_000],
      timeoutMs: 2_000,
      gapGraceMs: gapGraceMsFor(testEngine()),
    });
    await dispatcher.tick();
    const failed = await health();
    expect(failed.outbound.backlog).toBe(queued.outbound.backlog);
    expect(failed.outbound.oldest_undelivered_at).toBe(queued.outbound.oldest_undelivered_at);
    expect(failed.last_error).toMatchObject({ source: 'outbound', code: 'delivery_failed' });
  });

  it('lists every channel connector, and answers 404 for a channel without one', async () => {
    const list = await must(world.server.request, 'GET', '/v1/connectors/health');
    expect(list.data.map((h: { channel_id: string }) => h.channel_id)).toEqual([world.channelId]);
    expect(list.data[0].review_queue).toBe(1);
    const none = await world.server.request('GET', '/v1/channels/chn_doesnotexist/connector/health');
    expect(none.status).toBe(404);
    expect(none.body.code).toBe('not_found');
  });
});
