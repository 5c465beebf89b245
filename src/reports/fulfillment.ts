import { sql, type SQL } from 'drizzle-orm';
import { queryOne, type Executor } from '../db/index.ts';
import { ordersInScope, type ReportScope } from './scope.ts';

export const DEFAULT_SLA_HOURS = 48;

interface FulfillmentFigures {
  orders: number;
  shipped_orders: number;
  fulfillment_rate: number | null;
  avg_hours_to_ship: number | null;
  p90_hours_to_ship: number | null;
  sla_hours: number;
  sla_hit_rate: number | null;
  split_shipment_rate: number | null;
  cancellation_rate: number | null;
  return_rate: number | null;
}

/** `n ÷ d` as a fraction rounded to 4 decimals; null when nothing is in the denominator. */
const rate = (n: SQL, d: SQL) => sql`round((${n})::numeric / nullif(${d}, 0), 4)::float8`;

/**
 * The fulfillment figures of the orders placed in the scope, per order from its line buckets
 * and its shipments (definitions: docs/reports.md).
 */
export async function fulfillmentReport(
  executor: Executor,
  scope: ReportScope,
  slaHours: number,
): Promise<FulfillmentFigures> {
  const row = await queryOne<Omit<FulfillmentFigures, 'sla_hours'>>(
    executor,
    // The orders' lines and shipments are read by a range of order IDs, the scope's lowest to its
    // highest: IDs follow creation, so that range holds about the scope's days of history, however
    // long the history is (a join on order_id would read every line and shipment ever written).
    sql`with scoped as materialized (
          select o.id, o.placed_at from orders o where ${ordersInScope(scope)}
        ), bounds as (
          select min(id) as low, max(id) as high from scoped
        ), lines as (
          select l.order_id, sum(l.quantity) as units, sum(l.cancelled) as cancelled, sum(l.shipped) as shipped,
                 sum(l.delivered) as delivered, sum(l.returned) as returned
          from order_lines l join bounds b on l.order_id between b.low and b.high
          group by l.order_id
        ), shipped as (
          select s.order_id, min(s.shipped_at) as first_shipped_at, count(*) as shipments,
                 count(distinct s.location_id) as locations
          from shipments s join bounds b on s.order_id between b.low and b.high
          group by s.order_id
        ), per_order as (
          select scoped.placed_at, l.units, l.cancelled, l.shipped, l.delivered, l.returned, sh.shipments, sh.locations,
                 sh.first_shipped_at is not null as has_shipped,
                 extract(epoch from (sh.first_shipped_at - scoped.placed_at)) / 3600 as hours_to_ship,
                 l.cancelled < l.units as live
          from scoped join lines l on l.order_id = scoped.id left join shipped sh on sh.order_id = scoped.id
        )
        select count(*)::int as orders,
               count(*) filter (where has_shipped)::int as shipped_orders,
               ${rate(sql`count(*) filter (where live and shipped >= units - cancelled)`, sql`count(*) filter (where live)`)} as fulfillment_rate,
               round(avg(hours_to_ship), 2)::float8 as avg_hours_to_ship,
               round((percentile_cont(0.9) within group (order by hours_to_ship::float8))::numeric, 2)::float8 as p90_hours_to_ship,
               ${rate(
                 sql`count(*) filter (where hours_to_ship <= ${slaHours}::int)`,
                 sql`count(*) filter (where has_shipped or (live and placed_at + make_interval(hours => ${slaHours}::int) < now()))`,
               )} as sla_hit_rate,
               ${rate(sql`count(*) filter (where shipments > 1 or locations > 1)`, sql`count(*) filter (where has_shipped)`)} as split_shipment_rate,
               ${rate(sql`count(*) filter (where cancelled > 0)`, sql`count(*)`)} as cancellation_rate,
               ${rate(sql`coalesce(sum(returned), 0)`, sql`coalesce(sum(delivered), 0)`)} as return_rate
        from per_order`,
  );
  if (!row) throw new Error('an aggregate without group by returns one row');
  const { orders, shipped_orders, fulfillment_rate, avg_hours_to_ship, p90_hours_to_ship, ...rates } = row;
  return {
    orders,
    shipped_orders,
    fulfillment_rate,
    avg_hours_to_ship,
    p90_hours_to_ship,
    sla_hours: slaHours,
    ...rates,
  };
}
