import { sql } from 'drizzle-orm';
import { query, type Executor } from '../db/index.ts';
import type { StockRow } from './low-stock.ts';
import { locationInScope, shipmentsInScope, type ReportScope } from './scope.ts';

export const DEFAULT_OVERSTOCK_DAYS = 90;
/** Each stock-health list stops here; the worst rows come first. */
const STOCK_HEALTH_ROW_LIMIT = 200;

/** Units shipped from each location in the scope ÷ what it has on hand now. */
export async function inventoryTurnover(executor: Executor, scope: ReportScope) {
  const rows = await query<{
    location_id: string;
    location_name: string;
    units_shipped: number;
    on_hand: number;
    turnover: number | null;
  }>(
    executor,
    sql`with shipped as (
          select s.location_id, sum(sl.quantity) as units
          from shipments s join shipment_lines sl on sl.shipment_id = s.id
          where ${shipmentsInScope(scope)}
          group by s.location_id
        ), stock as (
          select location_id, sum(on_hand) as on_hand from stock_levels group by location_id
        )
        select l.id as location_id, l.name as location_name, coalesce(sh.units, 0)::int as units_shipped,
               coalesce(st.on_hand, 0)::int as on_hand,
               round(coalesce(sh.units, 0)::numeric / nullif(st.on_hand, 0), 4)::float8 as turnover
        from locations l
        left join shipped sh on sh.location_id = l.id
        left join stock st on st.location_id = l.id
        where (l.active or sh.units is not null) and ${locationInScope(scope, sql`l.id`)}
        order by l.name, l.id`,
  );
  return { rows };
}

/**
 * Stock-outs (nothing available to promise) and overstock (more days of cover than
 * `overstockDays` at the scope's rate of sale, or stock that did not sell at all).
 */
export async function stockHealth(executor: Executor, scope: ReportScope, overstockDays: number) {
  const levels = sql`sold as (
      select s.location_id, sl.sku, sum(sl.quantity) as units
      from shipments s join shipment_lines sl on sl.shipment_id = s.id
      where ${shipmentsInScope(scope)}
      group by s.location_id, sl.sku
    ), levels as (
      select st.sku, p.name as product_name, st.location_id, l.name as location_name, st.on_hand, st.reserved,
             st.safety_stock, greatest(st.on_hand - st.reserved - st.safety_stock, 0) as available,
             st.on_hand - st.reserved - st.safety_stock as free, coalesce(sold.units, 0)::int as units_sold
      from stock_levels st
      join products p on p.sku = st.sku
      join locations l on l.id = st.location_id
      left join sold on sold.location_id = st.location_id and sold.sku = st.sku
      where p.active and l.active and ${locationInScope(scope, sql`st.location_id`)}
    )`;
  const columns = sql`sku, product_name, location_id, location_name, on_hand, reserved, safety_stock, available`;
  const stockOuts = await query<StockRow>(
    executor,
    sql`with ${levels}
        select ${columns} from levels where available = 0
        order by free, sku, location_name, location_id
        limit ${STOCK_HEALTH_ROW_LIMIT}`,
  );
  const overstock = await query<StockRow & { units_sold: number; days_of_cover: number | null }>(
    executor,
    sql`with ${levels}
        select ${columns}, units_sold,
               round(available::numeric * ${scope.days}::int / nullif(units_sold, 0), 2)::float8 as days_of_cover
        from levels
        where available > 0 and (units_sold = 0 or available * ${scope.days}::int > ${overstockDays}::int * units_sold)
        order by days_of_cover desc nulls first, available desc, sku, location_name, location_id
        limit ${STOCK_HEALTH_ROW_LIMIT}`,
  );
  return { overstock_days: overstockDays, stock_outs: stockOuts, overstock };
}
