/**
 * Tasks (src/tasks): work for people in named queues — "call the customer about a late
 * shipment", "review a high-value order" — created through the API or by automation rules.
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { orders } from './schema.ts';

const at = (name: string) => timestamp(name, { withTimezone: true });

/**
 * One task: open → claimed → done, or cancelled from open or claimed. Every change is a
 * compare-and-set on the status (and, when the caller names it, the version); `source_key` makes
 * a task its source creates twice (an automation's retry) one task.
 */
export const tasks = pgTable(
  'tasks',
  {
    id: text('id').primaryKey(),
    queue: text('queue').notNull(),
    title: text('title').notNull(),
    body: text('body'),
    orderId: text('order_id').references(() => orders.id),
    status: text('status').notNull().default('open'),
    assignee: text('assignee'),
    claimedAt: at('claimed_at'),
    dueAt: at('due_at'),
    resolution: text('resolution'),
    closedBy: text('closed_by'),
    closedAt: at('closed_at'),
    createdBy: text('created_by').notNull(),
    sourceKey: text('source_key'),
    version: integer('version').notNull().default(1),
    createdAt: at('created_at').notNull().defaultNow(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('tasks_source_key').on(t.sourceKey),
    index('tasks_queue_status_due_idx').on(t.queue, t.status, t.dueAt, t.id),
    index('tasks_status_due_idx').on(t.status, t.dueAt, t.id),
    index('tasks_order_idx').on(t.orderId),
    check('tasks_status_check', sql`${t.status} in ('open', 'claimed', 'done', 'cancelled')`),
    check('tasks_queue_check', sql`${t.queue} ~ '^[a-z0-9][a-z0-9_-]{0,63}$'`),
    check('tasks_title_check', sql`length(${t.title}) between 1 and 200`),
    check('tasks_version_check', sql`${t.version} >= 1`),
    check(
      'tasks_claimed_check',
      sql`${t.status} <> 'claimed' or (${t.assignee} is not null and ${t.claimedAt} is not null)`,
    ),
    check(
      'tasks_closed_check',
      sql`(${t.status} in ('done', 'cancelled')) = (${t.closedAt} is not null and ${t.closedBy} is not null)`,
    ),
  ],
);
