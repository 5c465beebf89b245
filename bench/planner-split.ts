import type { Candidate, StockRow } from '../src/routing/index.ts';

type Random = () => number;

/**
 * The split-forcing network's assortments: each store holds a random 20–40% of the SKUs and each
 * distribution centre 40–60%, never all of them, with few units (stores 1–3, centres 1–8). A
 * 5-line order then rarely finds one location holding all its lines in the quantities asked, so
 * routing must split it or back-order what no location holds.
 */
export const SPLIT_ASSORTMENT = {
  store: { minShare: 0.2, maxShare: 0.4, maxUnits: 3 },
  centre: { minShare: 0.4, maxShare: 0.6, maxUnits: 8 },
} as const;

/** `count` distinct ranks of 0…skuCount−1 (a partial Fisher–Yates shuffle). */
function pickRanks(rand: Random, skuCount: number, count: number): number[] {
  const ranks = Array.from({ length: skuCount }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(rand() * (skuCount - i));
    [ranks[i], ranks[j]] = [ranks[j]!, ranks[i]!];
  }
  return ranks.slice(0, count);
}

/** Stock rows of `SKU-<rank>` for every location: a partial assortment each, in small quantities. */
export function splitStockRows(rand: Random, locations: readonly Candidate[], skuCount: number): StockRow[] {
  return locations.flatMap((location) => {
    const kind = location.type === 'distribution_center' ? SPLIT_ASSORTMENT.centre : SPLIT_ASSORTMENT.store;
    const share = kind.minShare + rand() * (kind.maxShare - kind.minShare);
    const held = Math.min(skuCount - 1, Math.max(1, Math.round(share * skuCount)));
    return pickRanks(rand, skuCount, held).map((rank) => ({
      locationId: location.id,
      sku: `SKU-${rank}`,
      available: 1 + Math.floor(rand() * kind.maxUnits),
    }));
  });
}
