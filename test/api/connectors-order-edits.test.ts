import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translateOutbound } from '../../src/connectors/index.ts';
import { createOutboxFollower, gapGraceMsFor } from '../../src/streaming/index.ts';
import { testEngine } from '../support/db.ts';
import { must } from '../support/client.ts';
import { orderBody } from '../support/orders.ts';
import { connectorFixture, startConnectorWorld, type ConnectorWorld } from '../support/connectors.ts';

const OUTBOUND_SECRET = `whsec_${Buffer.from('consign-edits-outbound-secret!!!').toString('base64')}`;

describe('changes to platform orders', () => {
  let world: ConnectorWorld;

  beforeAll(async () => {
    world = await startConnectorWorld({
      platform: 'shopify',
      skus: ['IPOD2008PINK', 'IPOD2008GREEN'],
      outbound: { url: 'http://127.0.0.1:9/unused', secret: OUTBOUND_SECRET },
    });
    await translateOutbound(world.database.db); // past the set-up's events
  });
  afterAll(async () => world?.close());

  /** Translates until the follower has read every event (a batch stops where events are not settled yet). */
  const translateAll = async () => {
    // A gap (a rolled-back preview's event IDs) waits out its grace: this clock moves 10 s per look.
    let clock = Date.now();
    const follower = createOutboxFollower('connectors', {
      gapGraceMs: gapGraceMsFor(testEngine()),
      now: () => (clock += 10_000),
    });
    for (let i = 0; i < 10; i++) if ((await translateOutbound(world.database.db, follower)).events === 0) return;
  };

  const notPushed = async () =>
    (await must(world.server.request, 'GET', '/v1/events?type=connector.edit_not_pushed&limit=50')).data as {
      subject_id: string;
      data: Record<string, unknown>;
    }[];

  it('records a confirmed change to a Shopify order as not pushed, with the reason, once', async () => {
    const placed = await world.post(connectorFixture('shopify/orders-create.json'));
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    const orderId = placed.body.order.id as string;
    const change = await must(world.server.request, 'POST', `/v1/orders/${orderId}/changes`, {
      reason: 'customer wants one green',
      actions: [{ type: 'change_quantity', line_id: '141249953214522974', quantity: 1 }],
    });
    await must(world.server.request, 'POST', `/v1/orders/${orderId}/changes/${change.id}/confirm`, {});
    await translateAll();
    await translateAll(); // nothing new: recorded once
    const recorded = await notPushed();
    expect(recorded).toHaveLength(1);
    expect(recorded[0]!.data).toMatchObject({
      channel_id: world.channelId,
      platform: 'shopify',
      order_id: orderId,
      external_id: '8214298463751234567',
      change_id: change.id,
    });
    expect(recorded[0]!.data.reason).toContain('make the same change on the platform');
  });

  it('says nothing about a change to an order that did not come from the platform', async () => {
    const before = (await notPushed()).length;
    const order = await must(
      world.server.request,
      'POST',
      '/v1/orders',
      orderBody('MANUAL-EDIT-1', [{ sku: 'IPOD2008PINK', quantity: 2 }], { channel: world.channelId }),
    );
    const change = await must(world.server.request, 'POST', `/v1/orders/${order.id}/changes`, {
      reason: 'one fewer',
      actions: [{ type: 'change_quantity', line_id: 'L1', quantity: 1 }],
    });
    await must(world.server.request, 'POST', `/v1/orders/${order.id}/changes/${change.id}/confirm`, {});
    await translateAll();
    expect(await notPushed()).toHaveLength(before);
  });
});
