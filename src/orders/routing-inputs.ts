import { sql, type SQL } from 'drizzle-orm';
import { bundleLeavesSql } from '../catalog/index.ts';
import { query, queryOne, type Executor } from '../db/index.ts';
import type { ShippingAddress } from './schemas.ts';

/** What the planner needs to know about one order, read from its rows. */
export interface OrderForRouting {
  id: string;
  channel_id: string;
  /** The channel's code, by which rate tables may name it. */
  channel_code: string | null;
  /** The currency the order (its channel) sells in. */
  currency: string;
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
  /** False for an order imported as it was (never routed); absent for an order being captured. */
  managed?: boolean;
}

export interface OpenLine {
  line_id: string;
  sku: string;
  /** Units still to be placed: ordered − cancelled − allocated − shipped. */
  need: number;
  weight_grams: number;
  allow_backorder: boolean;
  /** The location the order names for the line: it is routed there only. */
  ship_from_location_id: string | null;
}

export async function loadOrderForRouting(executor: Executor, orderId: string): Promise<OrderForRouting | undefined> {
  return queryOne<OrderForRouting>(
    executor,
    sql`select id, channel_id, (select code from channels c where c.id = o.channel_id) as channel_code, currency, delivery_method, pickup_location_id, allow_ship_fallback, destination_latitude, destination_longitude,
               shipping_address, placed_at, created_at, managed, exists (select 1 from order_holds h where h.order_id = o.id and h.released_at is null) as on_hold
        from orders o where id = ${orderId}`,
  );
}

export async function loadOpenLines(executor: Executor, orderId: string): Promise<OpenLine[]> {
  return query<OpenLine>(
    executor,
    sql`select l.line_id, l.sku, l.quantity - l.cancelled - l.allocated - l.shipped as need,
               coalesce(p.weight_grams, 0) as weight_grams, coalesce(p.allow_backorder, false) or ${preorderOpen('l.sku')} as allow_backorder,
               l.ship_from_location_id
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
 * The routing candidates of an order: the locations holding available stock (on hand − reserved −
 * safety stock > 0) of one of `skus` or of a leaf component of one of them, the store the order
 * names for pickup or curbside (`pickupLocationId`) and the locations its lines name to ship from
 * (`shipFromIds`) — these matter even without stock, so the explanation can say why — each
 * with whether the order's channel (`channelId`: an ID, or SQL yielding one) may sell from it and
 * how much of today's capacity (fulfillment orders created today in the location's own time zone)
 * is used. A location holding none of the SKUs cannot take a unit, so leaving it out changes no
 * decision, and the cost of a decision follows the stock holders, not the size of the network.
 */
export const candidatesSql = (
  channelId: string | SQL,
  skus: string[],
  pickupLocationId: string | null,
  shipFromIds: readonly string[] = [],
) => {
  const asked = sql.param([...new Set(skus)]);
  // An array, not a subquery: each SKU is then looked up in its index (see stockSql).
  return sql`with recursive ${bundleLeavesSql(sql`select unnest(${asked}::text[])`)},
      held as (
        select distinct location_id from stock_levels
        where sku = any(array(select unnest(${asked}::text[]) union select component_sku from bundle_leaves))
          and on_hand - reserved - safety_stock > 0)
      select l.id, l.name, l.type, l.latitude, l.longitude, l.timezone, l.capabilities, l.daily_capacity, l.cutoff_time, l.priority, l.active,
             exists (select 1 from channels c join location_group_members m on m.group_id = c.location_group_id
                     where c.id = ${channelId} and m.location_id = l.id) as in_channel_group,
             -- Only a location with a daily capacity needs today's count.
             case when l.daily_capacity is null then 0 else
               (select count(*) from fulfillment_orders f
                where f.location_id = l.id and f.status not in ('rejected', 'cancelled')
                  and f.created_at >= (date_trunc('day', now() at time zone l.timezone) at time zone l.timezone))::int
             end as capacity_used_today
      from locations l
      where l.id in (select location_id from held) or l.id = ${pickupLocationId}
         or l.id = any(${sql.param([...new Set(shipFromIds)])}::text[])
      order by l.id`;
};

/** How many locations the location group of the channel (an ID, or SQL yielding one) has, as `locations`. */
export const groupSizeSql = (channelId: string | SQL) =>
  sql`select count(*)::int as locations from channels c join location_group_members m on m.group_id = c.location_group_id
      where c.id = ${channelId}`;

/** An order's routing candidates (see `candidatesSql`) and how many locations of the channel's group are left out. */
export interface CandidateSet {
  candidates: CandidateRow[];
  /** Locations of the channel's group that are not candidates: they hold none of the order's SKUs. */
  omitted: number;
}

/** The candidates, given the size of the channel's group: every group member not among them is omitted. */
export function candidateSet(candidates: CandidateRow[], groupSize: number): CandidateSet {
  let inGroup = 0;
  for (const row of candidates) if (row.in_channel_group) inGroup += 1;
  return { candidates, omitted: Math.max(0, groupSize - inGroup) };
}

/** Reads an order's routing candidates (`candidatesSql`) and counts the rest of the channel's group. */
export async function loadCandidates(
  executor: Executor,
  channelId: string,
  skus: string[],
  pickupLocationId: string | null,
  shipFromIds: readonly string[],
): Promise<CandidateSet> {
  const candidates = await query<CandidateRow>(executor, candidatesSql(channelId, skus, pickupLocationId, shipFromIds));
  const group = await queryOne<{ locations: number }>(executor, groupSizeSql(channelId));
  return candidateSet(candidates, group?.locations ?? 0);
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
