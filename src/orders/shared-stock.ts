import { readLeaves } from '../catalog/index.ts';
import type { Executor } from '../db/index.ts';
import { plan, type Candidate, type PlanOrder, type RoutingRules, type StockSnapshot } from '../routing/index.ts';
import { loadStock } from './routing-inputs.ts';

type Leaves = Map<string, { sku: string; quantity: number }[]>;

/** The order's bundles when one of them shares a leaf component with another of its lines; null when none does. */
export async function sharedLeaves(executor: Executor, skus: string[]): Promise<Leaves | null> {
  const unique = [...new Set(skus)];
  if (unique.length < 2) return null;
  const leaves = await readLeaves(executor, unique);
  const seen = new Set<string>();
  for (const sku of unique)
    for (const leaf of leaves.get(sku)?.map((l) => l.sku) ?? [sku]) {
      if (seen.has(leaf)) return leaves;
      seen.add(leaf);
    }
  return null;
}

/**
 * A stock snapshot in which an order's bundles and the lines sharing their components cannot
 * count the same units twice: each bundle line is planned alone, in line order, on what its
 * leaf components have left, and its components are set aside where it went; the snapshot then
 * offers each bundle only where it was planned and every plain SKU only what is left of it.
 * Planning the whole order on it places everything the shared stock can hold.
 */
export async function sharedStockSnapshot(
  executor: Executor,
  request: PlanOrder,
  candidates: Candidate[],
  rules: RoutingRules,
  leaves: Leaves,
  now: Date,
): Promise<StockSnapshot> {
  const skus = [...new Set(request.lines.flatMap((l) => leaves.get(l.sku)?.map((x) => x.sku) ?? [l.sku]))];
  const eligible = candidates.filter((c) => c.active).map((c) => c.id);
  const left = new Map<string, Map<string, number>>();
  for (const row of await loadStock(executor, skus, eligible))
    left.set(row.location_id, (left.get(row.location_id) ?? new Map()).set(row.sku, row.available));
  const bundles = new Map<string, Map<string, number>>();
  const kitsAt = (sku: string) =>
    new Map(
      [...left].map(([location, stock]) => [
        location,
        new Map([[sku, Math.min(...leaves.get(sku)!.map((x) => Math.floor((stock.get(x.sku) ?? 0) / x.quantity)))]]),
      ]),
    );
  for (const line of request.lines.filter((l) => leaves.has(l.sku))) {
    const alone = plan({ ...request, lines: [line] }, candidates, kitsAt(line.sku), rules, now);
    if (alone.status === 'rejected') continue;
    for (const a of alone.allocations) {
      const placed = bundles.get(a.locationId) ?? new Map<string, number>();
      bundles.set(a.locationId, placed.set(a.sku, (placed.get(a.sku) ?? 0) + a.quantity));
      const stock = left.get(a.locationId)!;
      for (const leaf of leaves.get(a.sku)!) stock.set(leaf.sku, stock.get(leaf.sku)! - a.quantity * leaf.quantity);
    }
  }
  const snapshot = new Map<string, Map<string, number>>();
  for (const [location, stock] of left) snapshot.set(location, new Map([...stock, ...(bundles.get(location) ?? [])]));
  return snapshot;
}
