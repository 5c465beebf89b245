import { problem } from '../../shared/problem.ts';
import { fail, ok, type Result } from '../../shared/result.ts';
import { parseCsv } from '../../shared/csv.ts';
import { MAX_MAPPINGS, type MappingInput } from './mappings.ts';

const COLUMNS = ['product_id', 'variant_id', 'sku', 'inventory_item_id'] as const;
const SKU = /^[^\s,]([^,]*[^\s,])?$/;

/**
 * A mappings CSV: a header row naming `product_id` and `sku` (and optionally `variant_id`,
 * `inventory_item_id`), then one mapping per row. Errors point at `/rows/{line}/{column}`
 * (line 1 is the header).
 */
export function parseMappingCsv(text: string): Result<{ rows: MappingInput[]; pointerOf: (i: number) => string }> {
  const [header, ...rows] = parseCsv(text);
  const names = (header ?? []).map((h) => h.trim().toLowerCase());
  const at = Object.fromEntries(COLUMNS.map((c) => [c, names.indexOf(c)])) as Record<(typeof COLUMNS)[number], number>;
  if (at.product_id < 0 || at.sku < 0) {
    return fail(
      problem(
        'validation_failed',
        `The CSV header must name product_id and sku (variant_id and inventory_item_id are optional); it names: ${names.join(', ') || 'nothing'}.`,
        { errors: [{ pointer: '/rows/1', message: 'needs the columns product_id and sku' }] },
      ),
    );
  }
  if (rows.length === 0 || rows.length > MAX_MAPPINGS) {
    return fail(
      problem('validation_failed', `Send 1 to ${MAX_MAPPINGS} mapping rows after the header; got ${rows.length}.`),
    );
  }
  const cell = (row: string[], column: number) => (column < 0 ? '' : (row[column] ?? '').trim());
  const errors: { pointer: string; message: string }[] = [];
  const mappings = rows.map((row, i) => {
    const line = i + 2;
    const mapping = {
      product_id: cell(row, at.product_id),
      variant_id: cell(row, at.variant_id),
      sku: cell(row, at.sku),
      inventory_item_id: cell(row, at.inventory_item_id) || null,
    };
    if (!mapping.product_id || mapping.product_id.length > 100) {
      errors.push({ pointer: `/rows/${line}/product_id`, message: 'must be 1 to 100 characters' });
    }
    if (mapping.variant_id.length > 100)
      errors.push({ pointer: `/rows/${line}/variant_id`, message: 'is over 100 characters' });
    if (!SKU.test(mapping.sku) || mapping.sku.length > 100) {
      errors.push({ pointer: `/rows/${line}/sku`, message: 'must be a SKU (1 to 100 characters, no commas)' });
    }
    return mapping;
  });
  if (errors.length > 0) {
    return fail(
      problem(
        'validation_failed',
        `${errors.length} CSV cell(s) are not valid (first: ${errors[0]!.pointer}); nothing was written.`,
        {
          errors,
        },
      ),
    );
  }
  return ok({ rows: mappings, pointerOf: (i: number) => `/rows/${i + 2}/sku` });
}
