import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translateOutbound } from '../../src/connectors/index.ts';
import { must } from '../support/client.ts';
import { startConnectorWorld, type ConnectorWorld } from '../support/connectors.ts';

const OUTBOUND_SECRET = `whsec_${Buffer.from('consign-woo-outbound-secret!!!!!').toString('base64')}`;

describe('availability pushes by platform identity (WooCommerce)', () => {
  let world: ConnectorWorld;

  beforeAll(async () => {
    world = await startConnectorWorld({
      platform: 'woocommerce',
      skus: ['WOO-SINGLE-1', 'Bar3', 'UNMAPPED-1'],
      outbound: { url: 'http://127.0.0.1:9/unused', secret: OUTBOUND_SECRET },
    });
    await must(world.server.request, 'POST', `/v1/channels/${world.channelId}/catalog-mappings`, {
      mappings: [
        { product_id: '93', sku: 'WOO-SINGLE-1' },
        { product_id: '22', variant_id: '23', sku: 'Bar3' },
      ],
    });
    await translateOutbound(world.database.db); // past the set-up's events
  });
  afterAll(async () => world?.close());

  const outbound = async () =>
    (
      (await must(world.server.request, 'GET', '/v1/events?type=connector.outbound&limit=200')).data as {
        data: { kind: string; path: string; body_json: string };
      }[]
    ).map((e) => ({ path: e.data.path, body: JSON.parse(e.data.body_json) }));

  it('names the product and the variation by id, each once with its latest level, and an unmapped SKU by SKU', async () => {
    const before = (await outbound()).length;
    for (const onHand of [40, 30, 20]) {
      await must(world.server.request, 'PUT', `/v1/inventory/${world.net.storeA}/Bar3`, { on_hand: onHand });
    }
    await must(world.server.request, 'PUT', `/v1/inventory/${world.net.storeA}/WOO-SINGLE-1`, { on_hand: 5 });
    await must(world.server.request, 'PUT', `/v1/inventory/${world.net.storeA}/UNMAPPED-1`, { on_hand: 1 });
    await translateOutbound(world.database.db);
    const added = (await outbound()).slice(before).sort((a, b) => a.path.localeCompare(b.path));
    expect(added).toEqual([
      {
        path: '/wp-json/wc/v3/products/22/variations/batch',
        body: { update: [{ id: 23, manage_stock: true, stock_quantity: 20 + 50 }] },
      },
      {
        path: '/wp-json/wc/v3/products/batch',
        body: {
          update: expect.arrayContaining([
            { id: 93, manage_stock: true, stock_quantity: 5 + 50 },
            { sku: 'UNMAPPED-1', manage_stock: true, stock_quantity: 1 + 50 },
          ]),
        },
      },
    ]);
    expect(added[1]!.body.update).toHaveLength(2);
  });
});
