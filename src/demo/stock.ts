import { seededRandom } from '../shared/random.ts';
import type { DemoProduct } from './products.ts';

/** The seed of the demo's stock: the same number gives the same shelves on every machine. */
export const DEMO_STOCK_SEED = 20_240_901;

export { seededRandom };

interface StockSite {
  code: string;
  type: string;
  dailyCapacity: number;
}

interface DemoStockLevel {
  locationCode: string;
  sku: string;
  onHand: number;
  safetyStock: number;
}

const DC_BASE_UNITS = 240;
const DC_STOCKOUT_RATE = 0.04;
const STORE_STOCKOUT_RATE = 0.18;
const STORE_SAFETY_STOCK_RATE = 0.3;

/** Distribution centres hold deep stock with a 5 % safety buffer; a few SKUs are out. */
function dcLevel(site: StockSite, product: DemoProduct, random: () => number): DemoStockLevel {
  const scale = site.dailyCapacity / 6000;
  const backorderable = product.allow_backorder ? 0.25 : 1;
  const typical = DC_BASE_UNITS * product.demand * scale * backorderable;
  const out = random() < DC_STOCKOUT_RATE;
  const onHand = out ? 0 : Math.round(typical * (0.6 + 0.8 * random()));
  return { locationCode: site.code, sku: product.sku, onHand, safetyStock: Math.round(typical * 0.05) };
}

/** Stores hold a few units per SKU; some are sold out, some keep a display unit back. */
function storeLevel(site: StockSite, product: DemoProduct, random: () => number): DemoStockLevel {
  const scale = Math.min(1.5, Math.max(0.5, site.dailyCapacity / 120));
  const out = random() < STORE_STOCKOUT_RATE;
  const onHand = out ? 0 : Math.max(1, Math.round(product.demand * scale * (2 + 10 * random())));
  const keepsDisplayUnit = product.demand >= 1 && random() < STORE_SAFETY_STOCK_RATE;
  return { locationCode: site.code, sku: product.sku, onHand, safetyStock: keepsDisplayUnit ? 1 : 0 };
}

/**
 * Stock per SKU per location, deterministic for a given seed. Stores do not carry the
 * distribution-centre-only SKUs at all (no level rather than a zero).
 */
export function generateDemoStock(
  sites: readonly StockSite[],
  products: readonly DemoProduct[],
  seed = DEMO_STOCK_SEED,
): DemoStockLevel[] {
  const random = seededRandom(seed);
  const levels: DemoStockLevel[] = [];
  for (const site of sites) {
    const isStore = site.type === 'store';
    for (const product of products) {
      if (isStore && product.dcOnly) continue;
      levels.push(isStore ? storeLevel(site, product, random) : dcLevel(site, product, random));
    }
  }
  return levels;
}
