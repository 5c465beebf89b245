import { createProduct } from '../src/catalog/index.ts';
import { inTransaction, type Database, type Tx } from '../src/db/index.ts';
import { createChannel, createLocation, createLocationGroup } from '../src/network/index.ts';
import type { CreateLocation } from '../src/network/index.ts';
import type { Coordinates } from '../src/routing/index.ts';
import { seededRandom } from '../src/shared/random.ts';
import { ok } from '../src/shared/result.ts';
import { count, must, type StockPoint } from './seed.ts';
import { timeZoneAt, usZip, type Random } from './planner.ts';

/** The order scenarios' network: every location ships and holds every order SKU. */
export const ORDER_NETWORK_SIZE = {
  distributionCentres: 5,
  stores: 45,
  skus: 100,
  onHand: 1_000_000,
} as const;

export const ORDER_LOCATIONS = ORDER_NETWORK_SIZE.distributionCentres + ORDER_NETWORK_SIZE.stores;
/** The code of the channel the bench's orders are placed on. */
export const ORDER_CHANNEL = 'web';
const SEED = 50;

export interface OrderLocation extends Coordinates {
  id: string;
}

export interface OrderNetwork {
  channel: string;
  locations: OrderLocation[];
  skus: string[];
}

export interface BenchLocation {
  code: string;
  type: 'distribution_center' | 'store';
  name: string;
  capabilities: CreateLocation['capabilities'];
}

/** Creates a location through Consign's use case at a random real US ZIP centroid. */
export async function addBenchLocation(tx: Tx, rand: Random, location: BenchLocation): Promise<OrderLocation> {
  const { postalCode, point } = usZip(rand);
  const created = await createLocation(tx, {
    ...location,
    address: { line1: '1 Bench St', city: 'Springfield', postal_code: postalCode, country: 'US' },
    latitude: point.latitude,
    longitude: point.longitude,
    timezone: timeZoneAt(point.longitude),
  });
  return { id: must(created, `location ${location.code}`).id, ...point };
}

async function addLocations(tx: Tx, rand: Random): Promise<OrderLocation[]> {
  const locations: OrderLocation[] = [];
  for (let i = 1; i <= ORDER_LOCATIONS; i++) {
    const centre = i <= ORDER_NETWORK_SIZE.distributionCentres;
    const code = `BENCH-${centre ? 'DC' : 'ST'}${String(i).padStart(2, '0')}`;
    locations.push(
      await addBenchLocation(tx, rand, {
        code,
        type: centre ? 'distribution_center' : 'store',
        name: `Bench ${code}`,
        capabilities: centre ? ['ship'] : ['ship', 'pickup'],
      }),
    );
  }
  return locations;
}

/**
 * Creates the order network with Consign's own use cases: 5 distribution centres and 45 stores
 * at real US ZIP centroids, a location group of all 50, the `web` channel selling from it and
 * 100 SKUs counted in at every location, so routing (at its default rules) always finds one
 * location for a whole order and no scenario runs out.
 */
export async function seedOrderNetwork(database: Database): Promise<OrderNetwork> {
  const rand = seededRandom(SEED);
  const result = await inTransaction(database.db, async (tx) => {
    const locations = await addLocations(tx, rand);
    const group = await createLocationGroup(tx, {
      code: 'bench-orders',
      name: 'Bench order network',
      location_ids: locations.map((l) => l.id),
    });
    const groupId = must(group, 'location group').id;
    must(
      await createChannel(tx, { code: ORDER_CHANNEL, name: 'Bench web', type: 'web', location_group_id: groupId }),
      'channel',
    );
    const skus = Array.from({ length: ORDER_NETWORK_SIZE.skus }, (_, i) => `BENCH-O-${String(i + 1).padStart(3, '0')}`);
    for (const [i, sku] of skus.entries()) {
      const product = await createProduct(tx, { sku, name: `Bench item ${sku}`, weight_grams: 200 + (i % 10) * 100 });
      must(product, `product ${sku}`);
    }
    return ok({ channel: ORDER_CHANNEL, locations, skus });
  });
  const network = must(result, 'order network');
  const points: StockPoint[] = network.skus.flatMap((sku) => network.locations.map((l) => ({ sku, locationId: l.id })));
  await count(database, 'bench-setup-orders', points, ORDER_NETWORK_SIZE.onHand);
  return network;
}
