import { sql } from 'drizzle-orm';
import { query, toIso, type Executor } from '../db/index.ts';
import { decisionText } from '../routing/index.ts';

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
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** One searchable view of every channel's orders, newest first. */
export async function listOrders(executor: Executor, filter: OrderFilter) {
  const byPlacedDate = filter.from !== undefined || filter.to !== undefined;
  const rows = await query<Row>(
    executor,
    sql`select o.id, o.channel_id, o.external_id, o.status, o.customer, o.delivery_method, o.currency, o.total_minor, o.placed_at,
               -- The latest version: units a change or a cancellation took back no longer count (a cancelled order shows what it had).
               (select count(*) filter (where o.status = 'cancelled' or l.quantity > l.cancelled)::int from order_lines l where l.order_id = o.id) as line_count,
               (select coalesce(sum(case when o.status = 'cancelled' then l.quantity else l.quantity - l.cancelled end), 0)::int
                  from order_lines l where l.order_id = o.id) as units,
               exists (select 1 from order_holds h where h.order_id = o.id and h.released_at is null) as on_hold
        from orders o
        where true
          ${filter.status?.length ? sql`and o.status in (select jsonb_array_elements_text(${JSON.stringify(filter.status)}::jsonb))` : sql``}
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
    customer: { email: r.customer.email ?? null, name: r.customer.name ?? null },
    delivery_method: r.delivery_method,
    total: { amount: r.total_minor, currency: r.currency },
    lines: r.line_count,
    units: r.units,
    placed_at: toIso(r.placed_at),
  }));
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
