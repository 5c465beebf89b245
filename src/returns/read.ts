import { sql } from 'drizzle-orm';
import { query, queryOne, toIso, type Executor } from '../db/index.ts';
import { presentPayment, refundsOfReturn } from '../payments/index.ts';

interface ReturnRow {
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

function present(row: ReturnRow) {
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

async function linesOf(executor: Executor, id: string) {
  return query<Record<string, unknown> & { exchange_unit_price_minor: number | null }>(
    executor,
    sql`select line_id, sku, quantity, reason, comment, received, restocked, written_off, returned_to_vendor, refunded,
               exchange_sku, exchange_unit_price_minor
        from return_lines where return_id = ${id} order by line_no`,
  );
}

/** A return with its lines, receipts, refunds and credit memos. */
export async function getReturn(executor: Executor, id: string) {
  const row = await queryOne<ReturnRow>(executor, sql`select * from returns where id = ${id}`);
  if (!row) return undefined;
  const receipts = await query<{ created_at: string }>(
    executor,
    sql`select id, line_id, quantity, condition, disposition, location_id, note, actor, created_at
        from return_receipts where return_id = ${id} order by id`,
  );
  // A replacement's return also refunds its credits from the orders that paid them.
  const payers = await query<{ order_id: string }>(
    executor,
    sql`select distinct source_order_id as order_id from exchange_credits where order_id = ${row.order_id}`,
  );
  const refunds = await refundsOfReturn(executor, [row.order_id, ...payers.map((p) => p.order_id)], id);
  const memos = await query<{ id: string; series: string; number: number; total_minor: number }>(
    executor,
    sql`select id, series, number, total_minor from invoices
        where kind = 'credit_memo' and document -> 'references' ->> 'return_id' = ${id} order by issued_at, id`,
  );
  return {
    ...present(row),
    lines: (await linesOf(executor, id)).map(({ exchange_unit_price_minor: price, ...l }) => ({
      ...l,
      exchange_unit_price: price === null ? null : money(price, row.currency),
    })),
    receipts: receipts.map((r) => ({ ...r, created_at: toIso(r.created_at) })),
    refunds: refunds.map((r) => ({ ...presentPayment(r), order_id: r.order_id })),
    credit_memos: memos.map((m) => ({
      id: m.id,
      total: money(m.total_minor, row.currency),
      pdf: `/v1/invoices/${m.id}.pdf`,
    })),
  };
}

export interface ReturnFilter {
  orderId?: string | undefined;
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
  return Promise.all(rows.map(async (r) => ({ ...present(r), lines: await linesOf(executor, r.id) })));
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
