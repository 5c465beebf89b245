import { sql } from 'drizzle-orm';
import { query, queryOne, toIso, type Executor } from '../db/index.ts';

/**
 * An order's returns and the orders linked to it, as the order view shows them, and the returns
 * list they come from. Read here, below both capabilities, because the order view needs them and
 * the returns capability (which writes these tables) builds on orders; src/returns/ reads a
 * single return through the same pieces.
 */
export interface ReturnRow {
  id: string;
  order_id: string;
  channel_id: string;
  status: string;
  version: number;
  method: string;
  location_id: string | null;
  carrier: string | null;
  tracking_number: string | null;
  source: string;
  customer_email: string | null;
  notes: string | null;
  currency: string;
  refunded_minor: number;
  shipping_refunded_minor: number;
  restocking_fee_minor: number;
  exchange_order_id: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

const money = (amount: number, currency: string) => ({ amount, currency });

export function presentReturn(row: ReturnRow) {
  const c = row.currency;
  return {
    id: row.id,
    order_id: row.order_id,
    channel_id: row.channel_id,
    status: row.status,
    version: row.version,
    method: row.method,
    location_id: row.location_id,
    carrier: row.carrier,
    tracking_number: row.tracking_number,
    source: row.source,
    customer_email: row.customer_email,
    notes: row.notes,
    refunded: money(row.refunded_minor, c),
    shipping_refunded: money(row.shipping_refunded_minor, c),
    restocking_fee: money(row.restocking_fee_minor, c),
    exchange_order_id: row.exchange_order_id,
    created_by: row.created_by,
    created_at: toIso(row.created_at),
    updated_at: toIso(row.updated_at),
  };
}

export async function returnLinesOf(executor: Executor, id: string) {
  return query<Record<string, unknown> & { exchange_unit_price_minor: number | null }>(
    executor,
    sql`select line_id, sku, quantity, reason, comment, received, restocked, written_off, returned_to_vendor, refunded,
               exchange_sku, exchange_unit_price_minor
        from return_lines where return_id = ${id} order by line_no`,
  );
}

export interface ReturnFilter {
  orderId?: string | undefined;
  /** The order's number in its channel: its external_id. */
  orderNumber?: string | undefined;
  customerEmail?: string | undefined;
  status?: string | undefined;
  channelId?: string | undefined;
  /** Newest first: the last ID of the previous page. */
  before?: string | undefined;
  limit: number;
}

export async function listReturns(executor: Executor, filter: ReturnFilter) {
  const conditions = [
    filter.orderId ? sql`order_id = ${filter.orderId}` : undefined,
    filter.orderNumber ? sql`order_id in (select id from orders where external_id = ${filter.orderNumber})` : undefined,
    filter.customerEmail ? sql`customer_email = ${filter.customerEmail.toLowerCase()}` : undefined,
    filter.status ? sql`status = ${filter.status}` : undefined,
    filter.channelId ? sql`channel_id = ${filter.channelId}` : undefined,
    filter.before ? sql`id < ${filter.before}` : undefined,
  ].filter((c) => c !== undefined);
  const where = conditions.length ? sql`where ${sql.join(conditions, sql` and `)}` : sql``;
  const rows = await query<ReturnRow>(
    executor,
    sql`select * from returns ${where} order by id desc limit ${filter.limit}`,
  );
  return Promise.all(rows.map(async (r) => ({ ...presentReturn(r), lines: await returnLinesOf(executor, r.id) })));
}

/** An order's returns and the orders linked to it (exchanges, reships), for the order view. */
export async function returnsOfOrder(executor: Executor, orderId: string) {
  const returns = await listReturns(executor, { orderId, limit: 1000 });
  const linked = await query<{
    order_id: string;
    kind: string;
    return_id: string | null;
    reason: string;
    created_at: string;
  }>(
    executor,
    sql`select order_id, kind, return_id, reason, created_at from linked_orders where original_order_id = ${orderId} order by created_at, order_id`,
  );
  const original = await queryOne<{ original_order_id: string; kind: string }>(
    executor,
    sql`select original_order_id, kind from linked_orders where order_id = ${orderId}`,
  );
  return {
    returns: returns.reverse(),
    linked_orders: linked.map((l) => ({ ...l, created_at: toIso(l.created_at) })),
    linked_to: original ?? null,
  };
}
