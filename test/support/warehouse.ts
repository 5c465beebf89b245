import { must, type Requester } from './client.ts';

/**
 * One shipping warehouse behind the `web` channel (through an `all` location group), holding
 * `onHand` units of each of `skus`: the smallest network that takes orders. Returns the
 * warehouse's ID.
 */
export async function createWarehouseChannel(
  request: Requester,
  warehouse: { code: string; name: string; skus: { sku: string; name?: string }[]; onHand: number },
): Promise<string> {
  const location = await must(request, 'POST', '/v1/locations', {
    code: warehouse.code,
    type: 'warehouse',
    name: warehouse.name,
    address: { line1: '1 Dock Rd', city: 'Newark', country: 'US' },
    latitude: 40.73,
    longitude: -74.17,
    timezone: 'America/New_York',
    capabilities: ['ship'],
  });
  const group = await must(request, 'POST', '/v1/location-groups', {
    code: 'all',
    name: 'All',
    location_ids: [location.id],
  });
  await must(request, 'POST', '/v1/channels', { code: 'web', name: 'Web', type: 'web', location_group_id: group.id });
  for (const { sku, name } of warehouse.skus) {
    await must(request, 'POST', '/v1/products', { sku, name: name ?? sku });
    await must(request, 'PUT', `/v1/inventory/${location.id}/${sku}`, { on_hand: warehouse.onHand });
  }
  return location.id as string;
}
