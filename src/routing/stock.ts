import type { StockSnapshot } from './types.ts';

export interface StockRow {
  locationId: string;
  sku: string;
  /** Available-to-promise: on hand − reserved − safety stock. */
  available: number;
}

/** Builds the planner's snapshot from rows (rows for the same location and SKU add up). */
export function stockSnapshot(rows: Iterable<StockRow>): StockSnapshot {
  const byLocation = new Map<string, Map<string, number>>();
  for (const row of rows) {
    let skus = byLocation.get(row.locationId);
    if (skus === undefined) {
      skus = new Map();
      byLocation.set(row.locationId, skus);
    }
    skus.set(row.sku, (skus.get(row.sku) ?? 0) + row.available);
  }
  return byLocation;
}
