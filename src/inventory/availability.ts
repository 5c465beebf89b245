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
  const [rows, known] = await Promise.all([
    query<Row>(
      executor,
      sql`select s.sku, s.location_id, greatest(s.on_hand - s.reserved - s.safety_stock, 0) as available,
                 s.on_hand, s.reserved, s.safety_stock
          from stock_levels s
          join locations l on l.id = s.location_id and l.active
          where s.sku in (select jsonb_array_elements_text(${skuJson}::jsonb))
          ${scope === null ? sql`` : sql`and s.location_id in (select jsonb_array_elements_text(${scope}::jsonb))`}
          order by s.sku, s.location_id`,
    ),
    query<{ sku: string }>(
      executor,
      sql`select sku from products where sku in (select jsonb_array_elements_text(${skuJson}::jsonb))`,
    ),
  ]);
  const bySku = new Map<string, SkuAvailability>();
  const knownSkus = new Set(known.map((r) => r.sku));
  for (const sku of unique) {
    if (knownSkus.has(sku)) bySku.set(sku, { sku, available: 0, on_hand: 0, reserved: 0, locations: [] });
  }
  for (const row of rows) {
    const entry = bySku.get(row.sku);
    if (!entry) continue;
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
  return { data: [...bySku.values()], unknown_skus: unique.filter((s) => !knownSkus.has(s)) };
}
