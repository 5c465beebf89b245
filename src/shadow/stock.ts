import { sql } from 'drizzle-orm';
import { query, queryOne, type Executor } from '../db/index.ts';
import { ok, type Result } from '../shared/result.ts';
import { locationIds } from './outcomes.ts';
import { readRecords, refused, type FieldError } from './records.ts';

interface StockRecord {
  sku: string;
  location: string;
  on_hand: number;
  as_of: string;
}

/**
 * Takes the legacy system's stock counts (sku, location, on_hand, as_of; a JSON array or JSON
 * lines), all or none. A count of the same SKU, location and moment sent again replaces the first.
 */
export async function ingestStock(executor: Executor, input: unknown): Promise<Result<{ records: number }>> {
  const read = readRecords(input, (fields) => {
    const count = {
      sku: fields.text('sku', true),
      location: fields.text('location', true),
      on_hand: fields.count('on_hand', true, 0),
      as_of: fields.instant('as_of', true),
    };
    fields.only(['sku', 'location', 'on_hand', 'as_of']);
    return count as StockRecord;
  });
  if (!read.ok) return read;
  const { records: counts, errors } = read.value;
  if (errors.length > 0) return refused('stock counts', errors);
  const locations = await locationIds(executor, counts, errors);
  await unknownSkus(executor, counts, errors);
  if (errors.length > 0) return refused('stock counts', errors);
  // The last of a repeated (location, SKU, moment) wins, within the input as against the table.
  const latest = new Map(counts.map((c) => [`${locations.get(c.location)}\u0000${c.sku}\u0000${c.as_of}`, c]));
  const rows = [...latest.values()].map((c) => ({ ...c, location_id: locations.get(c.location) }));
  await queryOne(
    executor,
    sql`insert into shadow_stock (location_id, sku, as_of, on_hand)
        select t.location_id, t.sku, t.as_of, t.on_hand
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as t(location_id text, sku text, as_of timestamptz, on_hand int)
        on conflict (location_id, sku, as_of) do update set on_hand = excluded.on_hand, received_at = now()`,
  );
  return ok({ records: counts.length });
}

async function unknownSkus(executor: Executor, counts: StockRecord[], errors: FieldError[]): Promise<void> {
  const skus = [...new Set(counts.map((c) => c.sku))];
  const known = await query<{ sku: string }>(
    executor,
    sql`select sku from products where sku = any(${sql.param(skus)}::text[])`,
  );
  const found = new Set(known.map((r) => r.sku));
  counts.forEach((c, i) => {
    if (!found.has(c.sku)) errors.push({ pointer: `/${i}/sku`, message: `unknown SKU ${c.sku}` });
  });
}
