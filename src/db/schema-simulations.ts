/**
 * Routing simulations (src/simulations): past orders replayed under a draft rule set and the
 * active one, as jobs with progress; their figures and the orders whose decision would change.
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, json, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

const at = (name: string) => timestamp(name, { withTimezone: true });

/**
 * One simulation: queued → running → succeeded or failed. A worker claims a queued one by
 * compare-and-set; a running one whose heartbeat stopped (its process died) is queued again and
 * replayed from the start, which gives the same result.
 */
export const routingSimulations = pgTable(
  'routing_simulations',
  {
    id: text('id').primaryKey(),
    status: text('status').notNull().default('queued'),
    /** What to replay and under which rules, as asked (the draft rules inline when not a version). */
    parameters: jsonb('parameters').notNull(),
    ordersTotal: integer('orders_total'),
    ordersDone: integer('orders_done').notNull().default(0),
    changedOrders: integer('changed_orders'),
    /** The figures; json, not jsonb, so the stored text is byte for byte what the replay produced. */
    result: json('result'),
    error: text('error'),
    createdBy: text('created_by'),
    createdAt: at('created_at').notNull().defaultNow(),
    startedAt: at('started_at'),
    heartbeatAt: at('heartbeat_at'),
    finishedAt: at('finished_at'),
  },
  (t) => [
    index('routing_simulations_created_idx').on(t.createdAt, t.id),
    index('routing_simulations_open_idx')
      .on(t.status)
      .where(sql`${t.status} in ('queued', 'running')`),
    check('routing_simulations_status_check', sql`${t.status} in ('queued', 'running', 'succeeded', 'failed')`),
    check('routing_simulations_progress_check', sql`${t.ordersDone} >= 0`),
  ],
);

/** The orders a simulation's draft would decide otherwise, numbered in replay order, each with both decisions. */
export const routingSimulationChanges = pgTable(
  'routing_simulation_changes',
  {
    simulationId: text('simulation_id')
      .notNull()
      .references(() => routingSimulations.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    orderId: text('order_id').notNull(),
    body: json('body').notNull(),
  },
  (t) => [primaryKey({ columns: [t.simulationId, t.seq] })],
);

/**
 * An uploaded set of orders to replay instead of a period's: orders of a previous system, of a
 * marketplace, or made up for a peak. Its stock is the ledger's at `stock_at` (when it was
 * uploaded, unless given), so every simulation of the set starts from the same stock.
 */
export const routingOrderSets = pgTable(
  'routing_order_sets',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    stockAt: at('stock_at').notNull(),
    ordersCount: integer('orders_count').notNull(),
    /** The span of the orders' placed_at, [first, last]. */
    firstPlacedAt: at('first_placed_at').notNull(),
    lastPlacedAt: at('last_placed_at').notNull(),
    createdBy: text('created_by'),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('routing_order_sets_created_idx').on(t.createdAt, t.id),
    check('routing_order_sets_count_check', sql`${t.ordersCount} > 0`),
  ],
);

/** The orders of a set, numbered in upload order; `body` is the checked order with its locations resolved to IDs. */
export const routingOrderSetOrders = pgTable(
  'routing_order_set_orders',
  {
    setId: text('set_id')
      .notNull()
      .references(() => routingOrderSets.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    externalId: text('external_id').notNull(),
    channelId: text('channel_id').notNull(),
    placedAt: at('placed_at').notNull(),
    body: jsonb('body').notNull(),
  },
  (t) => [primaryKey({ columns: [t.setId, t.seq] })],
);
