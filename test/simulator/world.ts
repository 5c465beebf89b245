import { must, type Requester } from '../support/client.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- the routing rules are passed on as the API gives them */
import type { Location, Model, Product } from './model.ts';

/**
 * The network every sequence of one run shares: a DC that ships, two stores that ship, take
 * pickups and returns, all in the web channel's group, and a store outside it; beside the web
 * channel, a channel in shadow mode (ADR 0048) on the same group. Each sequence brings products
 * of its own, so sequences never touch each other's stock or orders.
 */
export interface World {
  channelId: string;
  /** A channel in shadow mode: its orders are decided only, never reserved or written as orders. */
  shadowChannelId: string;
  /** The default routing rules as `GET /v1/routing/rules` gives them: the base of a simulation's draft. */
  defaultRules: Record<string, any>;
  locations: Location[];
  dc: string;
  storeA: string;
  storeB: string;
  outside: string;
}

const spots = {
  DC: { type: 'distribution_center', lat: 40.52, lon: -74.41, capabilities: ['ship'] },
  A: { type: 'store', lat: 40.76, lon: -73.99, capabilities: ['ship', 'pickup', 'returns'] },
  B: { type: 'store', lat: 40.68, lon: -73.94, capabilities: ['ship', 'pickup', 'returns'] },
  OUT: { type: 'store', lat: 40.73, lon: -74.17, capabilities: ['ship', 'pickup', 'returns'] },
} as const;

export async function createWorld(request: Requester, prefix: string): Promise<World> {
  const ids: Record<string, string> = {};
  const locations: Location[] = [];
  for (const [name, spot] of Object.entries(spots)) {
    const code = `${prefix}-${name}`;
    const created = await must(request, 'POST', '/v1/locations', {
      code,
      type: spot.type,
      name: `${prefix} ${name}`,
      address: { line1: '1 Main St', city: 'New York', region: 'NY', country: 'US' },
      latitude: spot.lat,
      longitude: spot.lon,
      timezone: 'America/New_York',
      capabilities: spot.capabilities,
    });
    ids[name] = created.id;
    locations.push({ id: created.id, code, capabilities: [...spot.capabilities], inGroup: name !== 'OUT' });
  }
  const group = await must(request, 'POST', '/v1/location-groups', {
    code: `${prefix}-group`,
    name: `${prefix} group`,
    location_ids: [ids.DC, ids.A, ids.B],
  });
  const channel = await must(request, 'POST', '/v1/channels', {
    code: `${prefix}-web`,
    name: `${prefix} web`,
    type: 'web',
    location_group_id: group.id,
  });
  // Returns are authorized by hand (a step of their own) and refund shipping only when asked;
  // orders imported from the previous system take returns too (ADR 0047).
  await must(request, 'PUT', `/v1/channels/${channel.id}/return-policy`, {
    window_days: 30,
    auto_authorize: false,
    shipping_refund: 'never',
    restocking_fee_bps: 0,
    imported_orders: true,
  });
  const shadow = await must(request, 'POST', '/v1/channels', {
    code: `${prefix}-shadow`,
    name: `${prefix} shadow`,
    type: 'web',
    location_group_id: group.id,
  });
  const mode = await must(request, 'POST', `/v1/channels/${shadow.id}/shadow`);
  if (mode.mode !== 'shadow') throw new Error(`channel ${shadow.id} is ${mode.mode}, not in shadow mode`);
  const rules = await must(request, 'GET', '/v1/routing/rules');
  return {
    channelId: channel.id,
    shadowChannelId: shadow.id,
    defaultRules: rules.defaults,
    locations,
    dc: ids.DC!,
    storeA: ids.A!,
    storeB: ids.B!,
    outside: ids.OUT!,
  };
}

/**
 * A sequence's own products: two that must be in stock, one that may be back-ordered, one to
 * exchange into, and a kit of two socks and a hat (ADR 0024) whose price splits by list price.
 */
export async function createProducts(request: Requester, sequence: string): Promise<Product[]> {
  const products: Product[] = [
    { sku: `${sequence}-SOCKS`, priceMinor: 1200, allowBackorder: false },
    { sku: `${sequence}-HAT`, priceMinor: 2500, allowBackorder: false },
    { sku: `${sequence}-MUG`, priceMinor: 999, allowBackorder: true },
    { sku: `${sequence}-DELUXE`, priceMinor: 3500, allowBackorder: false },
  ];
  for (const p of products)
    await must(request, 'POST', '/v1/products', {
      sku: p.sku,
      name: `Product ${p.sku}`,
      weight_grams: 300,
      allow_backorder: p.allowBackorder,
    });
  const kit: Product = {
    sku: `${sequence}-KIT`,
    priceMinor: 4500,
    allowBackorder: false,
    components: [
      { sku: `${sequence}-SOCKS`, quantity: 2 },
      { sku: `${sequence}-HAT`, quantity: 1 },
    ],
  };
  await must(request, 'POST', '/v1/products', { sku: kit.sku, name: `Kit ${kit.sku}`, weight_grams: 900 });
  await must(request, 'PUT', `/v1/products/${kit.sku}/components`, {
    components: kit.components!.map((c) => ({
      sku: c.sku,
      quantity: c.quantity,
      price_weight: products.find((p) => p.sku === c.sku)!.priceMinor,
    })),
  });
  return [...products, kit];
}

export function emptyModel(world: World, products: Product[]): Model {
  return { products, locations: world.locations, stock: new Map(), orders: [], returns: [], holds: [], shadows: [] };
}
