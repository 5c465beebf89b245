/**
 * Channel connectors (src/connectors): how each channel's platform talks to Consign, and the
 * platform orders held for review instead of being placed.
 */
import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { channels, orders, webhookSubscriptions } from './schema.ts';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

export const channelConnectors = pgTable(
  'channel_connectors',
  {
    channelId: text('channel_id')
      .primaryKey()
      .references(() => channels.id),
    platform: text('platform').notNull(),
    /** The platform's webhook signing secret; never shown by the API. */
    secret: text('secret').notNull(),
    /** What an order that does not add up gets: `reject` (problem+json) or `review_hold` (kept for review). */
    onMismatch: text('on_mismatch').notNull().default('reject'),
    /** Platform location IDs → Consign location IDs (pickup stores). */
    locationMap: jsonb('location_map').notNull().default({}),
    outboundUrl: text('outbound_url'),
    /** The webhook subscription that delivers this connector's outbound messages. */
    outboundSubscriptionId: text('outbound_subscription_id').references(() => webhookSubscriptions.id),
    /** Pulling connectors: `{ base_url, interval_ms, marketplace_ids, api_version, access_token }`. */
    polling: jsonb('polling'),
    /** Where the poller stands: `{ updated_after, next_token }`, written with the orders it covers. */
    pollCursor: jsonb('poll_cursor'),
    polledAt: timestamp('polled_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('channel_connectors_platform_idx').on(t.platform),
    check(
      'channel_connectors_platform_check',
      sql`${t.platform} in ('shopify', 'woocommerce', 'bigcommerce', 'sfcc', 'amazon')`,
    ),
    check('channel_connectors_on_mismatch_check', sql`${t.onMismatch} in ('reject', 'review_hold')`),
  ],
);

export const connectorReviews = pgTable(
  'connector_reviews',
  {
    id: text('id').primaryKey(),
    channelId: text('channel_id')
      .notNull()
      .references(() => channels.id),
    platform: text('platform').notNull(),
    externalId: text('external_id').notNull(),
    /** `held` until placed (after the catalogue or channel is fixed) or dismissed. */
    status: text('status').notNull().default('held'),
    /** Why it could not be placed: `{ code, detail, errors }`. */
    problem: jsonb('problem').notNull(),
    /** The platform's payload exactly as received (big integers intact). */
    payload: text('payload').notNull(),
    orderId: text('order_id').references(() => orders.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('connector_reviews_channel_external_key').on(t.channelId, t.externalId),
    check('connector_reviews_status_check', sql`${t.status} in ('held', 'placed', 'dismissed')`),
  ],
);
