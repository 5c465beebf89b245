import { sql, type SQL } from 'drizzle-orm';
import { query, toIso, type Executor } from '../db/index.ts';

interface CustomerFilter {
  /** E-mail or name contains. */
  text?: string | undefined;
  /** Exactly this (lower-cased) e-mail. */
  email?: string | undefined;
  /** Channel keys: only this channel's orders count. */
  channelId: string | null;
  /** E-mails sort ascending: the cursor is the last e-mail seen. */
  after?: string | undefined;
  limit: number;
}

interface CustomerSummary {
  email: string;
  name: string | null;
  orders: number;
  first_order_at: string | null;
  last_order_at: string | null;
  channels: string[];
}

interface Row extends Omit<CustomerSummary, 'channels'> {
  channels: string[] | string;
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Orders of customers, identified by their (lower-cased) e-mail; `o` is the orders table. */
export function customerOrders(channelId: string | null): SQL {
  return sql`o.customer_email is not null ${channelId ? sql`and o.channel_id = ${channelId}` : sql``}`;
}

/** `{a,b}` from an engine that leaves text arrays unparsed. */
function textArray(value: string[] | string): string[] {
  if (Array.isArray(value)) return value;
  const inner = value.replace(/^\{|\}$/g, '');
  return inner === '' ? [] : inner.split(',').map((v) => v.replace(/^"|"$/g, ''));
}

/**
 * Every customer with at least one order, by e-mail: the name of their latest order, how many
 * orders, the first and last, and the channels they bought through.
 */
export async function listCustomers(executor: Executor, filter: CustomerFilter): Promise<CustomerSummary[]> {
  const rows = await query<Row>(
    executor,
    sql`select o.customer_email as email,
               (array_agg(o.customer->>'name' order by o.placed_at desc, o.id desc)
                  filter (where o.customer->>'name' is not null))[1] as name,
               count(*)::int as orders, min(o.placed_at) as first_order_at, max(o.placed_at) as last_order_at,
               array_agg(distinct o.channel_id order by o.channel_id) as channels
        from orders o
        where ${customerOrders(filter.channelId)}
          ${filter.email ? sql`and o.customer_email = ${filter.email}` : sql``}
          ${filter.after ? sql`and o.customer_email > ${filter.after}` : sql``}
        group by o.customer_email
        ${
          filter.text
            ? sql`having bool_or(o.customer_email ilike ${likePattern(filter.text)} or o.customer->>'name' ilike ${likePattern(filter.text)})`
            : sql``
        }
        order by o.customer_email
        limit ${filter.limit}`,
  );
  return rows.map((r) => ({
    ...r,
    first_order_at: toIso(r.first_order_at),
    last_order_at: toIso(r.last_order_at),
    channels: textArray(r.channels),
  }));
}
