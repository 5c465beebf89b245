import type { Executor } from '../db/index.ts';
import { findUnknown } from './references.ts';

export type FeedMode = 'snapshot' | 'delta';

export interface FeedRow {
  location_id: string;
  sku: string;
  /** snapshot: the counted quantity. */
  on_hand?: number | undefined;
  /** delta: the signed change. */
  quantity?: number | undefined;
  safety_stock?: number | undefined;
}

export interface RowError {
  row: number;
  pointer: string;
  code:
    | 'unknown_sku'
    | 'unknown_location'
    | 'bundle_not_stocked'
    | 'duplicate_row'
    | 'missing_field'
    | 'unexpected_field'
    | 'below_reserved';
  message: string;
}

/** The most per-row errors one response lists; the count is always exact. */
export const MAX_LISTED_ERRORS = 1000;

function shapeErrors(mode: FeedMode, row: FeedRow, index: number): RowError[] {
  const at = (field: string) => `/rows/${index}/${field}`;
  const errors: RowError[] = [];
  if (mode === 'snapshot') {
    if (row.on_hand === undefined)
      errors.push({
        row: index,
        pointer: at('on_hand'),
        code: 'missing_field',
        message: 'a snapshot row needs on_hand',
      });
    if (row.quantity !== undefined)
      errors.push({
        row: index,
        pointer: at('quantity'),
        code: 'unexpected_field',
        message: 'a snapshot row sets on_hand, not quantity',
      });
  } else {
    if (row.quantity === undefined || row.quantity === 0) {
      errors.push({
        row: index,
        pointer: at('quantity'),
        code: 'missing_field',
        message: 'a delta row needs a non-zero quantity',
      });
    }
    if (row.on_hand !== undefined)
      errors.push({
        row: index,
        pointer: at('on_hand'),
        code: 'unexpected_field',
        message: 'a delta row changes by quantity, not on_hand',
      });
  }
  return errors;
}

/** Whether a row has the fields its mode needs and none it must not have (the common case, allocation-free). */
function wellShaped(mode: FeedMode, row: FeedRow): boolean {
  return mode === 'snapshot'
    ? row.on_hand !== undefined && row.quantity === undefined
    : row.quantity !== undefined && row.quantity !== 0 && row.on_hand === undefined;
}

/** Everything wrong with the rows that can be known without touching stock levels. */
export async function validateFeedRows(executor: Executor, mode: FeedMode, rows: FeedRow[]): Promise<RowError[]> {
  const errors: RowError[] = [];
  // First row index per (location, SKU): one SKU map per location, so no composite key per row.
  const seen = new Map<string, Map<string, number>>();
  const skus = new Set<string>();
  for (let index = 0; index < rows.length; index++) {
    const row = rows[index]!;
    if (!wellShaped(mode, row)) errors.push(...shapeErrors(mode, row, index));
    let atLocation = seen.get(row.location_id);
    if (atLocation === undefined) {
      atLocation = new Map();
      seen.set(row.location_id, atLocation);
    }
    const first = atLocation.get(row.sku);
    if (first !== undefined) {
      errors.push({
        row: index,
        pointer: `/rows/${index}`,
        code: 'duplicate_row',
        message: `same location and SKU as row ${first}`,
      });
    } else {
      atLocation.set(row.sku, index);
    }
    skus.add(row.sku);
  }
  const unknown = await findUnknown(executor, [...skus], [...seen.keys()]);
  if (unknown.locations.size > 0 || unknown.skus.size > 0 || unknown.bundles.size > 0) {
    rows.forEach((row, index) => {
      if (unknown.locations.has(row.location_id)) {
        errors.push({
          row: index,
          pointer: `/rows/${index}/location_id`,
          code: 'unknown_location',
          message: `no location ${row.location_id}`,
        });
      }
      if (unknown.skus.has(row.sku)) {
        errors.push({
          row: index,
          pointer: `/rows/${index}/sku`,
          code: 'unknown_sku',
          message: `no product ${row.sku}`,
        });
      }
      if (unknown.bundles.has(row.sku)) {
        errors.push({
          row: index,
          pointer: `/rows/${index}/sku`,
          code: 'bundle_not_stocked',
          message: `${row.sku} is a bundle: its stock is its components'`,
        });
      }
    });
  }
  return errors.sort((a, b) => a.row - b.row);
}
