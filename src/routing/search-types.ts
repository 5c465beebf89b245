/**
 * The optimiser's input and output, in indices and numbers only (no ids, no strings), so the
 * inner loops stay cheap. `problem.ts` builds it from candidates; `result.ts` turns plans back.
 */

export interface SearchLine {
  quantity: number;
  weightGrams: number;
  /** Index into each location's `stock`. */
  sku: number;
  /** May stay partly unallocated (back-ordered). */
  backorder: boolean;
  /** May be spread over several locations: no single eligible location can fill it. */
  split: boolean;
  /** Another line of the order has the same SKU (they compete for the same stock). */
  sharedSku: boolean;
  /**
   * The only location (index) the line may ship from, when the order names one; a named location
   * that is not among the problem's locations is `NOWHERE`. Absent: any location.
   */
  at?: number;
}

/** A pinned line's `at` when its named location cannot ship it (not eligible). */
export const NOWHERE = -1;

/** Whether the line may take units from location index `location`. */
export const mayShipFrom = (line: SearchLine, location: number): boolean =>
  line.at === undefined || line.at === location;

export interface SearchLocation {
  /** Objective this location adds merely by shipping (see LocationFacts.fixedScore). */
  fixed: number;
  /** weights.cost × the zone's per-kilogram rate. */
  perKgWeighted: number;
  /** Available units per SKU index (≥ 0). */
  stock: readonly number[];
  /** weights.balance ÷ available, per SKU index (0 where none is available). */
  balancePerUnit: readonly number[];
}

export interface SearchProblem {
  lines: readonly SearchLine[];
  locations: readonly SearchLocation[];
  maxShipments: number;
  /** Work bound: set-enumeration steps plus assignment nodes. */
  maxNodes: number;
}

/**
 * The same locations column by column, as the optimiser reads them: location j's fixed score is
 * fixed[j], its stock of SKU s is stock[j × skuCount + s] (and likewise balancePerUnit). The
 * planner fills these directly from its candidate columns, with no object per location.
 */
interface LocationColumns {
  count: number;
  skuCount: number;
  fixed: ArrayLike<number>;
  perKgWeighted: ArrayLike<number>;
  stock: ArrayLike<number>;
  balancePerUnit: ArrayLike<number>;
}

/** Locations as columns (search() converts a SearchProblem's locations with this). */
export function locationColumns(locations: readonly SearchLocation[]): LocationColumns {
  const count = locations.length;
  const skuCount = locations[0]?.stock.length ?? 0;
  const columns = {
    count,
    skuCount,
    fixed: new Float64Array(count),
    perKgWeighted: new Float64Array(count),
    stock: new Float64Array(count * skuCount),
    balancePerUnit: new Float64Array(count * skuCount),
  };
  locations.forEach((location, j) => {
    columns.fixed[j] = location.fixed;
    columns.perKgWeighted[j] = location.perKgWeighted;
    for (let sku = 0; sku < skuCount; sku++) {
      columns.stock[j * skuCount + sku] = location.stock[sku]!;
      columns.balancePerUnit[j * skuCount + sku] = location.balancePerUnit[sku]!;
    }
  });
  return columns;
}

/** A SearchProblem with its locations as columns. */
export interface ColumnProblem {
  lines: readonly SearchLine[];
  locations: LocationColumns;
  maxShipments: number;
  maxNodes: number;
}

interface PlanCell {
  location: number;
  line: number;
  quantity: number;
}

/** A complete assignment. Plans compare by (backordered, total): allocate as much as possible first. */
export interface SearchPlan {
  backordered: number;
  total: number;
  /** Location indices used, ascending. */
  locations: number[];
  cells: PlanCell[];
}

export interface SearchOutcome {
  best: SearchPlan | null;
  /** The best plan with a different set of locations. */
  runnerUp: SearchPlan | null;
  exhaustive: boolean;
  greedyFallback: boolean;
  nodes: number;
  setsEvaluated: number;
}

export interface Budget {
  nodes: number;
  readonly max: number;
  exhausted: boolean;
}

export interface Limit {
  backordered: number;
  total: number;
}

/**
 * True when (backordered, total) is strictly better than `limit` (null = no limit). No tolerance:
 * criteria of very different magnitudes (a 1,000,000 shipments weight next to a 0.5 balance weight)
 * must still separate; equal plans whose totals differ by rounding alone are ties either way.
 */
export function beats(backordered: number, total: number, limit: Limit | null): boolean {
  if (limit === null) return true;
  if (backordered !== limit.backordered) return backordered < limit.backordered;
  return total < limit.total;
}
