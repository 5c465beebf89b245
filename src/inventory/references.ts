import { sql } from 'drizzle-orm';
import { query, type Executor } from '../db/index.ts';
import { problem, type Problem } from '../shared/problem.ts';

/** Which of the given SKUs and locations do not exist; one round trip each, set-based. */
export async function findUnknown(
  executor: Executor,
  skus: string[],
  locationIds: string[],
): Promise<{ skus: Set<string>; locations: Set<string> }> {
  const uniqueSkus = [...new Set(skus)];
  const uniqueLocations = [...new Set(locationIds)];
  const [knownSkus, knownLocations] = await Promise.all([
    uniqueSkus.length
      ? query<{ v: string }>(
          executor,
          sql`select sku as v from products where sku in (select jsonb_array_elements_text(${JSON.stringify(uniqueSkus)}::jsonb))`,
        )
      : [],
    uniqueLocations.length
      ? query<{ v: string }>(
          executor,
          sql`select id as v from locations where id in (select jsonb_array_elements_text(${JSON.stringify(uniqueLocations)}::jsonb))`,
        )
      : [],
  ]);
  const skuSet = new Set(knownSkus.map((r) => r.v));
  const locationSet = new Set(knownLocations.map((r) => r.v));
  return {
    skus: new Set(uniqueSkus.filter((s) => !skuSet.has(s))),
    locations: new Set(uniqueLocations.filter((l) => !locationSet.has(l))),
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
  return undefined;
}
