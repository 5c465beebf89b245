import { createApiKey } from '../../src/auth/index.ts';
import type { Role } from '../../src/auth/index.ts';
import { must, type Requester } from '../support/client.ts';
import type { TestDatabase } from '../support/db.ts';
import { orderBody } from '../support/orders.ts';
import { subscriptionBody } from '../support/subscriptions.ts';
import { TEST_ADMIN_KEY, type TestServer } from '../support/server.ts';
import { ship } from './payments-support.ts';

/** Whose records a request names: the key's own channel or location, or the other one's. */
export type Side = 'own' | 'other';
export const sides: readonly Side[] = ['own', 'other'];

/**
 * One channel with one location and what it owns. The `own` side is the web channel selling
 * from store L1, where the fulfillment key works; the `other` side is the marketplace channel
 * selling from warehouse L2.
 */
export interface SideWorld {
  channelId: string;
  channelCode: string;
  locationId: string;
  groupId: string;
  /** A cart hold of this channel, held at its location. */
  holdId: string;
  /** An order whose fulfillment order at this location waits to be accepted. */
  working: { id: string; foId: string };
  /** An order for customer service (holds, releases, cancels), by the customer of both channels. */
  managed: { id: string };
  /** A shipped and delivered order (10 units of line L1): returns, refunds, reships, invoices. */
  delivered: { id: string; externalId: string; email: string; shipmentId: string; invoiceId: string };
  /** An initiated (not yet authorized) return of one unit of `delivered`, to be received at this side's location. */
  returnId: string;
  subscriptionId: string;
  feedId: string;
  /** An open supply expected at this side's location. */
  supplyId: string;
}

export interface World {
  sku: string;
  /** Webhook subscription (admin's, not owned by a channel). */
  webhookId: string;
  /** The routing rules in force, and a draft version of them. */
  routingRules: unknown;
  routingDraft: number;
  /** API keys by role: the channel key acts for `own`'s channel, the fulfillment key works at `own`'s location. */
  keys: Record<Role, string>;
  own: SideWorld;
  other: SideWorld;
}

const SKU = 'AUTHZ-1';
/** A customer with an order in each channel. */
export const SHARED_EMAIL = 'both-channels@example.com';

async function location(request: Requester, code: string, lat: number, lon: number) {
  return must(request, 'POST', '/v1/locations', {
    code,
    type: 'warehouse',
    name: `Location ${code}`,
    address: { line1: '1 Dock Rd', city: 'Newark', country: 'US' },
    latitude: lat,
    longitude: lon,
    timezone: 'America/New_York',
    capabilities: ['ship', 'pickup', 'curbside', 'returns'],
  });
}

async function deliveredOrder(request: Requester, channel: string, externalId: string) {
  const body = orderBody(externalId, [{ sku: SKU, quantity: 10 }], { channel });
  const order = await must(request, 'POST', '/v1/orders', body);
  const shipped = await ship({ request } as TestServer, order.fulfillment_orders[0].id);
  await must(request, 'POST', `/v1/shipments/${shipped.shipment_id}/tracking-events`, {
    events: [{ status: 'delivered', occurred_at: new Date().toISOString() }],
  });
  const invoices = await must(request, 'GET', `/v1/orders/${order.id}/invoices`);
  return {
    id: order.id as string,
    externalId,
    email: body.customer.email,
    shipmentId: shipped.shipment_id,
    invoiceId: invoices.data[0].id as string,
  };
}

async function buildSide(request: Requester, side: Side): Promise<SideWorld> {
  const [code, lat, lon] = side === 'own' ? ['web', 40.75, -73.99] : ['marketplace', 40.73, -74.17];
  const loc = await location(request, `L-${code}`, lat, lon);
  const group = await must(request, 'POST', '/v1/location-groups', {
    code: `G-${code}`,
    name: `Group ${code}`,
    location_ids: [loc.id],
  });
  const channel = await must(request, 'POST', '/v1/channels', {
    code,
    name: code,
    type: code,
    location_group_id: group.id,
  });
  await must(request, 'PUT', `/v1/inventory/${loc.id}/${SKU}`, { on_hand: 100_000 });
  const hold = await must(request, 'POST', '/v1/reservations', {
    channel: code,
    lines: [{ sku: SKU, quantity: 1, location_id: loc.id }],
    expires_in_seconds: 3600,
  });
  const order = (id: string, over: Record<string, unknown> = {}) =>
    must(request, 'POST', '/v1/orders', orderBody(id, [{ sku: SKU, quantity: 1 }], { channel: code, ...over }));
  const working = await order(`${code}-working`);
  // The same customer buys from both channels.
  const managed = await order(`${code}-managed`, { customer: { email: SHARED_EMAIL, name: 'Sam Both' } });
  const delivered = await deliveredOrder(request, code, `${code}-delivered`);
  // Returns wait for an agent's authorization.
  await must(request, 'PUT', `/v1/channels/${channel.id}/return-policy`, {
    window_days: 30,
    auto_authorize: false,
    shipping_refund: 'never',
    restocking_fee_bps: 0,
  });
  const ret = await must(request, 'POST', '/v1/returns', {
    order_id: delivered.id,
    method: 'mail_in',
    location_id: loc.id,
    lines: [{ line_id: 'L1', quantity: 1, reason: 'size_fit' }],
  });
  const subscription = await must(request, 'POST', '/v1/subscriptions', {
    ...subscriptionBody({
      channel: code,
      lines: [{ sku: SKU, quantity: 1, unit_price: { amount: 1250, currency: 'USD' } }],
    }),
  });
  const feedId = `feed-${code}`;
  await must(request, 'POST', '/v1/inventory/feeds', {
    feed_id: feedId,
    mode: 'delta',
    as_of: new Date().toISOString(),
    rows: [{ location_id: loc.id, sku: SKU, quantity: 1 }],
  });
  const supply = await must(request, 'POST', '/v1/supplies', {
    kind: 'purchase_order',
    reference: `PO-${code}`,
    location_id: loc.id,
    expected_on: new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10),
    lines: [{ sku: SKU, quantity: 5 }],
  });
  return {
    channelId: channel.id,
    channelCode: code,
    locationId: loc.id,
    groupId: group.id,
    holdId: hold.id,
    working: { id: working.id, foId: working.fulfillment_orders[0].id },
    managed: { id: managed.id },
    delivered,
    returnId: ret.id,
    subscriptionId: subscription.id,
    feedId,
    supplyId: supply.id,
  };
}

/** Builds the two channels, their locations and records, and a key of every role, through the API. */
export async function buildWorld(server: TestServer, database: TestDatabase): Promise<World> {
  const request = server.request;
  await must(request, 'POST', '/v1/products', { sku: SKU, name: 'Authorization probe' });
  const own = await buildSide(request, 'own');
  const other = await buildSide(request, 'other');
  const webhook = await must(request, 'POST', '/v1/webhook-subscriptions', {
    url: 'http://127.0.0.1:9/hooks',
    event_types: ['order.*'],
  });
  const routingRules = (await must(request, 'GET', '/v1/routing/rules')).active.rules;
  const draft = await must(request, 'PUT', '/v1/routing/rules', { rules: routingRules, notes: 'draft' });
  const key = async (role: Role, scope: { channelId?: string; locationIds?: string[] } = {}) =>
    (await createApiKey(database.db, { role, ...scope })).secret;
  return {
    sku: SKU,
    webhookId: webhook.id,
    routingRules,
    routingDraft: draft.version,
    keys: {
      admin: TEST_ADMIN_KEY,
      agent: await key('agent'),
      fulfillment: await key('fulfillment', { locationIds: [own.locationId] }),
      channel: await key('channel', { channelId: own.channelId }),
      'read-only': await key('read-only'),
    },
    own,
    other,
  };
}
