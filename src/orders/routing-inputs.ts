import { sql, type SQL } from 'drizzle-orm';
import { bundleLeavesSql } from '../catalog/index.ts';
import { query, queryOne, type Executor } from '../db/index.ts';
import type { ShippingAddress } from './schemas.ts';

/** What the planner needs to know about one order, read from its rows. */
export interface OrderForRouting {
  id: string;
  channel_id: string;
  delivery_method: 'ship' | 'pickup' | 'curbside';
  pickup_location_id: string | null;
  allow_ship_fallback: boolean;
  destination_latitude: number | null;
  destination_longitude: number | null;
  /** Null for an order without one (pickup, or none given). */
  shipping_address: ShippingAddress | null;
  placed_at: string;
  /** When Consign received the order (its row was written). */
  created_at: string;
  on_hold: boolean;
}

export interface OpenLine {
  line_id: string;
  sku: string;
  /** Units still to be placed: ordered − cancelled − allocated − shipped. */
  need: number;
  weight_grams: number;
  allow_backorder: boolean;
}

export async function loadOrderForRouting(executor: Executor, orderId: string): Promise<OrderForRouting | undefined> {
  return queryOne<OrderForRouting>(
    executor,
    sql`select id, channel_id, delivery_method, pickup_location_id, allow_ship_fallback, destination_latitude, destination_longitude,
               shipping_address, placed_at, created_at, exists (select 1 from order_holds h where h.order_id = o.id and h.released_at is null) as on_hold
        from orders o where id = ${orderId}`,
  );
}

export async function loadOpenLines(executor: Executor, orderId: string): Promise<OpenLine[]> {
  return query<OpenLine>(
    executor,
    sql`select l.line_id, l.sku, l.quantity - l.cancelled - l.allocated - l.shipped as need,
               coalesce(p.weight_grams, 0) as weight_grams, coalesce(p.allow_backorder, false) or ${preorderOpen('l.sku')} as allow_backorder
        from order_lines l left join products p on p.sku = l.sku
        where l.order_id = ${orderId} and l.quantity - l.cancelled - l.allocated - l.shipped > 0
        order by l.line_no`,
  );
}

/** A SKU (column) on pre-order: its shortfall may wait for supply, up to its cap (`checkPreorderCaps`). */
export const preorderOpen = (skuColumn: string) =>
  sql`exists (select 1 from product_preorders pp where pp.sku = ${sql.raw(skuColumn)} and pp.enabled)`;

export interface CandidateRow {
  id: string;
  name: string;
  type: string;
  latitude: number | null;
  longitude: number | null;
  timezone: string;
  capabilities: string[];
  daily_capacity: number | null;
  capacity_used_today: number;
  cutoff_time: string | null;
  priority: number;
  in_channel_group: boolean;
  active: boolean;
}

/**
 * Every location, with whether the order's channel (`channelId`: an ID, or SQL yielding one) may
 * sell from it and how much of today's capacity (fulfillment orders created today in the
 * location's own time zone) is used.
 */
export const candidatesSql = (channelId: string | SQL) =>
  sql`select l.id, l.name, l.type, l.latitude, l.longitude, l.timezone, l.capabilities, l.daily_capacity, l.cutoff_time, l.priority, l.active,
             exists (select 1 from channels c join location_group_members m on m.group_id = c.location_group_id
                     where c.id = ${channelId} and m.location_id = l.id) as in_channel_group,
             -- Only a location with a daily capacity needs today's count.
             case when l.daily_capacity is null then 0 else
               (select count(*) from fulfillment_orders f
                where f.location_id = l.id and f.status not in ('rejected', 'cancelled')
                  and f.created_at >= (date_trunc('day', now() at time zone l.timezone) at time zone l.timezone))::int
             end as capacity_used_today
      from locations l
      order by l.id`;

export async function loadCandidates(executor: Executor, channelId: string): Promise<CandidateRow[]> {
  return query<CandidateRow>(executor, candidatesSql(channelId), { prepare: true });
}

export interface StockLevelRow {
  location_id: string;
  sku: string;
  available: number;
}

/**
 * Available-to-promise now for the order's SKUs at the given locations (IDs, or SQL selecting
 * them). Arrays, not a JSON list in a subquery: the planner then looks the few SKUs up in their
 * index instead of scanning. Not a prepared statement: a generic plan cannot see how few SKUs
 * are asked and scans the table. A bundle is available at a location as whole bundles of its
 * leaf components there (the minimum over them of ⌊available ÷ units per bundle⌋), so routing
 * places a bundle's units at one location each, like any SKU's.
 */
export const stockSql = (skus: string[], locationIds: string[] | SQL) => {
  const asked = sql.param([...new Set(skus)]);
  const at = (column: SQL) =>
    Array.isArray(locationIds)
      ? sql`${column} = any(${sql.param(locationIds)}::text[])`
      : sql`${column} in (${locationIds})`;
  return sql`with recursive ${bundleLeavesSql(sql`select unnest(${asked}::text[])`)}
      select location_id, sku, greatest(on_hand - reserved - safety_stock, 0) as available
      from stock_levels
      where sku = any(${asked}::text[]) and ${at(sql`location_id`)} and on_hand - reserved - safety_stock > 0
      union all
      select s.location_id, b.bundle_sku, min(greatest(s.on_hand - s.reserved - s.safety_stock, 0) / b.quantity)::int
      from bundle_leaves b join stock_levels s on s.sku = b.component_sku and ${at(sql`s.location_id`)}
      group by s.location_id, b.bundle_sku
      having count(*) = (select count(*) from bundle_leaves x where x.bundle_sku = b.bundle_sku)
         and min(greatest(s.on_hand - s.reserved - s.safety_stock, 0) / b.quantity) > 0`;
};

export async function loadStock(executor: Executor, skus: string[], locationIds: string[]): Promise<StockLevelRow[]> {
  return query<StockLevelRow>(executor, stockSql(skus, locationIds));
}
