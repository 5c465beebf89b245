import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { must } from '../support/client.ts';
import { connectorFixture, startConnectorWorld, type ConnectorWorld } from '../support/connectors.ts';

/**
 * Platform orders whose lines carry no SKU (most live Shopify and WooCommerce orders send
 * `"sku": ""`) are placed through the channel's catalog mapping from the platform's own item
 * identity; without a mapping they wait for review and are placed once the mapping exists.
 */
describe('catalog mapping by platform identity: Shopify', () => {
  let world: ConnectorWorld;
  const noSku = connectorFixture('shopify/orders-create-no-sku.json');
  const mappings = (query = '') =>
    world.server.request('GET', `/v1/channels/${world.channelId}/catalog-mappings${query}`);

  beforeAll(async () => {
    world = await startConnectorWorld({ platform: 'shopify', skus: ['IPOD2008PINK', 'IPOD2008GREEN', 'IPOD-BLUE'] });
  });
  afterAll(async () => world?.close());

  it('holds an order whose line has no SKU and no mapping, naming the platform ids, even under on_mismatch = reject', async () => {
    const held = await world.post(noSku);
    expect(held.status, JSON.stringify(held.body)).toBe(202);
    expect(held.body.result).toBe('held_for_review');
    expect(held.body.problem.code).toBe('unmapped_item');
    expect(held.body.problem.detail).toContain('variant_id 808950810');
    expect(held.body.problem.detail).toContain('product_id 632910392');
    expect(held.body.problem.errors.map((e: { pointer: string }) => e.pointer)).toEqual([
      '/line_items/0/sku',
      '/line_items/1/sku',
    ]);
    const orders = await must(world.server.request, 'GET', `/v1/orders?channel_id=${world.channelId}`);
    expect(orders.data).toHaveLength(0);
  });

  it('creating the mappings places the held order, with the mapped SKUs', async () => {
    const upsert = await world.server.request('POST', `/v1/channels/${world.channelId}/catalog-mappings`, {
      body: {
        mappings: [
          { product_id: '632910392', variant_id: '808950810', sku: 'IPOD2008PINK', inventory_item_id: '49148385' },
          { product_id: '632910392', variant_id: '808950811', sku: 'IPOD2008GREEN' },
        ],
      },
    });
    expect(upsert.status, JSON.stringify(upsert.body)).toBe(200);
    expect(upsert.body.upserted).toBe(2);
    expect(upsert.body.released).toHaveLength(1);
    const reviews = await must(world.server.request, 'GET', '/v1/connectors/reviews?status=placed');
    const review = reviews.data.find((r: { external_id: string }) => r.external_id === '8214298463751234568');
    expect(review?.order_id).toBeTruthy();
    const order = await must(world.server.request, 'GET', `/v1/orders/${review.order_id}`);
    expect(order.lines.map((l: { line_id: string; sku: string }) => [l.line_id, l.sku])).toEqual([
      ['866550311766439020', 'IPOD2008PINK'],
      ['141249953214522974', 'IPOD2008GREEN'],
    ]);
    expect(upsert.body.released[0]).toMatchObject({ review_id: review.id, order_id: review.order_id });
  });

  it('places a new order with "sku": "" through the mapping at once', async () => {
    const next = noSku.replace('"id": 8214298463751234568', '"id": 8214298463751234569');
    const placed = await world.post(next);
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(placed.body.order.lines.map((l: { sku: string }) => l.sku)).toEqual(['IPOD2008PINK', 'IPOD2008GREEN']);
  });

  it('a mapping wins over a platform SKU that differs from the Consign SKU', async () => {
    const differing = noSku
      .replace('"id": 8214298463751234568', '"id": 8214298463751234570')
      .replace('"sku": ""', '"sku": "SHOPIFY-PINK-OLD"');
    const placed = await world.post(differing);
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(placed.body.order.lines[0].sku).toBe('IPOD2008PINK');
  });

  it('records a mapping on first sight when the platform SKU is a Consign SKU', async () => {
    const blue = connectorFixture('shopify/orders-create.json')
      .replace('"id": 8214298463751234567', '"id": 8214298463751234571')
      .replace('"variant_id": 808950811', '"variant_id": 808950899')
      .replace('"sku": "IPOD2008GREEN"', '"sku": "IPOD-BLUE"');
    expect((await world.post(blue)).status).toBe(201);
    const list = await must(
      world.server.request,
      'GET',
      `/v1/channels/${world.channelId}/catalog-mappings?sku=IPOD-BLUE`,
    );
    expect(list.data).toEqual([
      expect.objectContaining({ product_id: '632910392', variant_id: '808950899', sku: 'IPOD-BLUE', source: 'auto' }),
    ]);
    // The line with a mapping keeps it: the API mapping of variant 808950810 is not replaced.
    const pink = await must(
      world.server.request,
      'GET',
      `/v1/channels/${world.channelId}/catalog-mappings?sku=IPOD2008PINK`,
    );
    expect(pink.data.map((m: { source: string }) => m.source)).toEqual(['api']);
  });

  it('an order refused with 400 records no mapping of its items, and the same items are recorded once it is placed', async () => {
    const blue = connectorFixture('shopify/orders-create.json')
      .replace('"id": 8214298463751234567', '"id": 8214298463751234572')
      .replace('"variant_id": 808950811', '"variant_id": 808950898')
      .replace('"sku": "IPOD2008GREEN"', '"sku": "IPOD-BLUE"');
    const refused = await world.post(blue.replace('"email": "jon@doe.ca"', '"email": "not an address"'));
    expect(refused.status, JSON.stringify(refused.body)).toBe(400);
    expect(refused.body.code).toBe('validation_failed');
    expect((await mappings('?product_id=632910392')).body.data).not.toContainEqual(
      expect.objectContaining({ variant_id: '808950898' }),
    );
    expect((await world.post(blue)).status).toBe(201);
    expect((await mappings('?product_id=632910392')).body.data).toContainEqual(
      expect.objectContaining({ variant_id: '808950898', sku: 'IPOD-BLUE', source: 'auto' }),
    );
  });

  it('refuses mappings to unknown SKUs, row by row, and writes none of them', async () => {
    const refused = await world.server.request('POST', `/v1/channels/${world.channelId}/catalog-mappings`, {
      body: {
        mappings: [
          { product_id: '1', sku: 'IPOD2008PINK' },
          { product_id: '2', sku: 'NOT-A-SKU' },
        ],
      },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('unknown_sku');
    expect(refused.body.errors).toEqual([expect.objectContaining({ pointer: '/mappings/1/sku' })]);
    const list = await must(
      world.server.request,
      'GET',
      `/v1/channels/${world.channelId}/catalog-mappings?product_id=1`,
    );
    expect(list.data).toHaveLength(0);
  });

  it('takes a CSV upload, lists page by page, and deletes', async () => {
    const csv = 'product_id,variant_id,sku\n900,901,IPOD-BLUE\n900,902,IPOD-BLUE\n"900","903","IPOD-BLUE"\n';
    const upsert = await world.server.request('POST', `/v1/channels/${world.channelId}/catalog-mappings`, {
      rawBody: csv,
      headers: { 'content-type': 'text/csv' },
    });
    expect(upsert.status, JSON.stringify(upsert.body)).toBe(200);
    expect(upsert.body.upserted).toBe(3);
    const first = (await mappings('?product_id=900&limit=2')).body;
    expect(first.data.map((m: { variant_id: string }) => m.variant_id)).toEqual(['901', '902']);
    const second = (await mappings(`?product_id=900&limit=2&cursor=${first.next_cursor}`)).body;
    expect(second.data.map((m: { variant_id: string }) => m.variant_id)).toEqual(['903']);
    expect(second.next_cursor).toBeNull();
    const gone = await world.server.request(
      'DELETE',
      `/v1/channels/${world.channelId}/catalog-mappings/900?variant_id=902`,
    );
    expect(gone.status).toBe(204);
    const after = (await mappings('?product_id=900')).body;
    expect(after.data.map((m: { variant_id: string }) => m.variant_id)).toEqual(['901', '903']);
    const again = await world.server.request(
      'DELETE',
      `/v1/channels/${world.channelId}/catalog-mappings/900?variant_id=902`,
    );
    expect(again.status).toBe(404);
  });

  it('a held order that its new mapping does not fix stays held, with the reason it is still refused', async () => {
    await must(world.server.request, 'POST', '/v1/products', { sku: 'RETIRED-1', name: 'Retired product' });
    await must(world.server.request, 'PATCH', '/v1/products/RETIRED-1', { active: false });
    const raw = noSku
      .replace('"id": 8214298463751234568', '"id": 8214298463751234580')
      .replaceAll('"variant_id": 80895081', '"variant_id": 60895081');
    const held = await world.post(raw);
    expect(held.status, JSON.stringify(held.body)).toBe(202);
    const upsert = await must(world.server.request, 'POST', `/v1/channels/${world.channelId}/catalog-mappings`, {
      mappings: [
        { product_id: '632910392', variant_id: '608950810', sku: 'RETIRED-1' },
        { product_id: '632910392', variant_id: '608950811', sku: 'IPOD2008GREEN' },
      ],
    });
    expect(upsert.released).toEqual([]);
    const reviews = await must(world.server.request, 'GET', '/v1/connectors/reviews?status=held');
    const review = reviews.data.find((r: { id: string }) => r.id === held.body.review_id);
    expect(review.problem.code).not.toBe('unmapped_item');
    expect(review.problem.detail).toContain('RETIRED-1');
  });

  it('refuses a CSV without the sku column, saying which columns it needs', async () => {
    const refused = await world.server.request('POST', `/v1/channels/${world.channelId}/catalog-mappings`, {
      rawBody: 'product_id,variant_id\n1,2\n',
      headers: { 'content-type': 'text/csv' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('validation_failed');
    expect(refused.body.detail).toContain('sku');
  });
});

describe('catalog mapping by platform identity: WooCommerce', () => {
  let world: ConnectorWorld;

  beforeAll(async () => {
    world = await startConnectorWorld({ platform: 'woocommerce', skus: ['WOO-SINGLE-1', 'Bar3'] });
  });
  afterAll(async () => world?.close());

  it('places an order with "sku": "" through product_id (simple) and variation_id (variable) mappings', async () => {
    await must(world.server.request, 'POST', `/v1/channels/${world.channelId}/catalog-mappings`, {
      mappings: [
        { product_id: '93', sku: 'WOO-SINGLE-1' },
        { product_id: '22', variant_id: '23', sku: 'Bar3' },
      ],
    });
    const placed = await world.post(connectorFixture('woocommerce/order-no-sku.json'));
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(placed.body.order.lines.map((l: { line_id: string; sku: string }) => [l.line_id, l.sku])).toEqual([
      ['315', 'WOO-SINGLE-1'],
      ['316', 'Bar3'],
    ]);
  });
});
