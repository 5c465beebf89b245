import { sql, type SQL } from 'drizzle-orm';
import { bundleLeavesSql } from '../catalog/index.ts';
import { query, type Executor } from '../db/index.ts';

interface LocationAvailability {
  location_id: string;
  available: number;
  on_hand: number;
  reserved: number;
  safety_stock: number;
}

interface SkuAvailability {
  sku: string;
  available: number;
  on_hand: number;
  reserved: number;
  locations: LocationAvailability[];
}

export interface AvailabilityResult {
  data: SkuAvailability[];
  unknown_skus: string[];
}

const AVAILABLE = sql`greatest(s.on_hand - s.reserved - s.safety_stock, 0)`;

/** Stock levels `s` at active locations in scope, for the right side of a left join. */
function levelsInScope(locationIds: string[] | null): SQL {
  const scope = locationIds === null ? null : JSON.stringify(locationIds);
  return sql`(stock_levels s join locations l on l.id = s.location_id and l.active
              ${scope === null ? sql`` : sql`and s.location_id in (select jsonb_array_elements_text(${scope}::jsonb))`})`;
}

interface Row extends LocationAvailability {
  sku: string;
}

/**
 * A bundle's levels: at each active location in scope that holds every leaf component, the whole
 * bundles its components make — `on_hand` from their on-hand units, `available` from their
 * available units (the minimum over components of ⌊units ÷ quantity per bundle⌋). `reserved` is
 * the bundles' worth held back (reserved or safety stock), so that on_hand − reserved = available;
 * a bundle has no safety stock of its own.
 */
async function bundleLevels(executor: Executor, skus: string[], locationIds: string[] | null): Promise<Row[]> {
  return query<Row>(
    executor,
    sql`with recursive ${bundleLeavesSql(sql`select unnest(${sql.param(skus)}::text[])`)}
        select sku, location_id, available, on_hand, on_hand - available as reserved, 0 as safety_stock
        from (select b.bundle_sku as sku, s.location_id, min(s.on_hand / b.quantity)::int as on_hand,
                     min(${AVAILABLE} / b.quantity)::int as available
              from bundle_leaves b join ${levelsInScope(locationIds)} on s.sku = b.component_sku
              group by b.bundle_sku, s.location_id
              having count(*) = (select count(*) from bundle_leaves x where x.bundle_sku = b.bundle_sku)) k
        order by sku, location_id`,
  );
}

/**
 * Up to this many distinct SKUs, a list is an index lookup with = any(array), and the API answers
 * it from `getAvailability`'s rows through the response serializer; a longer one is better as a
 * join, and the API has the database write its body (`getAvailabilityBody`).
 */
export const SHORT_SKU_LIST = 50;

/**
 * Available-to-promise per SKU: max(0, on_hand − reserved − safety_stock) at each active
 * location in scope, and their sum. `locationIds = null` means the whole network. One query.
 */
export async function getAvailability(
  executor: Executor,
  skus: string[],
  locationIds: string[] | null,
): Promise<AvailabilityResult> {
  const unique = [...new Set(skus)];
  const skuJson = JSON.stringify(unique);
  // One round trip: every asked SKU that exists, with its levels in scope (none → zeros).
  const rows = await query<Row & { location_id: string | null }>(
    executor,
    sql`select p.sku, s.location_id, ${AVAILABLE} as available, s.on_hand, s.reserved, s.safety_stock
        from products p
        left join ${levelsInScope(locationIds)} on s.sku = p.sku
        where ${
          // A short list is an index lookup with = any(array); a long one is better as a join.
          unique.length <= SHORT_SKU_LIST
            ? sql`p.sku = any(${sql.param(unique)}::text[])`
            : sql`p.sku in (select jsonb_array_elements_text(${skuJson}::jsonb))`
        }
        order by p.sku, s.location_id`,
    { prepare: true },
  );
  const bySku = new Map<string, SkuAvailability>();
  for (const row of [...rows, ...(await bundleLevels(executor, unique, locationIds))]) {
    let entry = bySku.get(row.sku);
    if (!entry) {
      entry = { sku: row.sku, available: 0, on_hand: 0, reserved: 0, locations: [] };
      bySku.set(row.sku, entry);
    }
    if (row.location_id === null) continue;
    entry.available += row.available;
    entry.on_hand += row.on_hand;
    entry.reserved += row.reserved;
    entry.locations.push({
      location_id: row.location_id,
      available: row.available,
      on_hand: row.on_hand,
      reserved: row.reserved,
      safety_stock: row.safety_stock,
    });
  }
  return { data: unique.flatMap((sku) => bySku.get(sku) ?? []), unknown_skus: unique.filter((sku) => !bySku.has(sku)) };
}

/** A string as a JSON value, written as JSON.stringify writes it (the same escapes). */
const json = (text: SQL) => sql`to_json(${text})::text`;
/** An integer as a JSON number. */
const number = (value: SQL) => sql`(${value})::text`;

/**
 * The body of the availability answer for `skus`, for the most part written by the database:
 * byte for byte what the response serializer writes for `getAvailability`'s result (same keys in
 * the same order, SKUs in the asked order, locations by ID, unknown SKUs last, no whitespace).
 * For a long list this spares Node thousands of level rows to parse, regroup and serialize again:
 * one row per asked SKU comes back, its JSON object already written (or, for an unknown SKU, the
 * SKU alone), and Node only joins them. Levels are joined as in `getAvailability`, then grouped
 * per asked SKU; the list arrives as jsonb, planned as 100 rows whatever its length (per-SKU index
 * lookups, a cost far below the JIT threshold, one generic plan kept across calls).
 */
export async function getAvailabilityBody(
  executor: Executor,
  skus: string[],
  locationIds: string[] | null,
): Promise<string> {
  const unique = [...new Set(skus)];
  if ((await bundleLevels(executor, unique, locationIds)).length > 0) {
    // Bundles' levels are computed from their components; the list is answered as a short one is.
    return JSON.stringify(await getAvailability(executor, unique, locationIds));
  }
  const location = sql`'{"location_id":' || ${json(sql`s.location_id`)} || ',"available":' || ${number(AVAILABLE)}
    || ',"on_hand":' || ${number(sql`s.on_hand`)} || ',"reserved":' || ${number(sql`s.reserved`)}
    || ',"safety_stock":' || ${number(sql`s.safety_stock`)} || '}'`;
  const rows = await query<{ item: string | null; unknown: string | null }>(
    executor,
    sql`select case when p.sku is not null then
                 '{"sku":' || ${json(sql`p.sku`)}
                 || ',"available":' || ${number(sql`coalesce(sum(${AVAILABLE}), 0)`)}
                 || ',"on_hand":' || ${number(sql`coalesce(sum(s.on_hand), 0)`)}
                 || ',"reserved":' || ${number(sql`coalesce(sum(s.reserved), 0)`)}
                 || ',"locations":[' || coalesce(string_agg(${location}, ',' order by s.location_id), '') || ']}'
               end as item,
               case when p.sku is null then a.sku end as unknown
        from jsonb_array_elements_text(${JSON.stringify(unique)}::jsonb) with ordinality as a(sku, ord)
        left join products p on p.sku = a.sku
        left join ${levelsInScope(locationIds)} on s.sku = p.sku
        group by a.ord, a.sku, p.sku
        order by a.ord`,
    { prepare: true },
  );
  const data: string[] = [];
  const unknown: string[] = [];
  for (const row of rows) {
    if (row.item !== null) data.push(row.item);
    else unknown.push(JSON.stringify(row.unknown));
  }
  return `{"data":[${data.join(',')}],"unknown_skus":[${unknown.join(',')}]}`;
}
