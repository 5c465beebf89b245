import type { TestServer } from './server.ts';

export interface SmallNetwork {
  dc: string;
  storeA: string;
  storeB: string;
  groupId: string;
  channelId: string;
  skus: string[];
}

const address = (city: string) => ({ line1: '1 Main St', city, country: 'US' });

async function must(server: TestServer, method: string, path: string, body: unknown) {
  const response = await server.request(method, path, { body });
  if (response.status >= 300)
    throw new Error(`${method} ${path} → ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/**
 * A small network through the API: a DC and two stores, a group of the two stores, a web
 * channel selling from that group, and `skuCount` products with no stock.
 */
export async function createSmallNetwork(server: TestServer, skuCount = 3): Promise<SmallNetwork> {
  const location = (code: string, type: string, city: string) =>
    must(server, 'POST', '/v1/locations', {
      code,
      type,
      name: `${city} ${type}`,
      address: address(city),
      timezone: 'America/New_York',
      capabilities: ['ship', 'pickup'],
    });
  const dc = await location('DC1', 'distribution_center', 'Secaucus');
  const storeA = await location('S-A', 'store', 'Boston');
  const storeB = await location('S-B', 'store', 'Albany');
  const group = await must(server, 'POST', '/v1/location-groups', {
    code: 'stores',
    name: 'Stores',
    location_ids: [storeA.id, storeB.id],
  });
  const channel = await must(server, 'POST', '/v1/channels', {
    code: 'web',
    name: 'Web',
    type: 'web',
    location_group_id: group.id,
  });
  const skus: string[] = [];
  for (let i = 1; i <= skuCount; i++) {
    const sku = `SKU-${String(i).padStart(4, '0')}`;
    await must(server, 'POST', '/v1/products', { sku, name: `Product ${i}`, weight_grams: 100 * i });
    skus.push(sku);
  }
  return { dc: dc.id, storeA: storeA.id, storeB: storeB.id, groupId: group.id, channelId: channel.id, skus };
}

export async function setStock(server: TestServer, locationId: string, sku: string, onHand: number, safetyStock = 0) {
  return must(server, 'PUT', `/v1/inventory/${locationId}/${sku}`, { on_hand: onHand, safety_stock: safetyStock });
}
