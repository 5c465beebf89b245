import { sql } from 'drizzle-orm';
import { query, type Executor } from '../db/index.ts';
import { everyDay, ordersInScope, type ReportScope } from './scope.ts';

interface ChannelTotal {
  channel_id: string;
  channel_name: string;
  currency: string;
  orders: number;
  revenue_minor: number;
}

interface DayRow extends ChannelTotal {
  day: string;
}

/** Orders cancelled as a whole count neither as orders nor as revenue. */
const notCancelled = sql`o.status <> 'cancelled'`;

/** Orders and revenue per channel and currency over the scope, most orders first. */
async function channelTotals(executor: Executor, scope: ReportScope): Promise<ChannelTotal[]> {
  return query<ChannelTotal>(
    executor,
    sql`select o.channel_id, c.name as channel_name, o.currency, count(*)::int as orders,
               sum(o.total_minor)::bigint as revenue_minor
        from orders o join channels c on c.id = o.channel_id
        where ${ordersInScope(scope)} and ${notCancelled}
        group by o.channel_id, c.name, o.currency
        order by orders desc, revenue_minor desc, channel_name, o.channel_id, o.currency`,
  );
}

/**
 * One row per UTC day × channel × currency with at least one order; and every day of the scope
 * with its orders over all channels, zero on a day without any.
 */
export async function ordersPerDay(executor: Executor, scope: ReportScope) {
  const rows = await query<DayRow>(
    executor,
    sql`select to_char(o.placed_at at time zone 'UTC', 'YYYY-MM-DD') as day, o.channel_id, c.name as channel_name,
               o.currency, count(*)::int as orders, sum(o.total_minor)::bigint as revenue_minor
        from orders o join channels c on c.id = o.channel_id
        where ${ordersInScope(scope)} and ${notCancelled}
        group by 1, o.channel_id, c.name, o.currency
        order by day, channel_name, o.channel_id, o.currency`,
  );
  const perDay = new Map<string, number>();
  for (const row of rows) perDay.set(row.day, (perDay.get(row.day) ?? 0) + row.orders);
  const days = everyDay(scope).map((day) => ({ day, orders: perDay.get(day) ?? 0 }));
  return { days, rows, totals: await channelTotals(executor, scope) };
}

export async function topChannels(executor: Executor, scope: ReportScope) {
  const totals = await channelTotals(executor, scope);
  return {
    rows: totals.map((t) => ({
      channel_id: t.channel_id,
      channel_name: t.channel_name,
      orders: t.orders,
      revenue_minor: t.revenue_minor,
      currency: t.currency,
    })),
  };
}
