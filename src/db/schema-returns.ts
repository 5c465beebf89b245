/**
 * Returns (RMAs), their policies, and the orders linked to an original one (exchanges,
 * reships). The returns capability owns these tables; other capabilities' rows are referred
 * to by ID.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { channels, locations, orderLines, orders, products, shipments } from './schema.ts';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

/** A channel's return policy; a channel without a row uses the defaults of `src/returns/policy.ts`. */
export const channelReturnPolicies = pgTable(
  'channel_return_policies',
  {
    channelId: text('channel_id')
      .primaryKey()
      .references(() => channels.id),
    windowDays: integer('window_days').notNull(),
    autoAuthorize: boolean('auto_authorize').notNull(),
    shippingRefund: text('shipping_refund').notNull(),
    restockingFeeBps: integer('restocking_fee_bps').notNull(),
    /** Whether returns may be started against orders imported from a previous system (unmanaged). */
    importedOrders: boolean('imported_orders').notNull().default(false),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('channel_return_policies_window_check', sql`${t.windowDays} between 0 and 3650`),
    check('channel_return_policies_fee_check', sql`${t.restockingFeeBps} between 0 and 10000`),
    check('channel_return_policies_shipping_check', sql`${t.shippingRefund} in ('never', 'merchant_fault', 'always')`),
  ],
);

/** Per product: its own window (overrides the channel's) or not returnable at all. */
export const productReturnPolicies = pgTable(
  'product_return_policies',
  {
    sku: text('sku')
      .primaryKey()
      .references(() => products.sku),
    windowDays: integer('window_days'),
    returnable: boolean('returnable').notNull().default(true),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('product_return_policies_window_check', sql`${t.windowDays} is null or ${t.windowDays} between 0 and 3650`),
  ],
);

export const returns = pgTable(
  'returns',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    channelId: text('channel_id')
      .notNull()
      .references(() => channels.id),
    status: text('status').notNull(),
    /** Bumped by every change; transitions are compare-and-set on (status, version). */
    version: integer('version').notNull().default(1),
    method: text('method').notNull(),
    /** In-store: the store taking the return; mail-in: where the parcel is expected (optional). */
    locationId: text('location_id').references(() => locations.id),
    carrier: text('carrier'),
    trackingNumber: text('tracking_number'),
    source: text('source').notNull(),
    customerEmail: text('customer_email'),
    notes: text('notes'),
    currency: text('currency').notNull(),
    refundedMinor: bigint('refunded_minor', { mode: 'number' }).notNull().default(0),
    shippingRefundedMinor: bigint('shipping_refunded_minor', { mode: 'number' }).notNull().default(0),
    restockingFeeMinor: bigint('restocking_fee_minor', { mode: 'number' }).notNull().default(0),
    exchangeOrderId: text('exchange_order_id').references(() => orders.id),
    /** Uneven exchanges: the authorization (gateway, reference) that pays the difference. */
    exchangePayment: jsonb('exchange_payment'),
    createdBy: text('created_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('returns_order_idx').on(t.orderId, t.id),
    /** Lets a return line name its return and the order together (`return_lines_return_fk`). */
    uniqueIndex('returns_id_order_key').on(t.id, t.orderId),
    index('returns_status_idx').on(t.status, t.id),
    index('returns_customer_email_idx').on(t.customerEmail, t.id),
    check(
      'returns_status_check',
      sql`${t.status} in ('initiated', 'authorized', 'received', 'restocked', 'written_off', 'refunded', 'rejected', 'cancelled')`,
    ),
    check('returns_method_check', sql`${t.method} in ('mail_in', 'in_store')`),
    check('returns_source_check', sql`${t.source} in ('agent', 'channel', 'self_service')`),
    check(
      'returns_money_check',
      sql`${t.refundedMinor} >= 0 and ${t.shippingRefundedMinor} >= 0 and ${t.restockingFeeMinor} >= 0`,
    ),
    check('returns_currency_check', sql`${t.currency} ~ '^[A-Z]{3}$'`),
  ],
);

export const returnLines = pgTable(
  'return_lines',
  {
    returnId: text('return_id').notNull(),
    /** The order line returned: a line of the return's order. */
    orderId: text('order_id').notNull(),
    lineId: text('line_id').notNull(),
    lineNo: integer('line_no').notNull(),
    sku: text('sku').notNull(),
    quantity: integer('quantity').notNull(),
    reason: text('reason').notNull(),
    comment: text('comment'),
    received: integer('received').notNull().default(0),
    restocked: integer('restocked').notNull().default(0),
    writtenOff: integer('written_off').notNull().default(0),
    returnedToVendor: integer('returned_to_vendor').notNull().default(0),
    refunded: integer('refunded').notNull().default(0),
    /** Exchanges: the replacement SKU and its unit price (the returned line's price when even). */
    exchangeSku: text('exchange_sku'),
    exchangeUnitPriceMinor: bigint('exchange_unit_price_minor', { mode: 'number' }),
  },
  (t) => [
    primaryKey({ columns: [t.returnId, t.lineId] }),
    foreignKey({
      name: 'return_lines_return_fk',
      columns: [t.returnId, t.orderId],
      foreignColumns: [returns.id, returns.orderId],
    }),
    foreignKey({
      name: 'return_lines_line_fk',
      columns: [t.orderId, t.lineId],
      foreignColumns: [orderLines.orderId, orderLines.lineId],
    }),
    check(
      'return_lines_buckets_check',
      sql`${t.quantity} > 0 and ${t.received} between 0 and ${t.quantity}
          and ${t.restocked} >= 0 and ${t.writtenOff} >= 0 and ${t.returnedToVendor} >= 0
          and ${t.restocked} + ${t.writtenOff} + ${t.returnedToVendor} = ${t.received}
          and ${t.refunded} between 0 and ${t.received}`,
    ),
    check(
      'return_lines_reason_check',
      sql`${t.reason} in ('damaged', 'defective', 'wrong_item', 'not_as_described', 'size_fit', 'no_longer_needed', 'changed_mind', 'other')`,
    ),
  ],
);

/** Every receipt at a location: partial receipts of a line add up to its `received`. */
export const returnReceipts = pgTable(
  'return_receipts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    returnId: text('return_id')
      .notNull()
      .references(() => returns.id),
    lineId: text('line_id').notNull(),
    quantity: integer('quantity').notNull(),
    condition: text('condition').notNull(),
    disposition: text('disposition').notNull(),
    locationId: text('location_id')
      .notNull()
      .references(() => locations.id),
    note: text('note'),
    actor: text('actor'),
    createdAt: createdAt(),
  },
  (t) => [
    index('return_receipts_return_idx').on(t.returnId, t.id),
    foreignKey({
      name: 'return_receipts_line_fk',
      columns: [t.returnId, t.lineId],
      foreignColumns: [returnLines.returnId, returnLines.lineId],
    }),
    check('return_receipts_quantity_check', sql`${t.quantity} > 0`),
    check('return_receipts_condition_check', sql`${t.condition} in ('new', 'opened', 'used', 'damaged', 'defective')`),
    check('return_receipts_disposition_check', sql`${t.disposition} in ('restock', 'write_off', 'return_to_vendor')`),
  ],
);

/** An order made for another: the replacement of an exchange, or a reship of lost or damaged units. */
export const linkedOrders = pgTable(
  'linked_orders',
  {
    orderId: text('order_id')
      .primaryKey()
      .references(() => orders.id),
    originalOrderId: text('original_order_id')
      .notNull()
      .references(() => orders.id),
    kind: text('kind').notNull(),
    returnId: text('return_id').references(() => returns.id),
    reason: text('reason').notNull(),
    createdBy: text('created_by'),
    createdAt: createdAt(),
  },
  (t) => [
    index('linked_orders_original_idx').on(t.originalOrderId),
    check('linked_orders_kind_check', sql`${t.kind} in ('exchange', 'reship')`),
  ],
);

/**
 * Which line of the original order each line of a linked order stands for: the returned line an
 * exchange replaces (with its return), or the line a reship sends again (with the shipment named,
 * if one was). Reships are capped by it: a line's shipped units less what reships already sent.
 */
export const linkedOrderLines = pgTable(
  'linked_order_lines',
  {
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    lineId: text('line_id').notNull(),
    originalOrderId: text('original_order_id')
      .notNull()
      .references(() => orders.id),
    originalLineId: text('original_line_id').notNull(),
    returnId: text('return_id').references(() => returns.id),
    shipmentId: text('shipment_id').references(() => shipments.id),
    quantity: integer('quantity').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orderId, t.lineId] }),
    foreignKey({
      name: 'linked_order_lines_line_fk',
      columns: [t.orderId, t.lineId],
      foreignColumns: [orderLines.orderId, orderLines.lineId],
    }),
    foreignKey({
      name: 'linked_order_lines_original_line_fk',
      columns: [t.originalOrderId, t.originalLineId],
      foreignColumns: [orderLines.orderId, orderLines.lineId],
    }),
    index('linked_order_lines_original_idx').on(t.originalOrderId, t.originalLineId),
    check('linked_order_lines_quantity_check', sql`${t.quantity} > 0`),
  ],
);

/**
 * What an exchange's replacement units were paid on earlier orders: when a return settles
 * exchanged units (its refund gives back any price difference), what those units were paid and
 * not given back becomes a credit of the replacement line's units `[units_from, units_from +
 * units)`, one row per order that holds the money (the returned line's own order, and the orders
 * its own credits came from). Returning the replacement refunds each row's share of its units
 * from that order; exchanging it again carries the rest on. See ADR 0011.
 */
export const exchangeCredits = pgTable(
  'exchange_credits',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** The replacement order and line. */
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    lineId: text('line_id').notNull(),
    /** The replacement line's units (numbered in refund order) this credit covers. */
    unitsFrom: integer('units_from').notNull(),
    units: integer('units').notNull(),
    /** Where the money was paid, and is refunded from. */
    sourceOrderId: text('source_order_id')
      .notNull()
      .references(() => orders.id),
    sourceLineId: text('source_line_id').notNull(),
    /** The return whose exchange settled it. */
    returnId: text('return_id')
      .notNull()
      .references(() => returns.id),
    amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('exchange_credits_line_idx').on(t.orderId, t.lineId, t.unitsFrom),
    foreignKey({
      name: 'exchange_credits_line_fk',
      columns: [t.orderId, t.lineId],
      foreignColumns: [orderLines.orderId, orderLines.lineId],
    }),
    foreignKey({
      name: 'exchange_credits_source_line_fk',
      columns: [t.sourceOrderId, t.sourceLineId],
      foreignColumns: [orderLines.orderId, orderLines.lineId],
    }),
    check('exchange_credits_amounts_check', sql`${t.unitsFrom} >= 0 and ${t.units} > 0 and ${t.amountMinor} >= 0`),
  ],
);
