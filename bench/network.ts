import { createProduct } from '../src/catalog/index.ts';
import { inTransaction, type Database, type Tx } from '../src/db/index.ts';
import { ingestFeed } from '../src/inventory/index.ts';
import { createLocation } from '../src/network/index.ts';
import { ok, type Result } from '../src/shared/result.ts';

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

export interface StockPoint {
  sku: string;
  locationId: string;
}

export interface BenchNetwork {
  /** One SKU at one location: every hold contends for the same row. */
  hot: StockPoint;
  /** 1,000 SKUs at each of 4 locations: holds rarely meet. */
  spread: StockPoint[];
  spreadSkus: string[];
  /** The (location, SKU) pairs a bench feed counts: 10,000 rows. */
  feedPoints: StockPoint[];
}

const pad = (n: number) => String(n).padStart(4, '0');
/** Setup counts are dated in the past, so every feed the bench sends later is newer. */
const SETUP_AS_OF = '2000-01-01T00:00:00.000Z';

function must<T>(result: Result<T>, what: string): T {
  if (!result.ok) throw new Error(`bench setup: ${what}: ${result.problem.detail}`);
  return result.value;
}

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

/** Sets on_hand for each point through the snapshot-feed use case (ledger and events included). */
async function count(database: Database, feedId: string, points: StockPoint[], onHand: number): Promise<void> {
  const rows = points.map((p) => ({ location_id: p.locationId, sku: p.sku, on_hand: onHand }));
  const input = { feed_id: feedId, mode: 'snapshot' as const, as_of: SETUP_AS_OF, source: 'bench setup', rows };
  must(
    await inTransaction(database.db, (tx) => ingestFeed(tx, input, `bench-setup-${feedId}`, null)),
    `feed ${feedId}`,
  );
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
  const network: BenchNetwork = must(result, 'network');
  await count(database, 'bench-setup-hot', [network.hot], NETWORK_SIZE.hotOnHand);
  await count(database, 'bench-setup-spread', network.spread, NETWORK_SIZE.spreadOnHand);
  await count(database, 'bench-setup-feed', network.feedPoints, 0);
  return network;
}
