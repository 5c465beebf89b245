import { sql, type SQL } from 'drizzle-orm';
import { Type, type Static } from '@sinclair/typebox';
import { lockForTransaction, query, queryOne, type Executor, type Tx } from '../db/index.ts';
import { Sku } from '../http/schemas.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';

/** Bounds: a kit of up to 50 parts, each up to 10,000 units a kit. */
const MAX_COMPONENTS = 50;
const MAX_COMPONENT_QUANTITY = 10_000;
/** How deep the expansion of nested bundles looks; definitions are acyclic, so this only bounds work. */
const MAX_DEPTH = 16;
/** One lock for every change of a bundle definition: two concurrent changes cannot close a cycle. */
const DEFINITION_LOCK_ID = 0x62756e646c65; // "bundle"

export const SetComponents = Type.Object(
  {
    components: Type.Array(
      Type.Object(
        {
          sku: Sku,
          quantity: Type.Integer({ minimum: 1, maximum: MAX_COMPONENT_QUANTITY, description: 'Units in one bundle' }),
          price_weight: Type.Optional(
            Type.Integer({
              minimum: 0,
              maximum: 100_000_000,
              description: 'Weight of one unit when the bundle price is split over components (default 1)',
            }),
          ),
        },
        { additionalProperties: false },
      ),
      { maxItems: MAX_COMPONENTS, description: 'An empty list makes the product a plain SKU again' },
    ),
  },
  { additionalProperties: false },
);
export type SetComponents = Static<typeof SetComponents>;

export interface Component {
  sku: string;
  quantity: number;
  price_weight: number;
}

/**
 * The leaf components of the given bundles, as rows (bundle_sku, component_sku, quantity): nested
 * bundles expanded, quantities multiplied along the way and summed where a leaf is reached twice.
 * `bundles` selects the SKUs to expand (SQL yielding one text column). A SKU that is no bundle
 * has no rows. For a `with recursive` list: it names the CTE `bundle_tree` besides its own.
 */
export function bundleLeavesSql(bundles: SQL): SQL {
  return sql`bundle_tree (root, sku, quantity, depth) as (
      select c.bundle_sku, c.component_sku, c.quantity, 1 from product_components c where c.bundle_sku in (${bundles})
      union all
      select t.root, c.component_sku, t.quantity * c.quantity, t.depth + 1
      from bundle_tree t join product_components c on c.bundle_sku = t.sku
      where t.depth < ${MAX_DEPTH}
    ), bundle_leaves (bundle_sku, component_sku, quantity) as (
      select root, sku, sum(quantity)::int from bundle_tree t
      where not exists (select 1 from product_components x where x.bundle_sku = t.sku)
      group by root, sku
    )`;
}

/** Each bundle among `skus` with its leaf components and their units in one bundle, in SKU order. */
export async function readLeaves(
  executor: Executor,
  skus: string[],
): Promise<Map<string, { sku: string; quantity: number }[]>> {
  const rows = await query<{ bundle_sku: string; sku: string; quantity: number }>(
    executor,
    sql`with recursive ${bundleLeavesSql(sql`select unnest(${sql.param([...new Set(skus)])}::text[])`)}
        select bundle_sku, component_sku as sku, quantity from bundle_leaves order by bundle_sku, component_sku`,
  );
  const bySku = new Map<string, { sku: string; quantity: number }[]>();
  for (const { bundle_sku, ...leaf } of rows) bySku.set(bundle_sku, [...(bySku.get(bundle_sku) ?? []), leaf]);
  return bySku;
}

/** The direct components of each of `skus` (in their listed order); SKUs that are no bundles are absent. */
export async function readComponents(executor: Executor, skus: string[]): Promise<Map<string, Component[]>> {
  const rows = await query<Component & { bundle_sku: string }>(
    executor,
    sql`select bundle_sku, component_sku as sku, quantity, price_weight from product_components
        where bundle_sku = any(${sql.param([...new Set(skus)])}::text[]) order by bundle_sku, position`,
  );
  const bySku = new Map<string, Component[]>();
  for (const { bundle_sku, ...component } of rows) {
    bySku.set(bundle_sku, [...(bySku.get(bundle_sku) ?? []), component]);
  }
  return bySku;
}

function firstDuplicate(skus: string[]): string | undefined {
  const seen = new Set<string>();
  for (const sku of skus) {
    if (seen.has(sku)) return sku;
    seen.add(sku);
  }
  return undefined;
}

/** A path from one of `components` down to `bundle` through nested bundles, if there is one. */
async function cyclePath(executor: Executor, bundle: string, components: string[]): Promise<string[] | undefined> {
  if (components.includes(bundle)) return [bundle, bundle];
  const row = await queryOne<{ path: string[] }>(
    executor,
    sql`with recursive walk (sku, path) as (
          select s, array[${bundle}::text, s] from unnest(${sql.param(components)}::text[]) as s
          union all
          select c.component_sku, w.path || c.component_sku
          from walk w join product_components c on c.bundle_sku = w.sku
          where w.sku <> ${bundle} and cardinality(w.path) <= ${MAX_DEPTH + 1})
        select path from walk where sku = ${bundle} limit 1`,
  );
  return row?.path;
}

/** What keeps a product from taking these components, or undefined when nothing does. */
async function refusal(executor: Executor, sku: string, components: string[]) {
  const duplicate = firstDuplicate(components);
  if (duplicate !== undefined) {
    return problem('duplicate_component', `Component ${duplicate} is listed twice; give it once with its quantity.`, {
      sku: duplicate,
    });
  }
  const state = await queryOne<{
    exists: boolean;
    bundle: boolean;
    unknown: string[];
    stocked: boolean;
    used: boolean;
  }>(
    executor,
    sql`with recursive ancestors (sku) as (
          select ${sku}::text
          union
          select c.bundle_sku from ancestors a join product_components c on c.component_sku = a.sku)
        select exists (select 1 from products where sku = ${sku}) as exists,
               exists (select 1 from product_components where bundle_sku = ${sku}) as bundle,
               array(select s from unnest(${sql.param(components)}::text[]) as s
                     where not exists (select 1 from products p where p.sku = s) order by s) as unknown,
               exists (select 1 from stock_levels where sku = ${sku}) as stocked,
               exists (select 1 from order_lines where sku in (select sku from ancestors))
                 or exists (select 1 from reservation_lines where sku in (select sku from ancestors)) as used`,
  );
  if (!state!.exists) return problem('not_found', `No product ${sku}.`);
  if (state!.unknown.length > 0) {
    return problem('unknown_sku', `Unknown component SKU(s): ${state!.unknown.join(', ')}.`, { skus: state!.unknown });
  }
  const path = await cyclePath(executor, sku, components);
  if (path) {
    return problem('bundle_cycle', `${sku} would contain itself: ${path.join(' → ')}.`, { path });
  }
  // A plain SKU staying plain changes nothing.
  if (components.length === 0 && !state!.bundle) return undefined;
  if (state!.stocked && components.length > 0) {
    return problem('bundle_has_stock', `${sku} has stock levels of its own; a bundle's stock is its components'.`, {
      sku,
    });
  }
  if (state!.used) {
    return problem(
      'bundle_in_use',
      `Orders or cart holds name ${sku} (or a bundle containing it): its components are fixed. Create a new SKU for a changed kit.`,
      { sku },
    );
  }
  return undefined;
}

/**
 * Keeps bundle definitions from changing until the caller's transaction ends, for an order that
 * names a bundle: its stock is reserved by the definition it reads, and a definition change
 * waiting on this lock then sees the order's line and is refused (`bundle_in_use`).
 */
export async function freezeBundleDefinitions(executor: Executor): Promise<void> {
  await executor.execute(sql`select pg_advisory_xact_lock_shared(${DEFINITION_LOCK_ID})`);
}

/**
 * Replaces a product's components (an empty list makes it a plain SKU again). Refused, with
 * nothing written, for an unknown product or component, a listed-twice component, a bundle
 * that would contain itself, a product with stock levels of its own, and a bundle that orders
 * or holds have named (their stock moves by the definition they were placed with).
 */
export async function setComponents(tx: Tx, sku: string, input: SetComponents): Promise<Result<Component[]>> {
  await lockForTransaction(tx, DEFINITION_LOCK_ID);
  const components = input.components.map((c) => ({
    sku: c.sku,
    quantity: c.quantity,
    price_weight: c.price_weight ?? 1,
  }));
  const refused = await refusal(
    tx,
    sku,
    components.map((c) => c.sku),
  );
  if (refused) return fail(refused);
  await tx.execute(sql`delete from product_components where bundle_sku = ${sku}`);
  if (components.length > 0) {
    await tx.execute(sql`
      insert into product_components (bundle_sku, component_sku, quantity, price_weight, position)
      select ${sku}, t.sku, t.quantity, t.price_weight, t.ord
      from jsonb_to_recordset(${JSON.stringify(components.map((c, i) => ({ ...c, ord: i + 1 })))}::jsonb)
        as t(sku text, quantity int, price_weight int, ord int)`);
  }
  return ok(components);
}
