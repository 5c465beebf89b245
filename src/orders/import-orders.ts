import { sql } from 'drizzle-orm';
import { query, type Executor } from '../db/index.ts';
import type { OrderStatus } from './status.ts';

/** A line of an imported order with its unit buckets as the previous system left them. */
export interface ImportedLine {
  line_id: string;
  line_no: number;
  sku: string;
  name: string | null;
  unit_price_minor: number;
  discount_minor: number;
  tax_minor: number;
  quantity: number;
  backordered: number;
  cancelled: number;
  shipped: number;
  delivered: number;
  return_requested: number;
  returned: number;
  refunded: number;
}

/** A fulfillment order of an imported order: where its shipped units left from. */
export interface ImportedFulfillment {
  id: string;
  location_id: string;
  status: 'shipped' | 'delivered' | 'cancelled';
}

/** An order of a previous system, checked and with Consign IDs, written as it was. */
export interface ImportedOrder {
  id: string;
  channel_id: string;
  external_id: string;
  request_hash: string;
  status: OrderStatus;
  /** False: Consign reports on it but never routes, captures, cancels or changes it (ADR 0047). */
  managed: boolean;
  customer: Record<string, unknown>;
  customer_email: string | null;
  shipping_address: Record<string, unknown> | null;
  currency: string;
  subtotal_minor: number;
  discount_minor: number;
  shipping_minor: number;
  tax_minor: number;
  total_minor: number;
  authorized_minor: number;
  metadata: Record<string, unknown> | null;
  placed_at: string;
  lines: ImportedLine[];
  fulfillments: ImportedFulfillment[];
}

const orderColumns = sql.raw(
  `id text, channel_id text, external_id text, request_hash text, status text, managed boolean, customer jsonb,
   customer_email text, shipping_address jsonb, currency text, subtotal_minor bigint, discount_minor bigint,
   shipping_minor bigint, tax_minor bigint, total_minor bigint, authorized_minor bigint, metadata jsonb, placed_at timestamptz`,
);
const lineColumns = sql.raw(
  `order_id text, line_id text, line_no int, sku text, name text, unit_price_minor bigint, discount_minor bigint,
   tax_minor bigint, quantity int, backordered int, cancelled int, shipped int, delivered int, return_requested int,
   returned int, refunded int`,
);

/**
 * Writes a batch of imported orders, their lines and fulfillment orders in one statement (three
 * `jsonb_to_recordset` inserts). An order whose (channel, external ID) is already stored is
 * skipped with its lines: the IDs of the orders written are returned, so the caller writes
 * their payments, shipments and returns and reports the rest as already imported.
 */
export async function insertImportedOrders(executor: Executor, orders: ImportedOrder[]): Promise<Set<string>> {
  if (orders.length === 0) return new Set();
  const heads = orders.map(({ lines: _lines, fulfillments: _fulfillments, ...head }) => head);
  const lines = orders.flatMap((o) => o.lines.map((l) => ({ order_id: o.id, ...l })));
  const fulfillments = orders.flatMap((o) =>
    o.fulfillments.map((f) => ({ order_id: o.id, delivery_method: 'ship', ...f })),
  );
  const rows = await query<{ id: string }>(
    executor,
    sql`with written as (
          insert into orders (id, channel_id, external_id, request_hash, status, managed, customer, customer_email,
            shipping_address, delivery_method, currency, subtotal_minor, discount_minor, shipping_minor, tax_minor,
            total_minor, authorized_minor, metadata, placed_at)
          select id, channel_id, external_id, request_hash, status, managed, customer, customer_email, shipping_address,
            'ship', currency, subtotal_minor, discount_minor, shipping_minor, tax_minor, total_minor, authorized_minor,
            metadata, placed_at
          from jsonb_to_recordset(${JSON.stringify(heads)}::jsonb) as t(${orderColumns})
          on conflict (channel_id, external_id) do nothing
          returning id),
        written_lines as (
          insert into order_lines (order_id, line_id, line_no, sku, name, unit_price_minor, discount_minor, tax_minor,
            quantity, backordered, cancelled, shipped, delivered, return_requested, returned, refunded)
          select t.order_id, t.line_id, t.line_no, t.sku, t.name, t.unit_price_minor, t.discount_minor, t.tax_minor,
            t.quantity, t.backordered, t.cancelled, t.shipped, t.delivered, t.return_requested, t.returned, t.refunded
          from jsonb_to_recordset(${JSON.stringify(lines)}::jsonb) as t(${lineColumns})
          where t.order_id in (select id from written)),
        written_fulfillments as (
          insert into fulfillment_orders (id, order_id, location_id, delivery_method, status)
          select t.id, t.order_id, t.location_id, t.delivery_method, t.status
          from jsonb_to_recordset(${JSON.stringify(fulfillments)}::jsonb)
            as t(id text, order_id text, location_id text, delivery_method text, status text)
          where t.order_id in (select id from written))
        select id from written`,
  );
  return new Set(rows.map((r) => r.id));
}
