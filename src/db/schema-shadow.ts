/**
 * Shadow (parallel-run) mode (src/shadow): the orders of a shadow channel with the decision
 * Consign would have made, and what the legacy system says it did with them and holds in stock.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  check,
  index,
  integer,
  json,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { channels, locations, products } from './schema.ts';

const at = (name: string) => timestamp(name, { withTimezone: true });
const minor = (name: string) => bigint(name, { mode: 'number' });

/**
 * An order of a shadow channel as Consign received it, with the routing decision it would have
 * made. Nothing is reserved and no event is written for it; one row per channel order.
 */
export const shadowOrders = pgTable(
  'shadow_orders',
  {
    id: text('id').primaryKey(),
    channelId: text('channel_id')
      .notNull()
      .references(() => channels.id),
    externalId: text('external_id').notNull(),
    requestHash: text('request_hash').notNull(),
    currency: text('currency').notNull(),
    totalMinor: minor('total_minor').notNull(),
    shippingMinor: minor('shipping_minor').notNull(),
    /** The lines: line ID, SKU, quantity and amount (after discount, with tax) in minor units. */
    lines: jsonb('lines').notNull(),
    /** allocated, partially_allocated or rejected: the planner's status. */
    decisionStatus: text('decision_status').notNull(),
    /** The planner's whole result (allocations, back-orders, explanation), as routing decisions keep it. */
    decision: json('decision').notNull(),
    placedAt: at('placed_at').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('shadow_orders_channel_external_key').on(t.channelId, t.externalId),
    index('shadow_orders_channel_placed_idx').on(t.channelId, t.placedAt),
    check('shadow_orders_decision_check', sql`${t.decisionStatus} in ('allocated', 'partially_allocated', 'rejected')`),
    check('shadow_orders_total_check', sql`${t.totalMinor} >= 0`),
  ],
);

/**
 * What the legacy system did with an order of a shadow channel: an allocation, a shipment or a
 * cancellation of units, a status, or its money. The same record sent twice is kept once.
 */
export const shadowOutcomes = pgTable(
  'shadow_outcomes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    channelId: text('channel_id')
      .notNull()
      .references(() => channels.id),
    externalId: text('external_id').notNull(),
    kind: text('kind').notNull(),
    /** SHA-256 of the record as sent: the key that keeps a repeated record once. */
    fingerprint: text('fingerprint').notNull(),
    sku: text('sku'),
    locationId: text('location_id').references(() => locations.id),
    quantity: integer('quantity'),
    status: text('status'),
    totalMinor: minor('total_minor'),
    capturedMinor: minor('captured_minor'),
    refundedMinor: minor('refunded_minor'),
    /** When the order was placed in the legacy system (the day it is reconciled on), when said. */
    placedAt: at('placed_at'),
    occurredAt: at('occurred_at'),
    receivedAt: at('received_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('shadow_outcomes_fingerprint_key').on(t.channelId, t.fingerprint),
    index('shadow_outcomes_order_idx').on(t.channelId, t.externalId),
    check(
      'shadow_outcomes_kind_check',
      sql`${t.kind} in ('allocation', 'shipment', 'cancellation', 'status', 'money')`,
    ),
    check('shadow_outcomes_quantity_check', sql`${t.quantity} is null or ${t.quantity} > 0`),
    check(
      'shadow_outcomes_units_check',
      sql`${t.kind} not in ('allocation', 'shipment') or (${t.sku} is not null and ${t.locationId} is not null and ${t.quantity} is not null)`,
    ),
    check('shadow_outcomes_status_check', sql`${t.kind} <> 'status' or ${t.status} is not null`),
  ],
);

/** The legacy system's on-hand count of a SKU at a location at a moment; a repeat of the same moment keeps the last. */
export const shadowStock = pgTable(
  'shadow_stock',
  {
    locationId: text('location_id')
      .notNull()
      .references(() => locations.id),
    sku: text('sku')
      .notNull()
      .references(() => products.sku),
    asOf: at('as_of').notNull(),
    onHand: integer('on_hand').notNull(),
    receivedAt: at('received_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.locationId, t.sku, t.asOf] }),
    index('shadow_stock_as_of_idx').on(t.asOf),
    check('shadow_stock_on_hand_check', sql`${t.onHand} >= 0`),
  ],
);
