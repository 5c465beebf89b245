import { sql, type SQL } from 'drizzle-orm';

/** What an export can carry; the documented column sets are in docs/exports.md. */
export const EXPORT_KINDS = ['orders', 'invoices', 'credit_memos', 'payments', 'stock_movements'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

/** How a column's value is written: JSON columns are nested in JSON Lines and JSON text in CSV. */
type ColumnType = 'text' | 'integer' | 'timestamp' | 'json';

interface Column {
  name: string;
  type: ColumnType;
}

interface KindDefinition {
  /**
   * The records of the kind that may be exported, as (source_id, occurred_at, seq): a record
   * becomes exportable when it is committed and, for payments, settled.
   */
  source: SQL;
  /** `x`, the kind's record for an `export_positions p` row, as a join clause. */
  join: SQL;
  /** The columns in order, each selected as its name from `x` (and `p`). */
  columns: Column[];
  select: SQL;
}

const text = (name: string): Column => ({ name, type: 'text' });
const integer = (name: string): Column => ({ name, type: 'integer' });
const timestamp = (name: string): Column => ({ name, type: 'timestamp' });
const json = (name: string): Column => ({ name, type: 'json' });

/** Invoices and credit memos are rows of one table, told apart by `kind`. */
function documents(kind: 'invoice' | 'credit_memo'): KindDefinition {
  return {
    source: sql`select id as source_id, issued_at as occurred_at, 0::bigint as seq from invoices where kind = ${kind}`,
    join: sql`join invoices x on x.id = p.source_id join orders o on o.id = x.order_id`,
    columns: [
      text('id'),
      text('series'),
      integer('number'),
      text('order_id'),
      text('channel_id'),
      text('payment_id'),
      text('currency'),
      integer('total_minor'),
      timestamp('issued_at'),
      json('document'),
    ],
    select: sql`x.id, x.series, x.number, x.order_id, o.channel_id, x.payment_id, x.currency, x.total_minor, x.issued_at, x.document`,
  };
}

export const KINDS: Record<ExportKind, KindDefinition> = {
  orders: {
    source: sql`select id as source_id, created_at as occurred_at, 0::bigint as seq from orders`,
    join: sql`join orders x on x.id = p.source_id`,
    columns: [
      text('id'),
      text('channel_id'),
      text('external_id'),
      text('status'),
      timestamp('placed_at'),
      timestamp('created_at'),
      text('customer_email'),
      text('delivery_method'),
      text('currency'),
      integer('subtotal_minor'),
      integer('discount_minor'),
      integer('shipping_minor'),
      integer('tax_minor'),
      integer('total_minor'),
      json('shipping_address'),
      json('lines'),
    ],
    select: sql`x.id, x.channel_id, x.external_id, x.status, x.placed_at, x.created_at, x.customer_email,
      x.delivery_method, x.currency, x.subtotal_minor, x.discount_minor, x.shipping_minor, x.tax_minor, x.total_minor,
      x.shipping_address,
      (select coalesce(jsonb_agg(jsonb_build_object('line_id', l.line_id, 'sku', l.sku, 'name', l.name,
                'quantity', l.quantity, 'unit_price_minor', l.unit_price_minor, 'discount_minor', l.discount_minor,
                'tax_minor', l.tax_minor) order by l.line_no), '[]'::jsonb)
       from order_lines l where l.order_id = x.id) as lines`,
  },
  invoices: documents('invoice'),
  credit_memos: documents('credit_memo'),
  payments: {
    source: sql`select id as source_id, created_at as occurred_at, 0::bigint as seq from payments where status <> 'pending'`,
    join: sql`join payments x on x.id = p.source_id left join payment_details d on d.payment_id = x.id`,
    columns: [
      text('id'),
      text('order_id'),
      text('kind'),
      text('status'),
      integer('amount_minor'),
      text('currency'),
      text('gateway'),
      text('reference'),
      text('parent_id'),
      text('shipment_id'),
      text('return_id'),
      timestamp('created_at'),
    ],
    select: sql`x.id, x.order_id, x.kind, x.status, x.amount_minor, x.currency, x.gateway, x.reference, x.parent_id,
      d.shipment_id, d.return_id, x.created_at`,
  },
  stock_movements: {
    source: sql`select id::text as source_id, occurred_at, id as seq from inventory_ledger where on_hand_delta <> 0`,
    join: sql`join inventory_ledger x on x.id = p.source_id::bigint`,
    columns: [
      integer('id'),
      text('location_id'),
      text('sku'),
      text('kind'),
      integer('on_hand_delta'),
      integer('on_hand_after'),
      text('reason'),
      text('reference_type'),
      text('reference_id'),
      text('actor'),
      timestamp('occurred_at'),
    ],
    select: sql`x.id, x.location_id, x.sku, x.kind, x.on_hand_delta, x.on_hand_after, x.reason, x.reference_type,
      x.reference_id, x.actor, x.occurred_at`,
  },
};

/** The column names of a kind's rows, cursor first: the CSV header and the JSON Lines keys. */
export function columnNames(kind: ExportKind): string[] {
  return ['cursor', ...KINDS[kind].columns.map((c) => c.name)];
}

export function columnsOf(kind: ExportKind): readonly Column[] {
  return KINDS[kind].columns;
}
