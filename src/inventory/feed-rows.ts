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
  code: 'unknown_sku' | 'unknown_location' | 'duplicate_row' | 'missing_field' | 'unexpected_field' | 'below_reserved';
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

/** Everything wrong with the rows that can be known without touching stock levels. */
export async function validateFeedRows(executor: Executor, mode: FeedMode, rows: FeedRow[]): Promise<RowError[]> {
  const errors: RowError[] = [];
  const seen = new Map<string, number>();
  rows.forEach((row, index) => {
    errors.push(...shapeErrors(mode, row, index));
    const key = `${row.location_id}\u0000${row.sku}`;
    const first = seen.get(key);
    if (first !== undefined) {
      errors.push({
        row: index,
        pointer: `/rows/${index}`,
        code: 'duplicate_row',
        message: `same location and SKU as row ${first}`,
      });
    } else {
      seen.set(key, index);
    }
  });
  const unknown = await findUnknown(
    executor,
    rows.map((r) => r.sku),
    rows.map((r) => r.location_id),
  );
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
      errors.push({ row: index, pointer: `/rows/${index}/sku`, code: 'unknown_sku', message: `no product ${row.sku}` });
    }
  });
  return errors.sort((a, b) => a.row - b.row);
}
