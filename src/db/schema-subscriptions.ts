/**
 * Subscriptions (recurring orders), owned by `src/subscriptions/`. A subscription carries a
 * cursor (`next_period`, `next_period_at`, `next_attempt_at`, `attempts`) that the scheduler
 * moves under a row lock; every period that is over has a `subscription_periods` row and every
 * attempt at ordering one a `subscription_attempts` row.
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
import { channels, orders } from './schema.ts';

const at = (name: string) => timestamp(name, { withTimezone: true });

export const subscriptions = pgTable(
  'subscriptions',
  {
    id: text('id').primaryKey(),
    channelId: text('channel_id')
      .notNull()
      .references(() => channels.id),
    status: text('status').notNull(),
    customer: jsonb('customer').notNull(),
    customerEmail: text('customer_email'),
    /** `[{ line_id, sku, name?, quantity, unit_price_minor }]`, copied into each period's order. */
    lines: jsonb('lines').notNull(),
    shippingAddress: jsonb('shipping_address').notNull(),
    currency: text('currency').notNull(),
    shippingMinor: bigint('shipping_minor', { mode: 'number' }).notNull(),
    totalMinor: bigint('total_minor', { mode: 'number' }).notNull(),
    /** `{ every, unit }` or `{ rrule }`, as the client sent it. */
    schedule: jsonb('schedule').notNull(),
    startsAt: at('starts_at').notNull(),
    paymentGateway: text('payment_gateway').notNull(),
    paymentMethod: text('payment_method').notNull(),
    catchUp: text('catch_up').notNull(),
    maxAttempts: integer('max_attempts').notNull(),
    retryBackoffSeconds: integer('retry_backoff_seconds').notNull(),
    onFailure: text('on_failure').notNull(),
    /** The period the scheduler works on next (1-based); its date; when to try it; tries so far. */
    nextPeriod: integer('next_period').notNull().default(1),
    nextPeriodAt: at('next_period_at'),
    nextAttemptAt: at('next_attempt_at'),
    attempts: integer('attempts').notNull().default(0),
    createdBy: text('created_by'),
    createdAt: at('created_at').notNull().defaultNow(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('subscriptions_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'active'`),
    index('subscriptions_channel_idx').on(t.channelId, t.id),
    check('subscriptions_status_check', sql`${t.status} in ('active', 'paused', 'cancelled', 'completed')`),
    check('subscriptions_catch_up_check', sql`${t.catchUp} in ('all', 'latest_only')`),
    check('subscriptions_on_failure_check', sql`${t.onFailure} in ('continue', 'pause')`),
    check('subscriptions_attempts_check', sql`${t.attempts} >= 0 and ${t.maxAttempts} >= 1 and ${t.nextPeriod} >= 1`),
    check('subscriptions_money_check', sql`${t.shippingMinor} >= 0 and ${t.totalMinor} >= 0`),
    check('subscriptions_currency_check', sql`${t.currency} ~ '^[A-Z]{3}$'`),
  ],
);

export const subscriptionPeriods = pgTable(
  'subscription_periods',
  {
    subscriptionId: text('subscription_id')
      .notNull()
      .references(() => subscriptions.id),
    period: integer('period').notNull(),
    scheduledFor: at('scheduled_for').notNull(),
    status: text('status').notNull(),
    orderId: text('order_id').references(() => orders.id),
    attempts: integer('attempts').notNull().default(0),
    /** Why it was skipped (`requested`, `missed`, `paused`) or the last failure's code. */
    reason: text('reason'),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.subscriptionId, t.period] }),
    check('subscription_periods_status_check', sql`${t.status} in ('ordered', 'failed', 'skipped')`),
    check('subscription_periods_order_check', sql`(${t.status} = 'ordered') = (${t.orderId} is not null)`),
  ],
);

export const subscriptionAttempts = pgTable(
  'subscription_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    subscriptionId: text('subscription_id')
      .notNull()
      .references(() => subscriptions.id),
    period: integer('period').notNull(),
    attempt: integer('attempt').notNull(),
    outcome: text('outcome').notNull(),
    code: text('code'),
    detail: text('detail'),
    orderId: text('order_id').references(() => orders.id),
    attemptedAt: at('attempted_at').notNull(),
  },
  (t) => [
    uniqueIndex('subscription_attempts_period_attempt_key').on(t.subscriptionId, t.period, t.attempt),
    check('subscription_attempts_outcome_check', sql`${t.outcome} in ('ordered', 'failed')`),
  ],
);
