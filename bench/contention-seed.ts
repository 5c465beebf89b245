import { createProduct } from '../src/catalog/index.ts';
import { inTransaction, type Database, type Tx } from '../src/db/index.ts';
import { createChannel, createLocationGroup } from '../src/network/index.ts';
import { seededRandom } from '../src/shared/random.ts';
import { ok } from '../src/shared/result.ts';
import { addBenchLocation, type OrderLocation, type OrderNetwork } from './order-network.ts';
import { count, must, type StockPoint } from './seed.ts';

/**
 * The contention network: 4 locations behind the `contention` channel; per run 20 fresh SKUs,
 * each counted in at 3 of the 4 locations with 10 units (600 units a run). Every fifth SKU
 * allows back-orders: an order short of it is placed with the missing units waiting; an order
 * short of any other SKU is refused with 409 insufficient_stock.
 */
export const CONTENTION = {
  locations: 4,
  skus: 20,
  holders: 3,
  onHand: 10,
  backorderEvery: 5,
  concurrencies: [8, 32],
  runs: 3,
} as const;

const CHANNEL = 'contention';
/** Stock of the warm-up SKUs: orders before the runs that never run out. */
const WARMUP_ON_HAND = 1_000_000;
const SEED = 32;

export interface ContentionNetwork {
  warmup: OrderNetwork;
  /** The SKUs of run `run` (1-based) at concurrency `c`: `runs.get(\`${c}/${run}\`)`. */
  runs: Map<string, OrderNetwork>;
}

export const runKey = (concurrency: number, run: number) => `${concurrency}/${run}`;

async function addProducts(tx: Tx, prefix: string, backorders: boolean): Promise<string[]> {
  const skus = Array.from({ length: CONTENTION.skus }, (_, i) => `${prefix}-${String(i + 1).padStart(2, '0')}`);
  for (const [i, sku] of skus.entries()) {
    const allowBackorder = backorders && (i + 1) % CONTENTION.backorderEvery === 0;
    must(
      await createProduct(tx, { sku, name: `Scarce ${sku}`, weight_grams: 300, allow_backorder: allowBackorder }),
      sku,
    );
  }
  return skus;
}

async function addLocations(tx: Tx): Promise<OrderLocation[]> {
  const rand = seededRandom(SEED);
  const locations: OrderLocation[] = [];
  for (let i = 1; i <= CONTENTION.locations; i++) {
    const code = `SCARCE-${i}`;
    const type = i === 1 ? 'distribution_center' : 'store';
    locations.push(await addBenchLocation(tx, rand, { code, type, name: `Scarce ${i}`, capabilities: ['ship'] }));
  }
  return locations;
}

/** Each SKU at `CONTENTION.holders` of the locations, in turn. */
function holdings(skus: string[], locations: OrderLocation[]): StockPoint[] {
  return skus.flatMap((sku, i) =>
    Array.from({ length: CONTENTION.holders }, (_, k) => ({
      sku,
      locationId: locations[(i + k) % locations.length]!.id,
    })),
  );
}

/** Creates the contention network with Consign's own use cases, and counts its stock in. */
export async function seedContention(database: Database): Promise<ContentionNetwork> {
  const created = await inTransaction(database.db, async (tx) => {
    const locations = await addLocations(tx);
    const group = await createLocationGroup(tx, {
      code: 'bench-contention',
      name: 'Bench contention network',
      location_ids: locations.map((l) => l.id),
    });
    const groupId = must(group, 'contention group').id;
    must(
      await createChannel(tx, { code: CHANNEL, name: 'Bench contention', type: 'web', location_group_id: groupId }),
      'contention channel',
    );
    const network = (skus: string[]): OrderNetwork => ({ channel: CHANNEL, locations, skus });
    const warmup = network(await addProducts(tx, 'SCARCE-WARM', false));
    const runs = new Map<string, OrderNetwork>();
    for (const c of CONTENTION.concurrencies) {
      for (let run = 1; run <= CONTENTION.runs; run++) {
        runs.set(runKey(c, run), network(await addProducts(tx, `SCARCE-C${c}-R${run}`, true)));
      }
    }
    return ok({ warmup, runs });
  });
  const network = must(created, 'contention network');
  const { locations } = network.warmup;
  await count(database, 'bench-setup-contention-warmup', holdings(network.warmup.skus, locations), WARMUP_ON_HAND);
  const scarce = [...network.runs.values()].flatMap((run) => holdings(run.skus, locations));
  await count(database, 'bench-setup-contention', scarce, CONTENTION.onHand);
  return network;
}
