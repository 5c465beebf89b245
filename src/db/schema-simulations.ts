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
