import { sql, type SQL } from 'drizzle-orm';
import { query, toIso, type Executor } from '../db/index.ts';
import { activeRules, decisionText, slaDueSql } from '../routing/index.ts';

/** Orders still to be shipped or handed over: their SLA can run out. */
const UNFINISHED = ['created', 'confirmed', 'in_process', 'partially_shipped'];
/** What makes an order need someone's attention, as `needs_attention` and the `attention` list name it. */
const attentionReasons = ['on_hold', 'routing_failed', 'backordered', 'late'] as const;

export interface OrderFilter {
  status?: string[] | undefined;
  channelId?: string | undefined;
  email?: string | undefined;
  sku?: string | undefined;
  locationId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  text?: string | undefined;
  /** Orders that carry this tag. */
  tag?: string | undefined;
  /** On hold, back-ordered, routing failed, or late (unfinished past its channel's SLA): any of them. */
  needsAttention?: boolean | undefined;
  /**
   * The last order ID seen. Newest first: by ID (creation), or, in a date window, by placed date
   * (then ID), which imported history placed before it was created needs, and which its index walks.
   */
  before?: string | undefined;
  limit: number;
}

interface Row {
  id: string;
  channel_id: string;
  external_id: string;
  status: string;
  customer: { email?: string; name?: string };
  delivery_method: string;
  currency: string;
  total_minor: number;
  placed_at: string;
  line_count: number;
  units: number;
  on_hold: boolean;
  routing_failed: boolean;
  backordered: boolean;
  late: boolean;
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The conditions of a filter (all but the page position), on the orders alias `o`. */
function filterSql(filter: OrderFilter, late: SQL): SQL {
  return sql`${filter.status?.length ? sql`and o.status in (select jsonb_array_elements_text(${JSON.stringify(filter.status)}::jsonb))` : sql``}
          ${filter.channelId ? sql`and o.channel_id = ${filter.channelId}` : sql``}
          ${filter.email ? sql`and o.customer_email = ${filter.email.toLowerCase()}` : sql``}
          ${filter.sku ? sql`and exists (select 1 from order_lines l where l.order_id = o.id and l.sku = ${filter.sku})` : sql``}
          ${filter.locationId ? sql`and exists (select 1 from order_allocations a where a.order_id = o.id and a.location_id = ${filter.locationId})` : sql``}
          ${filter.tag ? sql`and exists (select 1 from order_tags t where t.order_id = o.id and t.tag = ${filter.tag})` : sql``}
          ${filter.from ? sql`and o.placed_at >= ${filter.from}::timestamptz` : sql``}
          ${filter.to ? sql`and o.placed_at < ${filter.to}::timestamptz` : sql``}
          ${
            filter.text
              ? sql`and (o.external_id ilike ${likePattern(filter.text)} or o.customer_email ilike ${likePattern(filter.text)}
                         or o.customer->>'name' ilike ${likePattern(filter.text)} or o.id = ${filter.text})`
              : sql``
          }
          ${filter.needsAttention ? sql`and (${onHold} or ${backordered} or ${late})` : sql``}`;
}

const onHold = sql`exists (select 1 from order_holds h where h.order_id = o.id and h.released_at is null)`;
const routingFailed = sql`exists (select 1 from order_holds h where h.order_id = o.id and h.released_at is null and h.kind = 'routing')`;
const backordered = sql`(o.status <> 'cancelled' and exists (select 1 from order_lines l where l.order_id = o.id and l.backordered > 0))`;

/** Unfinished and past its channel's SLA (placed plus the SLA days of the active routing rules). */
async function lateSql(executor: Executor): Promise<SQL> {
  const due = slaDueSql((await activeRules(executor)).rules);
  return sql`(o.status in (select jsonb_array_elements_text(${JSON.stringify(UNFINISHED)}::jsonb)) and ${due} < now())`;
}

/** One searchable view of every channel's orders, newest first. */
export async function listOrders(executor: Executor, filter: OrderFilter) {
  const byPlacedDate = filter.from !== undefined || filter.to !== undefined;
  const late = await lateSql(executor);
  const rows = await query<Row>(
    executor,
    sql`select o.id, o.channel_id, o.external_id, o.status, o.customer, o.delivery_method, o.currency, o.total_minor, o.placed_at,
               -- The latest version: units a change or a cancellation took back no longer count (a cancelled order shows what it had).
               (select count(*) filter (where o.status = 'cancelled' or l.quantity > l.cancelled)::int from order_lines l where l.order_id = o.id) as line_count,
               (select coalesce(sum(case when o.status = 'cancelled' then l.quantity else l.quantity - l.cancelled end), 0)::int
                  from order_lines l where l.order_id = o.id) as units,
               ${onHold} as on_hold, ${routingFailed} as routing_failed, ${backordered} as backordered, ${late} as late
        from orders o
        where true ${filterSql(filter, late)}
          ${
            filter.before === undefined
              ? sql``
              : byPlacedDate
                ? sql`and (o.placed_at, o.id) < (select c.placed_at, c.id from orders c where c.id = ${filter.before})`
                : sql`and o.id < ${filter.before}`
          }
        order by ${byPlacedDate ? sql`o.placed_at desc, o.id desc` : sql`o.id desc`}
        limit ${filter.limit}`,
  );
  return rows.map((r) => ({
    id: r.id,
    channel_id: r.channel_id,
    external_id: r.external_id,
    status: r.status,
    on_hold: r.on_hold,
    /** Why the order needs attention, if it does: any of `attentionReasons`. */
    attention: attentionReasons.filter((reason) => r[reason]),
    customer: { email: r.customer.email ?? null, name: r.customer.name ?? null },
    delivery_method: r.delivery_method,
    total: { amount: r.total_minor, currency: r.currency },
    lines: r.line_count,
    units: r.units,
    placed_at: toIso(r.placed_at),
  }));
}

/** Counting stops here: a list says "10,000 or more" rather than scan every order ever placed. */
const ORDER_COUNT_CAP = 10_000;

/** How many orders match a filter (the page position aside), counting at most `ORDER_COUNT_CAP + 1`. */
export async function countOrders(executor: Executor, filter: Omit<OrderFilter, 'before' | 'limit'>) {
  const [row] = await query<{ n: number }>(
    executor,
    sql`select count(*)::int as n from (select 1 from orders o where true ${filterSql({ ...filter, limit: 0 }, await lateSql(executor))}
                                        limit ${ORDER_COUNT_CAP + 1}) matching`,
  );
  const n = row?.n ?? 0;
  return { total: Math.min(n, ORDER_COUNT_CAP), total_is_exact: n <= ORDER_COUNT_CAP };
}

export async function routingDecisions(executor: Executor, orderId: string) {
  const rows = await query<{
    id: number;
    cause: string;
    rules_version: number | null;
    outcome: string;
    explanation: Record<string, unknown>;
    created_at: string;
  }>(
    executor,
    sql`select id, cause, rules_version, outcome, explanation, created_at from routing_decisions where order_id = ${orderId} order by id`,
  );
  return rows.map((r) => ({ ...r, explanation_text: decisionText(r.explanation), created_at: toIso(r.created_at) }));
}
