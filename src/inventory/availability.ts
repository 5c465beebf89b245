import { sql } from 'drizzle-orm';
import { query, type Executor } from '../db/index.ts';

export interface LocationAvailability {
  location_id: string;
  available: number;
  on_hand: number;
  reserved: number;
  safety_stock: number;
}

export interface SkuAvailability {
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

interface Row extends LocationAvailability {
  sku: string;
}

const SHORT_LIST = 50;

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
  const scope = locationIds === null ? null : JSON.stringify(locationIds);
  // One round trip: every asked SKU that exists, with its levels in scope (none → zeros).
  const rows = await query<Row & { location_id: string | null }>(
    executor,
    sql`select p.sku, s.location_id, greatest(s.on_hand - s.reserved - s.safety_stock, 0) as available,
               s.on_hand, s.reserved, s.safety_stock
        from products p
        left join (stock_levels s join locations l on l.id = s.location_id and l.active
                   ${scope === null ? sql`` : sql`and s.location_id in (select jsonb_array_elements_text(${scope}::jsonb))`})
          on s.sku = p.sku
        where ${
          // A short list is an index lookup with = any(array); a long one is better as a join.
          unique.length <= SHORT_LIST
            ? sql`p.sku = any(${sql.param(unique)}::text[])`
            : sql`p.sku in (select jsonb_array_elements_text(${skuJson}::jsonb))`
        }
        order by p.sku, s.location_id`,
    { prepare: true },
  );
  const bySku = new Map<string, SkuAvailability>();
  for (const row of rows) {
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
