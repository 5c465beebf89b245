/**
 * Channel connectors (src/connectors): how each channel's platform talks to Consign, and the
 * platform orders held for review instead of being placed.
 */
import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { channels, orders, products, webhookSubscriptions } from './schema.ts';

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

export const connectorEvents = pgTable(
  'connector_events',
  {
    id: text('id').primaryKey(),
    channelId: text('channel_id')
      .notNull()
      .references(() => channels.id),
    platform: text('platform').notNull(),
    /** The platform's order ID the event is about. */
    externalId: text('external_id').notNull(),
    /** What makes the event unique for its order (`cancel`, `edit:<id>`, `refund:<id>`). */
    eventKey: text('event_key').notNull(),
    /** `cancel`, `edit` or `refund`. */
    kind: text('kind').notNull(),
    /** The event as read from the platform: `{ reason }`, `{ removed, added }`, `{ amount_minor, … }`. */
    data: jsonb('data').notNull(),
    /** `pending` while the order is not in Consign yet, `applied` once it was applied to it. */
    status: text('status').notNull().default('pending'),
    orderId: text('order_id'),
    createdAt: createdAt(),
    appliedAt: timestamp('applied_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('connector_events_order_key').on(t.channelId, t.externalId, t.eventKey),
    check('connector_events_kind_check', sql`${t.kind} in ('cancel', 'edit', 'refund')`),
    check('connector_events_status_check', sql`${t.status} in ('pending', 'applied')`),
  ],
);
/**
 * A channel's platform items (Shopify product/variant, WooCommerce product/variation, BigCommerce
 * product/variant, SFCC productId, Amazon ASIN/SellerSKU) → Consign SKUs. Inbound lines are
 * resolved through it before their own SKU; availability pushes name these items.
 */
export const channelCatalogMappings = pgTable(
  'channel_catalog_mappings',
  {
    channelId: text('channel_id')
      .notNull()
      .references(() => channels.id),
    /** Shopify/BigCommerce `product_id`, WooCommerce `product_id`, SFCC `productId`, Amazon ASIN. */
    productId: text('product_id').notNull(),
    /** Shopify/BigCommerce `variant_id`, WooCommerce `variation_id`, Amazon SellerSKU; '' for the whole product. */
    variantId: text('variant_id').notNull().default(''),
    sku: text('sku')
      .notNull()
      .references(() => products.sku),
    /** Shopify's inventory item ID, which its inventory API keys stock by. */
    inventoryItemId: text('inventory_item_id'),
    /** `api` (set by a user) or `auto` (recorded when a platform SKU equalled a Consign SKU). */
    source: text('source').notNull().default('api'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.channelId, t.productId, t.variantId] }),
    index('channel_catalog_mappings_sku_idx').on(t.channelId, t.sku),
    check('channel_catalog_mappings_source_check', sql`${t.source} in ('api', 'auto')`),
  ],
);

/** The last thing that went wrong on a channel's connector (an order refused, a poll that failed). */
export const connectorErrors = pgTable('connector_errors', {
  channelId: text('channel_id')
    .primaryKey()
    .references(() => channels.id),
  /** `{ code, detail, source }`; source is `inbound` or `polling`. */
  problem: jsonb('problem').notNull(),
  occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
});
