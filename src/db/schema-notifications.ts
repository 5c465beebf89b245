/**
 * Customer notifications (src/notifications): the messages made from the outbox's events, with
 * their attempts, the templates edited through the API, and each customer's preferences.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { orders } from './schema.ts';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

/**
 * One message to one customer on one channel, rendered when it was made. At most one per (event,
 * kind, channel): an event is never announced twice, however often the follower reads it.
 */
export const notificationMessages = pgTable(
  'notification_messages',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    /** The customer's e-mail: how Consign knows a customer (see the customer 360). */
    customerEmail: text('customer_email').notNull(),
    kind: text('kind').notNull(),
    channel: text('channel').notNull(),
    locale: text('locale').notNull(),
    /** The e-mail address, phone number or the shop's customer ID (push). */
    recipient: text('recipient').notNull(),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    html: text('html'),
    status: text('status').notNull(),
    attempts: integer('attempts').notNull().default(0),
    /** When a queued or failed message is tried next; while it is being sent, the end of its lease. */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
    /** An event in `event_history`: no foreign key, the event may move to the archive (ADR 0045). */
    eventId: bigint('event_id', { mode: 'number' }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('notification_messages_event_kind_channel_key').on(t.eventId, t.kind, t.channel),
    index('notification_messages_due_idx').on(t.status, t.nextAttemptAt),
    index('notification_messages_order_idx').on(t.orderId, t.id),
    check('notification_messages_channel_check', sql`${t.channel} in ('email', 'sms', 'push')`),
    check('notification_messages_status_check', sql`${t.status} in ('queued', 'sent', 'failed', 'dead')`),
    check('notification_messages_attempts_check', sql`${t.attempts} >= 0`),
  ],
);

/** A template edited through the API: for one channel, or for every channel (`all`). */
export const notificationTemplates = pgTable(
  'notification_templates',
  {
    kind: text('kind').notNull(),
    locale: text('locale').notNull(),
    channel: text('channel').notNull(),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    html: text('html'),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.kind, t.locale, t.channel] }),
    check('notification_templates_channel_check', sql`${t.channel} in ('all', 'email', 'sms', 'push')`),
  ],
);

/** A customer's choices, by e-mail; a customer without a row gets the defaults. */
export const notificationPreferences = pgTable('notification_preferences', {
  customerEmail: text('customer_email').primaryKey(),
  /** Opted out of the messages that are not transactional (see src/notifications/kinds.ts). */
  optedOut: boolean('opted_out').notNull().default(false),
  /** `en`, `de`, or null: chosen from the shipping country. */
  locale: text('locale'),
  /** Text messages to the order's phone number (when Consign has an SMS webhook). */
  sms: boolean('sms').notNull().default(true),
  /** Push messages to the shop's customer ID (when Consign has a push webhook). */
  push: boolean('push').notNull().default(false),
  updatedAt: updatedAt(),
});
