import { createProduct } from '../src/catalog/index.ts';
import { inTransaction, type Database, type Tx } from '../src/db/index.ts';
import { createLocation } from '../src/network/index.ts';
import { ok } from '../src/shared/result.ts';
import { seedOrderNetwork, type OrderNetwork } from './order-network.ts';
import { count, must, type StockPoint } from './seed.ts';

export type { StockPoint } from './seed.ts';

/** The bench's network, sized so the measured paths never run out of stock. */
export const NETWORK_SIZE = {
  spreadSkus: 1_000,
  spreadLocations: 4,
  /** Feed SKUs × spread locations = the rows of one feed. */
  feedSkus: 2_500,
  hotOnHand: 1_000_000_000,
  spreadOnHand: 1_000_000,
} as const;

export const FEED_ROWS = NETWORK_SIZE.feedSkus * NETWORK_SIZE.spreadLocations;

export interface BenchNetwork {
  /** One SKU at one location: every hold contends for the same row. */
  hot: StockPoint;
  /** 1,000 SKUs at each of 4 locations: holds rarely meet. */
  spread: StockPoint[];
  spreadSkus: string[];
  /** The (location, SKU) pairs a bench feed counts: 10,000 rows. */
  feedPoints: StockPoint[];
  /** 50 shipping locations, a channel and 100 SKUs: the orders, flows and their floor. */
  orders: OrderNetwork;
}

const pad = (n: number) => String(n).padStart(4, '0');

async function addLocation(tx: Tx, code: string, type: 'distribution_center' | 'store'): Promise<string> {
  const created = await createLocation(tx, {
    code,
    type,
    name: `Bench ${code}`,
    address: { line1: '1 Bench St', city: 'Springfield', country: 'US' },
    timezone: 'America/Chicago',
    capabilities: ['ship', 'pickup'],
  });
  return must(created, `location ${code}`).id;
}

async function addProducts(tx: Tx, skus: string[]): Promise<void> {
  for (const sku of skus) must(await createProduct(tx, { sku, name: `Bench product ${sku}` }), `product ${sku}`);
}

/**
 * Creates the bench network in the given (fresh) database with Consign's own use cases:
 * locations and products in one transaction, then stock counted in by snapshot feeds, one
 * transaction per feed as the API runs them.
 */
export async function seedNetwork(database: Database): Promise<BenchNetwork> {
  const result = await inTransaction(database.db, async (tx) => {
    const hotLocation = await addLocation(tx, 'BENCH-HOT', 'distribution_center');
    const locations: string[] = [];
    for (let i = 1; i <= NETWORK_SIZE.spreadLocations; i++) {
      locations.push(await addLocation(tx, `BENCH-L${i}`, 'store'));
    }
    const hotSku = 'BENCH-HOT-0001';
    const spreadSkus = Array.from({ length: NETWORK_SIZE.spreadSkus }, (_, i) => `BENCH-S-${pad(i + 1)}`);
    const feedSkus = Array.from({ length: NETWORK_SIZE.feedSkus }, (_, i) => `BENCH-F-${pad(i + 1)}`);
    await addProducts(tx, [hotSku, ...spreadSkus, ...feedSkus]);
    const across = (skus: string[]) => skus.flatMap((sku) => locations.map((locationId) => ({ sku, locationId })));
    return ok({
      hot: { sku: hotSku, locationId: hotLocation },
      spread: across(spreadSkus),
      spreadSkus,
      feedPoints: across(feedSkus),
    });
  });
  const network: BenchNetwork = { ...must(result, 'network'), orders: await seedOrderNetwork(database) };
  await count(database, 'bench-setup-hot', [network.hot], NETWORK_SIZE.hotOnHand);
  await count(database, 'bench-setup-spread', network.spread, NETWORK_SIZE.spreadOnHand);
  await count(database, 'bench-setup-feed', network.feedPoints, 0);
  return network;
}
