import type { Allocation, PlanResult } from '../routing/index.ts';
import { newId } from '../shared/ids.ts';

/**
 * A kit split over locations (`bundles: "split_components"`) is a group of allocations, one per
 * location, each naming the leaf components it picks there and each counting the group's
 * bundles: the line counts the group once.
 */

/** Units each line gets from allocations, a split kit's group counted once. */
export function unitsByLine(allocations: readonly Allocation[]): Map<string, number> {
  const units = new Map<string, number>();
  const seen = new Set<string>();
  for (const a of allocations) {
    if (a.kitGroup !== undefined) {
      if (seen.has(a.kitGroup)) continue;
      seen.add(a.kitGroup);
    }
    units.set(a.lineId, (units.get(a.lineId) ?? 0) + a.quantity);
  }
  return units;
}

/** The plan with each split kit's group under an ID of its own (the planner numbers them per line). */
export function withKitIds(result: PlanResult): PlanResult {
  if (!result.allocations.some((a) => a.kitGroup !== undefined)) return result;
  const ids = new Map<string, string>();
  const allocations = result.allocations.map((a) => {
    if (a.kitGroup === undefined) return a;
    const id = ids.get(a.kitGroup) ?? newId('kit');
    ids.set(a.kitGroup, id);
    return { ...a, kitGroup: id };
  });
  return { ...result, allocations };
}

/** What reserving an allocation takes: the allocation itself, or a split kit part's leaf units at its location. */
export function takesOf(a: Allocation): { locationId: string; sku: string; quantity: number; note?: string }[] {
  if (a.components === undefined) return [{ locationId: a.locationId, sku: a.sku, quantity: a.quantity }];
  return a.components.map((c) => ({
    locationId: a.locationId,
    sku: c.sku,
    quantity: a.quantity * c.quantity,
    note: kitNote(a.sku, a.lineId),
  }));
}

/** The reason a split kit's component movements carry in the ledger: the bundle and its line. */
const kitNote = (bundleSku: string, lineId: string) => `bundle ${bundleSku} line ${lineId}, split kit`;

/** An allocation row's kit columns (null for whole allocations). */
export const kitColumns = (a: Allocation) => ({
  kit_group: a.kitGroup ?? null,
  components: a.components ?? null,
});
