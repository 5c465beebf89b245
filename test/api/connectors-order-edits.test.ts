import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboundPerformers, translateOutbound } from '../../src/connectors/index.ts';
import { createOutboxFollower, gapGraceMsFor } from '../../src/streaming/index.ts';
import { createWebhookDispatcher, type WebhookDispatcher } from '../../src/webhooks/index.ts';
import { testEngine } from '../support/db.ts';
import { must } from '../support/client.ts';
import { orderBody } from '../support/orders.ts';
import { connectorFixture, startConnectorWorld, type ConnectorWorld } from '../support/connectors.ts';
import { ShopifyGraphqlPeer } from '../support/shopify-graphql-peer.ts';
import { WooCommerceRestPeer } from '../support/woocommerce-rest-peer.ts';

const OUTBOUND_SECRET = `whsec_${Buffer.from('consign-edits-outbound-secret!!!').toString('base64')}`;
const SHOPIFY_ORDER = '8214298463751234567';
const GREEN = '141249953214522974';
const PINK = '866550311766439020';

interface Edits {
  world: ConnectorWorld;
  dispatcher: WebhookDispatcher;
}

/** Translates until the follower has read every event (a batch stops where events are not settled yet). */
async function translateAll(world: ConnectorWorld) {
  // A gap (a rolled-back preview's event IDs) waits out its grace: this clock moves 10 s per look.
  let clock = Date.now();
  const follower = createOutboxFollower('connectors', {
    gapGraceMs: gapGraceMsFor(testEngine()),
    now: () => (clock += 10_000),
  });
  for (let i = 0; i < 10; i++) if ((await translateOutbound(world.database.db, follower)).events === 0) return;
}

/** The connector worker, then one dispatcher tick: what a confirmed change sends to the platform. */
async function deliver({ world, dispatcher }: Edits) {
  await translateAll(world);
  await dispatcher.tick();
}

/** A dispatcher with the connectors' performers that retries a failed delivery at the next tick. */
const dispatcherOf = (world: ConnectorWorld) =>
  createWebhookDispatcher(world.database.db, {
    performers: outboundPerformers,
    gapGraceMs: 0,
    retryScheduleMs: [0],
    timeoutMs: 5_000,
  });

async function confirmChange(world: ConnectorWorld, orderId: string, reason: string, actions: unknown[]) {
  const change = await must(world.server.request, 'POST', `/v1/orders/${orderId}/changes`, { reason, actions });
  await must(world.server.request, 'POST', `/v1/orders/${orderId}/changes/${change.id}/confirm`, {});
  return change.id as string;
}

const notPushed = async (world: ConnectorWorld) =>
  (await must(world.server.request, 'GET', '/v1/events?type=connector.edit_not_pushed&limit=50')).data as {
    subject_id: string;
    data: Record<string, any>;
  }[];

const lastError = async (world: ConnectorWorld) =>
  (await must(world.server.request, 'GET', `/v1/channels/${world.channelId}/connector/health`)).last_error;

describe('changes to Shopify orders', () => {
  let edits: Edits;
  let shopify: ShopifyGraphqlPeer;

  /** Places the Shopify fixture under another order ID, known to the Shopify peer too. */
  const placeShopifyOrder = async (externalId: string) => {
    const raw = connectorFixture('shopify/orders-create.json').replaceAll(SHOPIFY_ORDER, externalId);
    const placed = await edits.world.post(raw);
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    shopify.addOrder(externalId, [
      { id: PINK, quantity: 1, title: 'IPod Nano - 8GB', variant_id: '808950810' },
      { id: GREEN, quantity: 2, title: 'IPod Nano - 8GB', variant_id: '808950811' },
    ]);
    return placed.body.order.id as string;
  };

  beforeAll(async () => {
    shopify = new ShopifyGraphqlPeer(OUTBOUND_SECRET);
    await shopify.peer.start();
    const world = await startConnectorWorld({
      platform: 'shopify',
      skus: ['IPOD2008PINK', 'IPOD2008GREEN', 'IPOD2008BLUE', 'IPOD2008RED'],
      outbound: { url: shopify.peer.url, secret: OUTBOUND_SECRET },
    });
    await must(world.server.request, 'POST', `/v1/channels/${world.channelId}/catalog-mappings`, {
      mappings: [{ product_id: '632910392', variant_id: '808950812', sku: 'IPOD2008BLUE' }],
    });
    edits = { world, dispatcher: dispatcherOf(world) };
    await deliver(edits); // past the set-up's events
  });
  afterAll(async () => {
    await edits?.world.close();
    await shopify?.peer.stop();
  });

  it('edits the order on Shopify: quantities, a mapped variant, a custom item, then the new address', async () => {
    const orderId = await placeShopifyOrder(SHOPIFY_ORDER);
    const from = shopify.calls.length;
    const changeId = await confirmChange(edits.world, orderId, 'customer wants one green', [
      { type: 'change_quantity', line_id: GREEN, quantity: 1 },
      { type: 'add_line', sku: 'IPOD2008BLUE', quantity: 1, unit_price: { amount: 5000, currency: 'USD' } },
      {
        type: 'add_line',
        sku: 'IPOD2008RED',
        name: 'Gift wrap',
        quantity: 2,
        unit_price: { amount: 1250, currency: 'USD' },
      },
      { type: 'change_price', line_id: PINK, unit_price: { amount: 15000, currency: 'USD' }, reason: 'price match' },
      {
        type: 'change_shipping_address',
        shipping_address: {
          name: 'Steve Shipper',
          line1: '1 New Street',
          city: 'Louisville',
          region: 'KY',
          postal_code: '40202',
          country: 'US',
        },
      },
    ]);
    await deliver(edits);

    const calculated = shopify.calls[from]?.name === 'orderEditBegin' ? 'gid://shopify/CalculatedOrder/9000000001' : '';
    expect(shopify.calls.slice(from)).toEqual([
      { name: 'orderEditBegin', variables: { id: `gid://shopify/Order/${SHOPIFY_ORDER}` } },
      {
        name: 'orderEditSetQuantity',
        variables: {
          id: calculated,
          lineItemId: `gid://shopify/CalculatedLineItem/${GREEN}`,
          quantity: 1,
          restock: true,
        },
      },
      {
        name: 'orderEditAddVariant',
        variables: { id: calculated, variantId: 'gid://shopify/ProductVariant/808950812', quantity: 1 },
      },
      {
        name: 'orderEditAddCustomItem',
        variables: { id: calculated, title: 'Gift wrap', price: { amount: '12.50', currencyCode: 'USD' }, quantity: 2 },
      },
      {
        name: 'orderEditCommit',
        variables: {
          id: calculated,
          notifyCustomer: false,
          staffNote: `customer wants one green (Consign change ${changeId})`,
        },
      },
      {
        name: 'orderUpdate',
        variables: {
          input: {
            id: `gid://shopify/Order/${SHOPIFY_ORDER}`,
            shippingAddress: {
              firstName: 'Steve',
              lastName: 'Shipper',
              address1: '1 New Street',
              city: 'Louisville',
              provinceCode: 'KY',
              zip: '40202',
              countryCode: 'US',
            },
          },
        },
      },
    ]);
    const onShopify = shopify.orders.get(`gid://shopify/Order/${SHOPIFY_ORDER}`)!;
    expect(onShopify.items.map((i) => [i.title, i.quantity, i.variantId])).toEqual([
      ['IPod Nano - 8GB', 1, 'gid://shopify/ProductVariant/808950810'],
      ['IPod Nano - 8GB', 1, 'gid://shopify/ProductVariant/808950811'],
      ['variant', 1, 'gid://shopify/ProductVariant/808950812'],
      ['Gift wrap', 2, null],
    ]);
    // The price change is the one action Shopify's order edit cannot say: recorded, with why.
    const recorded = (await notPushed(edits.world)).filter((e) => e.data.change_id === changeId);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]!.data).toMatchObject({
      platform: 'shopify',
      order_id: orderId,
      external_id: SHOPIFY_ORDER,
      actions: [{ action: 'change_price', line_id: PINK }],
    });
    expect(recorded[0]!.data.actions[0].reason).toContain('cannot reprice an existing line');
    expect(await lastError(edits.world)).toBeNull();
    expect(shopify.peer.refused).toEqual([]);
  });

  it('fails the delivery with Shopify’s userErrors message, and the retry makes the edit', async () => {
    const external = '8214298463751230001';
    const orderId = await placeShopifyOrder(external);
    const from = shopify.calls.length;
    shopify.userErrorsNext.set('orderEditSetQuantity', [
      { field: ['quantity'], message: 'The quantity cannot be lower than the fulfilled quantity' },
    ]);
    await confirmChange(edits.world, orderId, 'one green less', [
      { type: 'change_quantity', line_id: GREEN, quantity: 1 },
    ]);
    await deliver(edits);
    expect(shopify.calls.slice(from).map((c) => c.name)).toEqual(['orderEditBegin', 'orderEditSetQuantity']);
    expect(await lastError(edits.world)).toMatchObject({
      source: 'outbound',
      code: 'delivery_failed',
      detail: '200: Shopify orderEditSetQuantity: quantity: The quantity cannot be lower than the fulfilled quantity',
    });
    expect(shopify.orders.get(`gid://shopify/Order/${external}`)!.items[1]!.quantity).toBe(2);

    await edits.dispatcher.tick(); // the retry
    expect(shopify.calls.slice(from).map((c) => c.name)).toEqual([
      'orderEditBegin',
      'orderEditSetQuantity',
      'orderEditBegin',
      'orderEditSetQuantity',
      'orderEditCommit',
    ]);
    expect(shopify.orders.get(`gid://shopify/Order/${external}`)!.items[1]!.quantity).toBe(1);
  });

  it('does not make the edit twice when the commit’s answer was lost', async () => {
    const external = '8214298463751230002';
    const orderId = await placeShopifyOrder(external);
    const from = shopify.calls.length;
    shopify.loseAnswerOf = 'orderEditCommit';
    await confirmChange(edits.world, orderId, 'swap a green for a blue', [
      { type: 'change_quantity', line_id: GREEN, quantity: 1 },
      { type: 'add_line', sku: 'IPOD2008BLUE', quantity: 1, unit_price: { amount: 5000, currency: 'USD' } },
    ]);
    await deliver(edits);
    expect((await lastError(edits.world)).detail).toContain('Shopify orderEditCommit: HTTP 502');
    await edits.dispatcher.tick(); // the retry finds the edit made
    await edits.dispatcher.tick(); // and nothing is left to retry
    expect(shopify.calls.slice(from).map((c) => c.name)).toEqual([
      'orderEditBegin',
      'orderEditSetQuantity',
      'orderEditAddVariant',
      'orderEditCommit',
      'orderEditBegin',
    ]);
    const items = shopify.orders.get(`gid://shopify/Order/${external}`)!.items;
    expect(items.map((i) => [i.quantity, i.variantId])).toEqual([
      [1, 'gid://shopify/ProductVariant/808950810'],
      [1, 'gid://shopify/ProductVariant/808950811'],
      [1, 'gid://shopify/ProductVariant/808950812'],
    ]);
  });

  it('sends nothing for a change to an order that did not come from the platform', async () => {
    const before = { calls: shopify.calls.length, notPushed: (await notPushed(edits.world)).length };
    const order = await must(
      edits.world.server.request,
      'POST',
      '/v1/orders',
      orderBody('MANUAL-EDIT-1', [{ sku: 'IPOD2008PINK', quantity: 2 }], { channel: edits.world.channelId }),
    );
    await confirmChange(edits.world, order.id, 'one fewer', [{ type: 'change_quantity', line_id: 'L1', quantity: 1 }]);
    await deliver(edits);
    expect(shopify.calls).toHaveLength(before.calls);
    expect(await notPushed(edits.world)).toHaveLength(before.notPushed);
  });
});

describe('changes to WooCommerce orders', () => {
  let edits: Edits;
  let woo: WooCommerceRestPeer;

  beforeAll(async () => {
    woo = new WooCommerceRestPeer(OUTBOUND_SECRET);
    await woo.peer.start();
    const world = await startConnectorWorld({
      platform: 'woocommerce',
      skus: ['WOO-SINGLE-1', 'Bar3', 'WOO-HOODIE'],
      outbound: { url: woo.peer.url, secret: OUTBOUND_SECRET },
    });
    await must(world.server.request, 'POST', `/v1/channels/${world.channelId}/catalog-mappings`, {
      mappings: [{ product_id: '40', variant_id: '41', sku: 'WOO-HOODIE' }],
    });
    edits = { world, dispatcher: dispatcherOf(world) };
    await deliver(edits);
  });
  afterAll(async () => {
    await edits?.world.close();
    await woo?.peer.stop();
  });

  it('reads the order, then PUTs the quantities, the new item and the address once', async () => {
    const raw = connectorFixture('woocommerce/order.json');
    const placed = await edits.world.post(raw);
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    woo.addOrder(raw);
    const orderId = placed.body.order.id as string;
    await confirmChange(edits.world, orderId, 'one single, no hoodie shirt, a hoodie', [
      { type: 'change_quantity', line_id: '315', quantity: 1 },
      { type: 'remove_line', line_id: '316' },
      {
        type: 'add_line',
        sku: 'WOO-HOODIE',
        quantity: 1,
        unit_price: { amount: 500, currency: 'USD' },
        discount: { amount: 50, currency: 'USD' },
      },
      {
        type: 'change_shipping_address',
        shipping_address: {
          name: 'John Doe',
          line1: '1 Mission St',
          city: 'San Francisco',
          region: 'CA',
          postal_code: '94105',
          country: 'US',
        },
      },
    ]);
    await deliver(edits);
    const shipping = {
      first_name: 'John',
      last_name: 'Doe',
      address_1: '1 Mission St',
      address_2: '',
      city: 'San Francisco',
      state: 'CA',
      postcode: '94105',
      country: 'US',
    };
    expect(woo.requests).toEqual([
      { method: 'GET', path: '/wp-json/wc/v3/orders/727', body: null },
      {
        method: 'PUT',
        path: '/wp-json/wc/v3/orders/727',
        body: {
          line_items: [
            { id: 315, quantity: 1 },
            { id: 316, quantity: 0 },
            { product_id: 40, variation_id: 41, quantity: 1, subtotal: '4.50', total: '4.50' },
          ],
          shipping,
        },
      },
    ]);
    const order = woo.orders.get('727')!;
    expect(order.line_items.map((li) => [li.id, li.product_id, li.variation_id, li.quantity])).toEqual([
      [315, 93, 0, 1],
      [900, 40, 41, 1],
    ]);
    expect(order.shipping).toEqual(shipping);

    // The edit delivered again (a replay): the order already is as wanted, so it is read and left alone.
    const connector = await must(edits.world.server.request, 'GET', `/v1/channels/${edits.world.channelId}/connector`);
    const events = (await must(edits.world.server.request, 'GET', '/v1/events?type=connector.outbound&limit=200'))
      .data as { id: string; data: { kind: string } }[];
    const edit = events.find((e) => e.data.kind === 'order_edit')!;
    await must(
      edits.world.server.request,
      'POST',
      `/v1/webhook-subscriptions/${connector.outbound.subscription_id}/replay`,
      {
        event_ids: [String(edit.id).replace(/^evt_/, '')],
      },
    );
    await edits.dispatcher.tick();
    expect(woo.requests.map((r) => r.method)).toEqual(['GET', 'PUT', 'GET']);
    expect(woo.orders.get('727')!.line_items).toHaveLength(2);
    expect(await lastError(edits.world)).toBeNull();
    expect(woo.peer.refused).toEqual([]);
  });

  it('fails the delivery with WooCommerce’s error when the order no longer has the line', async () => {
    const raw = connectorFixture('woocommerce/order.json').replace('"id": 727,', '"id": 728,');
    const placed = await edits.world.post(raw);
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    woo.addOrder(raw);
    woo.orders.get('728')!.line_items.splice(0, 1); // line 315 was removed on the store meanwhile
    const from = woo.requests.length;
    await confirmChange(edits.world, placed.body.order.id, 'one single', [
      { type: 'change_quantity', line_id: '315', quantity: 1 },
    ]);
    await deliver(edits);
    expect(woo.requests.slice(from)).toEqual([
      { method: 'GET', path: '/wp-json/wc/v3/orders/728', body: null },
      { method: 'PUT', path: '/wp-json/wc/v3/orders/728', body: { line_items: [{ id: 315, quantity: 1 }] } },
    ]);
    expect(await lastError(edits.world)).toMatchObject({
      source: 'outbound',
      code: 'delivery_failed',
      detail:
        '400: WooCommerce PUT /wp-json/wc/v3/orders/728: HTTP 400 woocommerce_rest_invalid_item_id: Order item ID provided is not associated with order.',
    });
  });
});

describe('changes to orders of a platform without order edits', () => {
  let world: ConnectorWorld;

  beforeAll(async () => {
    world = await startConnectorWorld({
      platform: 'bigcommerce',
      skus: ['S-ORAN', 'ABS'],
      outbound: { url: 'http://127.0.0.1:9/unused', secret: OUTBOUND_SECRET },
    });
    await translateAll(world);
  });
  afterAll(async () => world?.close());

  it('records a confirmed change to a BigCommerce order as not pushed, with the reason, once', async () => {
    const placed = await world.post(connectorFixture('bigcommerce/order.json'));
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    const order = placed.body.order;
    const line = order.lines.at(-1).line_id as string;
    const changeId = await confirmChange(world, order.id, 'customer dropped a line', [
      { type: 'remove_line', line_id: line },
    ]);
    await translateAll(world);
    await translateAll(world); // nothing new: recorded once
    const recorded = await notPushed(world);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]!.data).toMatchObject({
      channel_id: world.channelId,
      platform: 'bigcommerce',
      order_id: order.id,
      external_id: order.external_id,
      change_id: changeId,
      actions: [{ action: 'remove_line', reason: 'bigcommerce has no order edit' }],
    });
    expect(recorded[0]!.data.reason).toContain('make the same change on the platform');
    const messages = (await must(world.server.request, 'GET', '/v1/events?type=connector.outbound&limit=200')).data;
    expect(messages.filter((m: any) => m.data.kind === 'order_edit')).toEqual([]);
  });
});
