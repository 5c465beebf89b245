/**
 * Automations (src/automations): rules, their versions, and every execution of a rule for an
 * event or a scheduled look at an order. Order tags (written by src/orders) live here too: they
 * came with automations, which read and add them.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { orders } from './schema.ts';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/** A rule's identity and name; what it does is in its versions. */
export const automationRules = pgTable('automation_rules', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  createdBy: text('created_by'),
  createdAt: createdAt(),
});

/** One version of a rule: draft → active → retired, at most one active per rule. */
export const automationRuleVersions = pgTable(
  'automation_rule_versions',
  {
    ruleId: text('rule_id')
      .notNull()
      .references(() => automationRules.id),
    version: integer('version').notNull(),
    status: text('status').notNull(),
    trigger: jsonb('trigger').notNull(),
    condition: text('condition').notNull(),
    actions: jsonb('actions').notNull(),
    notes: text('notes'),
    createdBy: text('created_by'),
    createdAt: createdAt(),
    activatedBy: text('activated_by'),
    activatedAt: timestamp('activated_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.ruleId, t.version] }),
    uniqueIndex('automation_rule_versions_one_active')
      .on(t.ruleId)
      .where(sql`${t.status} = 'active'`),
    check('automation_rule_versions_status_check', sql`${t.status} in ('draft', 'active', 'retired')`),
  ],
);

/**
 * One run of a rule version's actions for one trigger: an event (`evt_<id>`) or a scheduled
 * look at an order (`order:<id>`). The unique key makes it happen once across processes.
 */
export const automationExecutions = pgTable(
  'automation_executions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    ruleId: text('rule_id')
      .notNull()
      .references(() => automationRules.id),
    version: integer('version').notNull(),
    triggerKey: text('trigger_key').notNull(),
    /** An event in `event_history`: no foreign key, the event may move to the archive (ADR 0045). */
    eventId: bigint('event_id', { mode: 'number' }),
    orderId: text('order_id').references(() => orders.id),
    status: text('status').notNull(),
    actions: jsonb('actions').notNull(),
    /** One entry per action done so far: a retry resumes after them. */
    results: jsonb('results')
      .notNull()
      .default(sql`'[]'::jsonb`),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    depth: integer('depth').notNull().default(0),
    lastError: text('last_error'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('automation_executions_trigger_key').on(t.ruleId, t.triggerKey),
    index('automation_executions_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'pending'`),
    index('automation_executions_order_idx').on(t.orderId),
    check('automation_executions_status_check', sql`${t.status} in ('pending', 'succeeded', 'failed')`),
    check('automation_executions_depth_check', sql`${t.depth} >= 0`),
  ],
);

/** Tags on an order, each once. */
export const orderTags = pgTable(
  'order_tags',
  {
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    tag: text('tag').notNull(),
    createdBy: text('created_by'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orderId, t.tag] }),
    check('order_tags_tag_check', sql`length(${t.tag}) between 1 and 64`),
  ],
);
