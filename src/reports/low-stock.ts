import { sql, type SQL } from 'drizzle-orm';
import { query, queryOne, type Executor } from '../db/index.ts';

/** Without a threshold, a level is low when its free stock is within 5 units of its safety stock. */
export const DEFAULT_LOW_STOCK_THRESHOLD = 5;

interface LowStockFilter {
  threshold: number;
  locationId?: string | undefined;
  after?: { available: number; sku: string; locationId: string } | undefined;
  limit: number;
}

/** One stock level as the stock lists show it. */
export interface StockRow {
  sku: string;
  product_name: string;
  location_id: string;
  location_name: string;
  on_hand: number;
  reserved: number;
  safety_stock: number;
  available: number;
}

const available = sql`greatest(st.on_hand - st.reserved - st.safety_stock, 0)`;

/** The levels of the low-stock list: active SKUs at active locations (or one of them) at or under the threshold. */
function lowStockLevels(filter: Omit<LowStockFilter, 'after' | 'limit'>): SQL {
  return sql`from stock_levels st
        join products p on p.sku = st.sku
        join locations l on l.id = st.location_id
        where p.active and l.active and ${available} <= ${filter.threshold}::int
          ${filter.locationId ? sql`and st.location_id = ${filter.locationId}` : sql``}`;
}

/** Active SKUs at active locations with at most `threshold` available to promise, emptiest first. */
export async function listLowStock(executor: Executor, filter: LowStockFilter): Promise<StockRow[]> {
  return query<StockRow>(
    executor,
    sql`select st.sku, p.name as product_name, st.location_id, l.name as location_name, st.on_hand, st.reserved,
               st.safety_stock, ${available} as available
        ${lowStockLevels(filter)}
          ${
            filter.after
              ? sql`and (${available}, st.sku, st.location_id) > (${filter.after.available}::int, ${filter.after.sku}::text, ${filter.after.locationId}::text)`
              : sql``
          }
        order by ${available}, st.sku, st.location_id
        limit ${filter.limit}`,
  );
}

/** How many levels the low-stock list holds over all its pages. */
export async function countLowStock(executor: Executor, filter: Omit<LowStockFilter, 'after' | 'limit'>) {
  const row = await queryOne<{ total: number }>(executor, sql`select count(*)::int as total ${lowStockLevels(filter)}`);
  return row?.total ?? 0;
}
