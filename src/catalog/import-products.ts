import { sql } from 'drizzle-orm';
import { query, type Executor } from '../db/index.ts';

/**
 * Adds the products a history import names that the catalogue lacks (an Olist product ID is a
 * SKU of its own), active and with no stock; products already there are left as they are.
 */
export async function addMissingProducts(
  executor: Executor,
  products: { sku: string; name: string }[],
): Promise<number> {
  if (products.length === 0) return 0;
  const added = await query<{ sku: string }>(
    executor,
    sql`insert into products (sku, name)
        select sku, name from jsonb_to_recordset(${JSON.stringify(products)}::jsonb) as t(sku text, name text)
        on conflict (sku) do nothing
        returning sku`,
  );
  return added.length;
}
