import { sql, type SQL } from 'drizzle-orm';
import { query, queryOne, type Executor } from '../db/index.ts';
import type { StockRow } from './low-stock.ts';
import { locationInScope, shipmentsInScope, type ReportScope } from './scope.ts';

export const DEFAULT_OVERSTOCK_DAYS = 90;
/** Each stock-health list stops here; the worst rows come first. */
const STOCK_HEALTH_ROW_LIMIT = 200;

/**
 * Units shipped per location and SKU in the scope (`sold`), as a CTE. Shipment lines are read by
 * the range of the scope's shipment IDs: IDs follow creation, so that range holds about the
 * scope's days, however long the history (a join on shipment_id would read every line ever shipped).
 */
function soldInScope(scope: ReportScope): SQL {
  return sql`scoped_shipments as materialized (
      select s.id, s.location_id from shipments s where ${shipmentsInScope(scope)}
    ), shipment_bounds as (
      select min(id) as low, max(id) as high from scoped_shipments
    ), sold as (
      select ss.location_id, sl.sku, sum(sl.quantity) as units
      from shipment_lines sl
      join shipment_bounds b on sl.shipment_id between b.low and b.high
      join scoped_shipments ss on ss.id = sl.shipment_id
      group by ss.location_id, sl.sku
    )`;
}

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
    sql`with ${soldInScope(scope)}, shipped as (
          select location_id, sum(units) as units from sold group by location_id
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

/** A level's free stock: on hand less reserved and safety stock; below zero when oversold or held back. */
const FREE = sql`(st.on_hand - st.reserved - st.safety_stock)`;

const STOCK_COLUMNS = sql`st.sku, p.name as product_name, st.location_id, l.name as location_name, st.on_hand, st.reserved,
  st.safety_stock, greatest(${FREE}, 0) as available`;

/** Levels of active products at the scope's active locations: `st` with its product `p` and location `l`. */
const located = (scope: ReportScope) => sql`join products p on p.sku = st.sku and p.active
    join locations l on l.id = st.location_id and l.active and ${locationInScope(scope, sql`st.location_id`)}`;

/**
 * Every overstocked level (free stock that did not sell in the scope, or more days of cover than
 * `overstockDays`), as the CTE `overstock` with its sort key: unsold first, then the most days of
 * cover, the most available, SKU and location.
 */
function overstockSql(scope: ReportScope, overstockDays: number, locationId?: string): SQL {
  return sql`${soldInScope(scope)}, overstock as (
      select ${STOCK_COLUMNS}, coalesce(sold.units, 0)::int as units_sold,
             round(${FREE}::numeric * ${scope.days}::int / sold.units, 2)::float8 as days_of_cover,
             (sold.units is not null)::int as sold_rank
      from stock_levels st ${located(scope)}
      left join sold on sold.location_id = st.location_id and sold.sku = st.sku
      where ${FREE} > 0
        and (sold.units is null or ${FREE} * ${scope.days}::int > ${overstockDays}::int * sold.units)
        ${locationId ? sql`and st.location_id = ${locationId}` : sql``}
    )`;
}

/** The sort key of an overstock row, as the cursor of its page. */
export type OverstockKey = [number, number, number, string, string];
const overstockKey = sql`(o.sold_rank, -coalesce(o.days_of_cover, 0), -o.available, o.sku, o.location_id)`;

/** One page of the overstock list, with the number of levels on all pages. */
export async function listOverstock(
  executor: Executor,
  scope: ReportScope,
  filter: { overstockDays: number; locationId?: string | undefined; after?: OverstockKey | undefined; limit: number },
) {
  const after = filter.after;
  const rows = await query<OverstockRow & { sold_rank: number }>(
    executor,
    sql`with ${overstockSql(scope, filter.overstockDays, filter.locationId)}
        select o.* from overstock o
        ${after ? sql`where ${overstockKey} > (${after[0]}::int, ${after[1]}::float8, ${after[2]}::int, ${after[3]}::text, ${after[4]}::text)` : sql``}
        order by ${overstockKey}
        limit ${filter.limit}`,
  );
  return {
    total: await countOverstock(executor, scope, filter.overstockDays, filter.locationId),
    rows: rows.map(({ sold_rank: _rank, ...row }) => row),
    keys: rows.map((r): OverstockKey => [r.sold_rank, -(r.days_of_cover ?? 0), -r.available, r.sku, r.location_id]),
  };
}

async function countOverstock(executor: Executor, scope: ReportScope, overstockDays: number, locationId?: string) {
  const row = await queryOne<{ total: number }>(
    executor,
    sql`with ${overstockSql(scope, overstockDays, locationId)} select count(*)::int as total from overstock`,
  );
  return row?.total ?? 0;
}

/**
 * Stock-outs (nothing available to promise) and overstock (more days of cover than
 * `overstockDays` at the scope's rate of sale, or stock that did not sell at all), worst first;
 * each list capped, with the number of levels it holds uncapped.
 */
export async function stockHealth(executor: Executor, scope: ReportScope, overstockDays: number) {
  const stockOuts = await query<StockRow>(
    executor,
    sql`select ${STOCK_COLUMNS} from stock_levels st ${located(scope)}
        where ${FREE} <= 0
        order by ${FREE}, st.sku, l.name, st.location_id
        limit ${STOCK_HEALTH_ROW_LIMIT}`,
  );
  const stockOutsTotal = await queryOne<{ total: number }>(
    executor,
    sql`select count(*)::int as total from stock_levels st ${located(scope)} where ${FREE} <= 0`,
  );
  const unsold = await unsoldStock(executor, scope);
  const sold =
    unsold.length < STOCK_HEALTH_ROW_LIMIT
      ? await query<OverstockRow>(
          executor,
          sql`with ${soldInScope(scope)}
              select ${STOCK_COLUMNS}, sold.units::int as units_sold,
                     round(${FREE}::numeric * ${scope.days}::int / sold.units, 2)::float8 as days_of_cover
              from sold join stock_levels st on st.location_id = sold.location_id and st.sku = sold.sku ${located(scope)}
              where ${FREE} > 0
                and ${FREE} * ${scope.days}::int > ${overstockDays}::int * sold.units
              order by days_of_cover desc, available desc, st.sku, l.name, st.location_id
              limit ${STOCK_HEALTH_ROW_LIMIT - unsold.length}`,
        )
      : [];
  return {
    overstock_days: overstockDays,
    stock_outs: stockOuts,
    stock_outs_total: stockOutsTotal?.total ?? 0,
    overstock: [...unsold, ...sold],
    overstock_total: await countOverstock(executor, scope, overstockDays),
  };
}

type OverstockRow = StockRow & { units_sold: number; days_of_cover: number | null };

/**
 * Overstock that did not sell in the scope: the most available first (their days of cover have
 * no end). Most of a large catalogue's levels are here, so the levels are ranked in one pass with
 * plain filters, by available and SKU, keeping enough rows (the list, one per location for ties
 * on both, and every level that sold) for the exact order by location name once joined.
 */
async function unsoldStock(executor: Executor, scope: ReportScope): Promise<OverstockRow[]> {
  const locations = await query<{ id: string }>(
    executor,
    sql`select l.id from locations l where l.active and ${locationInScope(scope, sql`l.id`)}`,
  );
  const inactive = await query<{ sku: string }>(executor, sql`select sku from products where not active`);
  return query<OverstockRow>(
    executor,
    sql`with ${soldInScope(scope)}, ranked as (
          select st.sku, st.location_id, st.on_hand, st.reserved, st.safety_stock
          from stock_levels st
          where ${FREE} > 0
            and st.location_id = any(${sql.param(locations.map((l) => l.id))}::text[])
            and not (st.sku = any(${sql.param(inactive.map((p) => p.sku))}::text[]))
          order by ${FREE} desc, st.sku, st.location_id
          limit ${STOCK_HEALTH_ROW_LIMIT + locations.length}::int + (select count(*) from sold)
        )
        select ${STOCK_COLUMNS}, 0 as units_sold, null::float8 as days_of_cover
        from ranked st join products p on p.sku = st.sku join locations l on l.id = st.location_id
        where not exists (select 1 from sold where sold.location_id = st.location_id and sold.sku = st.sku)
        order by available desc, st.sku, l.name, st.location_id
        limit ${STOCK_HEALTH_ROW_LIMIT}`,
  );
}
