import { and, asc, eq, gt, ilike, or, sql, type SQL } from 'drizzle-orm';
import { Type, type Static } from '@sinclair/typebox';
import { tables, toIso, type Executor } from '../db/index.ts';
import { Count, Sku } from '../http/schemas.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { readComponents, type Component } from './bundles.ts';

const Dimensions = Type.Object(
  {
    length_mm: Count,
    width_mm: Count,
    height_mm: Count,
  },
  { additionalProperties: false },
);

const productFields = {
  name: Type.String({ minLength: 1, maxLength: 300 }),
  weight_grams: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 10_000_000 }), Type.Null()])),
  dimensions: Type.Optional(Type.Union([Dimensions, Type.Null()])),
  allow_backorder: Type.Optional(Type.Boolean()),
  active: Type.Optional(Type.Boolean()),
};

export const CreateProduct = Type.Object({ sku: Sku, ...productFields }, { additionalProperties: false });
export type CreateProduct = Static<typeof CreateProduct>;
export const UpdateProduct = Type.Partial(Type.Object(productFields, { additionalProperties: false }), {
  additionalProperties: false,
  minProperties: 1,
});
export type UpdateProduct = Static<typeof UpdateProduct>;

type ProductRow = typeof tables.products.$inferSelect;

function presentProduct(row: ProductRow, components: Component[] = []) {
  return {
    sku: row.sku,
    name: row.name,
    weight_grams: row.weightGrams,
    dimensions: row.dimensions,
    allow_backorder: row.allowBackorder,
    active: row.active,
    /** Set for a bundle (kit): what one unit of it is made of. Empty for a plain SKU. */
    components,
    created_at: toIso(row.createdAt),
    updated_at: toIso(row.updatedAt),
  };
}
type Product = ReturnType<typeof presentProduct>;

export async function createProduct(executor: Executor, input: CreateProduct): Promise<Result<Product>> {
  const [row] = await executor
    .insert(tables.products)
    .values({
      sku: input.sku,
      name: input.name,
      weightGrams: input.weight_grams ?? null,
      dimensions: input.dimensions ?? null,
      allowBackorder: input.allow_backorder ?? false,
      active: input.active ?? true,
    })
    .onConflictDoNothing()
    .returning();
  return row
    ? ok(presentProduct(row))
    : fail(problem('already_exists', `SKU ${input.sku} already exists.`, { sku: input.sku }));
}

export async function updateProduct(executor: Executor, sku: string, input: UpdateProduct): Promise<Result<Product>> {
  const [row] = await executor
    .update(tables.products)
    .set({
      ...(input.name !== undefined && { name: input.name }),
      ...(input.weight_grams !== undefined && { weightGrams: input.weight_grams }),
      ...(input.dimensions !== undefined && { dimensions: input.dimensions }),
      ...(input.allow_backorder !== undefined && { allowBackorder: input.allow_backorder }),
      ...(input.active !== undefined && { active: input.active }),
      updatedAt: sql`now()`,
    })
    .where(eq(tables.products.sku, sku))
    .returning();
  return row
    ? ok(presentProduct(row, (await readComponents(executor, [sku])).get(sku)))
    : fail(problem('not_found', `No product ${sku}.`));
}

export async function getProduct(executor: Executor, sku: string): Promise<Product | undefined> {
  const [row] = await executor.select().from(tables.products).where(eq(tables.products.sku, sku));
  return row && presentProduct(row, (await readComponents(executor, [sku])).get(sku));
}

/** An `ilike` pattern for "contains `search`", its wildcards taken literally. */
const containsPattern = (search: string) => `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** `column` holds a SKU whose code or product name contains `search` (case-insensitive). */
export function skuOrNameContains(column: SQL, search: string): SQL {
  const pattern = containsPattern(search);
  return sql`${column} in (select p.sku from products p where p.sku ilike ${pattern} or p.name ilike ${pattern})`;
}

/** The product name of the SKU in `column`. */
export function productNameOf(column: SQL): SQL {
  return sql`(select p.name from products p where p.sku = ${column})`;
}

export async function listProducts(
  executor: Executor,
  filter: { search?: string | undefined; after?: string | undefined; limit: number },
): Promise<Product[]> {
  const p = tables.products;
  const pattern = filter.search ? containsPattern(filter.search) : undefined;
  const rows = await executor
    .select()
    .from(p)
    .where(
      and(
        pattern ? or(ilike(p.sku, pattern), ilike(p.name, pattern)) : undefined,
        filter.after ? gt(p.sku, filter.after) : undefined,
      ),
    )
    .orderBy(asc(p.sku))
    .limit(filter.limit);
  const components = await readComponents(
    executor,
    rows.map((r) => r.sku),
  );
  return rows.map((row) => presentProduct(row, components.get(row.sku)));
}
