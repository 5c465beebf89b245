import { sql } from 'drizzle-orm';
import { query, toIso, type Executor } from '../../db/index.ts';
import { problem } from '../../shared/problem.ts';
import { fail, ok, type Result } from '../../shared/result.ts';

/** One platform item → Consign SKU entry, as the API takes it. */
export interface MappingInput {
  product_id: string;
  variant_id?: string;
  sku: string;
  inventory_item_id?: string | null;
}

interface MappingRow {
  channel_id: string;
  product_id: string;
  variant_id: string;
  sku: string;
  inventory_item_id: string | null;
  source: 'api' | 'auto';
  created_at: string;
  updated_at: string;
}

const presentMapping = (row: MappingRow) => ({
  ...row,
  created_at: toIso(row.created_at),
  updated_at: toIso(row.updated_at),
});

/** The most mappings one upsert takes (a CSV of a whole storefront catalogue fits several calls). */
export const MAX_MAPPINGS = 5000;

/**
 * Creates or replaces mappings, all or none: every SKU must exist, or the problem lists each
 * row that names an unknown one. A repeated row (same product and variant) keeps the last.
 */
export async function upsertMappings(
  executor: Executor,
  channelId: string,
  mappings: MappingInput[],
  pointerOf: (index: number) => string,
): Promise<Result<number>> {
  const skus = [...new Set(mappings.map((m) => m.sku))];
  const known = await query<{ sku: string }>(
    executor,
    sql`select sku from products where sku = any(${sql.param(skus)}::text[])`,
  );
  const knownSkus = new Set(known.map((k) => k.sku));
  const errors = mappings.flatMap((m, i) =>
    knownSkus.has(m.sku) ? [] : [{ pointer: pointerOf(i), message: `SKU ${m.sku} is not in the catalogue` }],
  );
  if (errors.length > 0) {
    return fail(
      problem(
        'unknown_sku',
        `${errors.length} mapping(s) name SKUs that are not in the catalogue (first: ${errors[0]!.pointer}); create the products first. Nothing was written.`,
        { errors },
      ),
    );
  }
  const rows = new Map(mappings.map((m) => [`${m.product_id}\u0000${m.variant_id ?? ''}`, m]));
  const values = [...rows.values()].map(
    (m) => sql`(${channelId}, ${m.product_id}, ${m.variant_id ?? ''}, ${m.sku}, ${m.inventory_item_id ?? null}, 'api')`,
  );
  for (let start = 0; start < values.length; start += 500) {
    await executor.execute(sql`
      insert into channel_catalog_mappings (channel_id, product_id, variant_id, sku, inventory_item_id, source)
      values ${sql.join(values.slice(start, start + 500), sql`, `)}
      on conflict (channel_id, product_id, variant_id) do update set sku = excluded.sku,
        inventory_item_id = excluded.inventory_item_id, source = 'api', updated_at = now()`);
  }
  return ok(rows.size);
}

interface MappingFilter {
  productId?: string;
  sku?: string;
  after?: [string, string];
  limit: number;
}

/** Mappings in (product, variant) order, `limit + 1` of them (the extra one says another page exists). */
export async function listMappings(executor: Executor, channelId: string, filter: MappingFilter) {
  const conditions = [sql`channel_id = ${channelId}`];
  if (filter.productId !== undefined) conditions.push(sql`product_id = ${filter.productId}`);
  if (filter.sku !== undefined) conditions.push(sql`sku = ${filter.sku}`);
  if (filter.after) conditions.push(sql`(product_id, variant_id) > (${filter.after[0]}, ${filter.after[1]})`);
  const rows = await query<MappingRow>(
    executor,
    sql`select channel_id, product_id, variant_id, sku, inventory_item_id, source, created_at, updated_at
        from channel_catalog_mappings where ${sql.join(conditions, sql` and `)}
        order by product_id, variant_id limit ${filter.limit + 1}`,
  );
  return rows.map(presentMapping);
}

export async function deleteMapping(
  executor: Executor,
  channelId: string,
  productId: string,
  variantId: string,
): Promise<Result<null>> {
  const deleted = await query<{ sku: string }>(
    executor,
    sql`delete from channel_catalog_mappings
        where channel_id = ${channelId} and product_id = ${productId} and variant_id = ${variantId} returning sku`,
  );
  if (deleted.length > 0) return ok(null);
  const which = variantId ? `product ${productId}, variant ${variantId}` : `product ${productId} (no variant)`;
  return fail(problem('not_found', `Channel ${channelId} has no catalog mapping for ${which}.`));
}

/** A channel's mappings of the given platform products (product-level ones have variant_id ''). */
export async function mappingsOfProducts(executor: Executor, channelId: string, productIds: string[]) {
  if (productIds.length === 0) return [];
  return query<{ product_id: string; variant_id: string; sku: string; source: 'api' | 'auto' }>(
    executor,
    sql`select product_id, variant_id, sku, source from channel_catalog_mappings
        where channel_id = ${channelId} and product_id = any(${sql.param(productIds)}::text[])`,
  );
}

/** A platform item seen on an order with the platform's SKU (`variantId` '' when none). */
export interface FirstSight {
  productId: string;
  variantId: string;
  sku: string;
}

/**
 * Records platform items whose SKU is a Consign SKU, on first sight; a recorded one follows the
 * platform's SKU when it changes to another Consign SKU. Mappings set through the API are kept.
 * Called inside the transaction that places the order the items came on.
 */
export async function recordFirstSight(executor: Executor, channelId: string, items: FirstSight[]): Promise<void> {
  if (items.length === 0) return;
  const values = items.map((i) => sql`(${i.productId}::text, ${i.variantId}::text, ${i.sku}::text)`);
  await executor.execute(sql`
    insert into channel_catalog_mappings (channel_id, product_id, variant_id, sku, source)
    select ${channelId}, v.product_id, v.variant_id, v.sku, 'auto'
    from (values ${sql.join(values, sql`, `)}) as v (product_id, variant_id, sku)
    join products p on p.sku = v.sku
    on conflict (channel_id, product_id, variant_id) do update set sku = excluded.sku, updated_at = now()
      where channel_catalog_mappings.source = 'auto' and channel_catalog_mappings.sku <> excluded.sku`);
}

/** A channel's mappings of the given Consign SKUs (for availability pushes). */
export async function mappingsOfSkus(executor: Executor, channelId: string, skus: string[]) {
  if (skus.length === 0) return [];
  return query<{ sku: string; product_id: string; variant_id: string; inventory_item_id: string | null }>(
    executor,
    sql`select sku, product_id, variant_id, inventory_item_id from channel_catalog_mappings
        where channel_id = ${channelId} and sku = any(${sql.param(skus)}::text[])
        order by sku, product_id, variant_id`,
  );
}
