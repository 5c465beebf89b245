import { sql } from 'drizzle-orm';
import { query, type Executor } from '../db/index.ts';
import { problem, type Problem } from '../shared/problem.ts';

/**
 * Which of the given SKUs and locations do not exist, and which SKUs are bundles (they have no
 * stock of their own): one set-based round trip.
 */
export async function findUnknown(
  executor: Executor,
  skus: string[],
  locationIds: string[],
): Promise<{ skus: Set<string>; locations: Set<string>; bundles: Set<string> }> {
  const uniqueSkus = [...new Set(skus)];
  const uniqueLocations = [...new Set(locationIds)];
  const rows = await query<{ kind: 'sku' | 'location' | 'bundle'; v: string }>(
    executor,
    sql`select 'sku' as kind, s.v from jsonb_array_elements_text(${JSON.stringify(uniqueSkus)}::jsonb) as s(v)
        where not exists (select 1 from products p where p.sku = s.v)
        union all
        select 'location', l.v from jsonb_array_elements_text(${JSON.stringify(uniqueLocations)}::jsonb) as l(v)
        where not exists (select 1 from locations x where x.id = l.v)
        union all
        select distinct 'bundle', bundle_sku from product_components where bundle_sku = any(${sql.param(uniqueSkus)}::text[])`,
  );
  return {
    skus: new Set(rows.filter((r) => r.kind === 'sku').map((r) => r.v)),
    locations: new Set(rows.filter((r) => r.kind === 'location').map((r) => r.v)),
    bundles: new Set(rows.filter((r) => r.kind === 'bundle').map((r) => r.v)),
  };
}

/** The problem for unknown references, or undefined when all are known. */
export async function checkReferences(
  executor: Executor,
  skus: string[],
  locationIds: string[],
): Promise<Problem | undefined> {
  const unknown = await findUnknown(executor, skus, locationIds);
  if (unknown.locations.size > 0) {
    return problem('unknown_location', `Unknown location(s): ${[...unknown.locations].join(', ')}.`, {
      location_ids: [...unknown.locations],
    });
  }
  if (unknown.skus.size > 0) {
    return problem(
      'unknown_sku',
      `Unknown SKU(s): ${[...unknown.skus].join(', ')}. Create them with POST /v1/products first.`,
      {
        skus: [...unknown.skus],
      },
    );
  }
  if (unknown.bundles.size > 0) {
    return problem(
      'bundle_not_stocked',
      `SKU(s) ${[...unknown.bundles].join(', ')} are bundles: their stock is their components'. Count, adjust or hold the components.`,
      { skus: [...unknown.bundles] },
    );
  }
  return undefined;
}
