import { lockForTransaction, readMeta, writeMetaOnce, type Tx } from '../db/index.ts';
import { createProduct, listProducts } from '../catalog/index.ts';
import { createChannel, createLocation, createLocationGroup, listLocations, type Location } from '../network/index.ts';
import { receiveOpeningStock } from '../inventory/index.ts';
import { ok, type Result } from '../shared/result.ts';
import { demoChannels, demoDistributionCenters, demoGroups, demoStores } from './locations.ts';
import { demoProducts } from './products.ts';
import { generateDemoStock } from './stock.ts';
import { DEMO_ORDER_COUNT } from './orders.ts';
import { seedDemoOrders } from './seed-orders.ts';

/** `consign_meta` key set when the demo network is loaded; its value is the time. */
export const DEMO_SEEDED_KEY = 'demo_seeded_at';
/** Serializes demo seeding across processes on one PostgreSQL server. */
const DEMO_SEED_LOCK_ID = 7_341_009_114;
const INSERT_BATCH_SIZE = 250;

export type SeedPhase = 'locations' | 'location groups' | 'channels' | 'products' | 'stock levels' | 'orders';

export interface SeedProgress {
  phase: SeedPhase;
  /** Done and total of this phase. */
  done: number;
  total: number;
}

export interface SeedDemoOptions {
  onProgress?: (progress: SeedProgress) => void;
}

export interface DemoSummary {
  distributionCenters: number;
  stores: number;
  locationGroups: number;
  channels: number;
  products: number;
  stockLevels: number;
  units: number;
  /** Orders of the last 30 days on both channels, shipped, delivered, cancelled or open. */
  orders: number;
}

export type SeedDemoOutcome =
  | { status: 'seeded'; summary: DemoSummary }
  | { status: 'already_seeded'; seededAt: string }
  /** The network already has locations or products of its own: the demo stays out of it. */
  | { status: 'not_empty' };

/** What the demo adds, by phase: progress displays use it to size their bar. */
export function demoSize(): Record<SeedPhase, number> {
  const locations = [...demoDistributionCenters, ...demoStores];
  return {
    locations: locations.length,
    'location groups': demoGroups.length,
    channels: demoChannels.length,
    products: demoProducts.length,
    'stock levels': generateDemoStock(sitesOf(locations), demoProducts).length,
    orders: DEMO_ORDER_COUNT,
  };
}

function sitesOf(
  locations: { code?: string | null | undefined; type: string; daily_capacity?: number | null | undefined }[],
) {
  return locations.map((l) => ({ code: l.code ?? '', type: l.type, dailyCapacity: l.daily_capacity ?? 0 }));
}

/**
 * Loads the Harbor & Pine demo network in the caller's transaction: locations, groups,
 * channels, products, stock with its ledger, and 30 days of orders placed, shipped, delivered
 * and cancelled through the same use cases as the API. Runs once per database: a second call finds
 * the `demo_seeded_at` mark and does nothing.
 */
export async function seedDemo(tx: Tx, options: SeedDemoOptions = {}): Promise<Result<SeedDemoOutcome>> {
  await lockForTransaction(tx, DEMO_SEED_LOCK_ID);
  const seededAt = await readMeta(tx, DEMO_SEEDED_KEY);
  if (seededAt !== undefined) return ok({ status: 'already_seeded', seededAt: String(seededAt) });
  const [anyLocation] = await listLocations(tx, { limit: 1 });
  const [anyProduct] = await listProducts(tx, { limit: 1 });
  if (anyLocation || anyProduct) return ok({ status: 'not_empty' });

  const report = options.onProgress ?? (() => {});
  const locations = await seedLocations(tx, report);
  if (!locations.ok) return locations;
  const channels = await seedGroupsAndChannels(tx, locations.value, report);
  if (!channels.ok) return channels;
  const products = await seedProducts(tx, report);
  if (!products.ok) return products;
  const stock = await seedStock(tx, locations.value, report);
  const orders = await seedDemoOrders(tx, Date.now(), (p) => report({ phase: 'orders', ...p }));

  await writeMetaOnce(tx, DEMO_SEEDED_KEY, new Date().toISOString());
  return ok({
    status: 'seeded',
    summary: {
      distributionCenters: demoDistributionCenters.length,
      stores: demoStores.length,
      locationGroups: demoGroups.length,
      channels: channels.value,
      products: products.value,
      stockLevels: stock.levels,
      units: stock.units,
      orders,
    },
  });
}

type Report = (progress: SeedProgress) => void;

async function seedLocations(tx: Tx, report: Report): Promise<Result<Location[]>> {
  const inputs = [...demoDistributionCenters, ...demoStores];
  const created: Location[] = [];
  for (const input of inputs) {
    const result = await createLocation(tx, input);
    if (!result.ok) return result;
    created.push(result.value);
    report({ phase: 'locations', done: created.length, total: inputs.length });
  }
  return ok(created);
}

async function seedGroupsAndChannels(tx: Tx, locations: Location[], report: Report): Promise<Result<number>> {
  const groupIds = new Map<string, string>();
  for (const group of demoGroups) {
    const members = locations.filter((l) => group.members === 'all' || l.type === 'distribution_center');
    const result = await createLocationGroup(tx, {
      code: group.code,
      name: group.name,
      location_ids: members.map((l) => l.id),
    });
    if (!result.ok) return result;
    groupIds.set(group.code, result.value.id);
    report({ phase: 'location groups', done: groupIds.size, total: demoGroups.length });
  }
  let done = 0;
  for (const channel of demoChannels) {
    const result = await createChannel(tx, {
      code: channel.code,
      name: channel.name,
      type: channel.type,
      location_group_id: groupIds.get(channel.group)!,
    });
    if (!result.ok) return result;
    report({ phase: 'channels', done: ++done, total: demoChannels.length });
  }
  return ok(done);
}

async function seedProducts(tx: Tx, report: Report): Promise<Result<number>> {
  let done = 0;
  for (const { demand: _demand, dcOnly: _dcOnly, ...product } of demoProducts) {
    const result = await createProduct(tx, product);
    if (!result.ok) return result;
    report({ phase: 'products', done: ++done, total: demoProducts.length });
  }
  return ok(done);
}

/**
 * Stock levels and their opening ledger, set-based in batches. Each level with units gets one
 * `receipt` row for its whole quantity, so the ledger sums to the levels; an empty shelf has no
 * movement to record.
 */
async function seedStock(tx: Tx, locations: Location[], report: Report): Promise<{ levels: number; units: number }> {
  const idByCode = new Map(locations.map((l) => [l.code ?? '', l.id]));
  const levels = generateDemoStock(sitesOf(locations), demoProducts);
  let units = 0;
  for (let start = 0; start < levels.length; start += INSERT_BATCH_SIZE) {
    const batch = levels.slice(start, start + INSERT_BATCH_SIZE).map((level) => ({
      ...level,
      locationId: idByCode.get(level.locationCode)!,
    }));
    await receiveOpeningStock(tx, batch, { reason: 'demo seed', actor: 'demo' });
    units += batch.reduce((sum, level) => sum + level.onHand, 0);
    report({ phase: 'stock levels', done: start + batch.length, total: levels.length });
  }
  return { levels: levels.length, units };
}
