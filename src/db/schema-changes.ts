/**
 * Change orders, owned by `src/orders/`: an order edited after placement. A change is a draft
 * of actions made against one version of the order; confirming it applies them in one
 * transaction and bumps the order's version, whose totals `order_versions` keeps for good.
 * Lines in fulfillment orders a location has started are changed only once the location
 * releases them (`fulfillment_release_requests`).
 */
import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { fulfillmentOrders, orders } from './schema.ts';

const at = (name: string) => timestamp(name, { withTimezone: true });

export const orderChanges = pgTable(
  'order_changes',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    /** The order version the actions were written against; confirming compares and sets it. */
    baseVersion: integer('base_version').notNull(),
    /** The version the confirmed change made. */
    resultVersion: integer('result_version'),
    status: text('status').notNull(),
    actions: jsonb('actions').notNull(),
    reason: text('reason').notNull(),
    createdBy: text('created_by'),
    /** What confirming settled: the payment delta and the records it made, or why it failed. */
    settlement: jsonb('settlement'),
    createdAt: at('created_at').notNull().defaultNow(),
    updatedAt: at('updated_at').notNull().defaultNow(),
    decidedAt: at('decided_at'),
    decidedBy: text('decided_by'),
  },
  (t) => [
    index('order_changes_order_idx').on(t.orderId, t.createdAt),
    check(
      'order_changes_status_check',
      sql`${t.status} in ('draft', 'awaiting_release', 'confirmed', 'declined', 'cancelled')`,
    ),
    check('order_changes_versions_check', sql`${t.resultVersion} is null or ${t.resultVersion} > ${t.baseVersion}`),
  ],
);

export const orderVersions = pgTable(
  'order_versions',
  {
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    version: integer('version').notNull(),
    /** The change that made this version; null for the order as placed. */
    changeId: text('change_id').references(() => orderChanges.id),
    currency: text('currency').notNull(),
    subtotalMinor: bigint('subtotal_minor', { mode: 'number' }).notNull(),
    discountMinor: bigint('discount_minor', { mode: 'number' }).notNull(),
    shippingMinor: bigint('shipping_minor', { mode: 'number' }).notNull(),
    taxMinor: bigint('tax_minor', { mode: 'number' }).notNull(),
    totalMinor: bigint('total_minor', { mode: 'number' }).notNull(),
    /** What the version asks the customer to pay more (positive) or less (negative) than the one before. */
    deltaMinor: bigint('delta_minor', { mode: 'number' }).notNull().default(0),
    createdBy: text('created_by'),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orderId, t.version] }),
    check('order_versions_money_check', sql`${t.totalMinor} >= 0 and ${t.subtotalMinor} >= 0`),
  ],
);

export const fulfillmentReleaseRequests = pgTable(
  'fulfillment_release_requests',
  {
    id: text('id').primaryKey(),
    changeId: text('change_id')
      .notNull()
      .references(() => orderChanges.id),
    fulfillmentOrderId: text('fulfillment_order_id')
      .notNull()
      .references(() => fulfillmentOrders.id),
    status: text('status').notNull().default('requested'),
    createdAt: at('created_at').notNull().defaultNow(),
    decidedAt: at('decided_at'),
    decidedBy: text('decided_by'),
  },
  (t) => [
    index('fulfillment_release_requests_fo_idx').on(t.fulfillmentOrderId),
    index('fulfillment_release_requests_change_idx').on(t.changeId),
    check(
      'fulfillment_release_requests_status_check',
      sql`${t.status} in ('requested', 'released', 'refused', 'withdrawn')`,
    ),
  ],
);
