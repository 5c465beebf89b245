/**
 * The whole relational schema, one place for drizzle-kit to read. Each capability owns its
 * tables (the comments say which); other capabilities refer to their rows by ID only.
 */
import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigserial,
  bigint,
  boolean,
  check,
  doublePrecision,
  foreignKey,
  index,
  integer,
  json,
  jsonb,
  pgTable,
  pgView,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

// ── platform ───────────────────────────────────────────────────────────────────────────────

export const meta = pgTable('consign_meta', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: updatedAt(),
});

export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    role: text('role').notNull(),
    secretHash: text('secret_hash').notNull(),
    prefix: text('prefix').notNull(),
    locationIds: text('location_ids')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    channelId: text('channel_id').references(() => channels.id),
    createdAt: createdAt(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    /** When the key last authenticated a request, written at most once a minute. */
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('api_keys_secret_hash_key').on(t.secretHash),
    check('api_keys_role_check', sql`${t.role} in ('admin', 'agent', 'fulfillment', 'channel', 'read-only')`),
  ],
);

export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    principal: text('principal').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    method: text('method').notNull(),
    path: text('path').notNull(),
    responseStatus: integer('response_status'),
    responseBody: jsonb('response_body'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.principal, t.key] }), index('idempotency_keys_created_at_idx').on(t.createdAt)],
);

// ── events: the transactional outbox ───────────────────────────────────────────────────────

/** What an event says, in the outbox, its archive and their `event_history` view alike. */
const eventColumns = () => ({
  type: text('type').notNull(),
  subjectType: text('subject_type').notNull(),
  subjectId: text('subject_id').notNull(),
  payload: jsonb('payload').notNull(),
});

export const events = pgTable(
  'events',
  { id: bigserial('id', { mode: 'number' }).primaryKey(), ...eventColumns(), createdAt: createdAt() },
  (t) => [index('events_type_id_idx').on(t.type, t.id), index('events_subject_idx').on(t.subjectId, t.id)],
);

/**
 * Events past the retention window that every follower has passed, moved out of the outbox with
 * their IDs (CONSIGN_EVENT_RETENTION_DAYS, ADR 0045): an ID is in exactly one of the two tables.
 * The `event_history` view (migration 0030) reads both for the feed, timelines and deliveries.
 */
export const eventsArchive = pgTable(
  'events_archive',
  {
    id: bigint('id', { mode: 'number' }).primaryKey(),
    ...eventColumns(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    archivedAt: timestamp('archived_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('events_archive_type_id_idx').on(t.type, t.id),
    index('events_archive_subject_idx').on(t.subjectId, t.id),
  ],
);

/** Every event ever recorded, live or archived, with the outbox's columns. */
export const eventHistory = pgView('event_history', {
  id: bigint('id', { mode: 'number' }).notNull(),
  ...eventColumns(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
}).existing();

// ── network: locations, location groups, channels ─────────────────────────────────────────

export const locations = pgTable(
  'locations',
  {
    id: text('id').primaryKey(),
    code: text('code'),
    type: text('type').notNull(),
    name: text('name').notNull(),
    address: jsonb('address').notNull(),
    latitude: doublePrecision('latitude'),
    longitude: doublePrecision('longitude'),
    timezone: text('timezone').notNull(),
    capabilities: text('capabilities').array().notNull(),
    dailyCapacity: integer('daily_capacity'),
    cutoffTime: text('cutoff_time'),
    priority: integer('priority').notNull().default(0),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('locations_code_key').on(t.code),
    check('locations_type_check', sql`${t.type} in ('warehouse', 'store', 'distribution_center', '3pl')`),
    check('locations_daily_capacity_check', sql`${t.dailyCapacity} is null or ${t.dailyCapacity} >= 0`),
    check('locations_latitude_check', sql`${t.latitude} is null or ${t.latitude} between -90 and 90`),
    check('locations_longitude_check', sql`${t.longitude} is null or ${t.longitude} between -180 and 180`),
  ],
);

export const locationGroups = pgTable(
  'location_groups',
  {
    id: text('id').primaryKey(),
    code: text('code'),
    name: text('name').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('location_groups_code_key').on(t.code)],
);

export const locationGroupMembers = pgTable(
  'location_group_members',
  {
    groupId: text('group_id')
      .notNull()
      .references(() => locationGroups.id, { onDelete: 'cascade' }),
    locationId: text('location_id')
      .notNull()
      .references(() => locations.id),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.locationId] })],
);

export const channels = pgTable(
  'channels',
  {
    id: text('id').primaryKey(),
    code: text('code'),
    name: text('name').notNull(),
    type: text('type').notNull(),
    locationGroupId: text('location_group_id')
      .notNull()
      .references(() => locationGroups.id),
    currency: text('currency').notNull().default('USD'),
    /** live: orders are reserved and fulfilled; shadow: decided only, beside a legacy system (src/shadow). */
    mode: text('mode').notNull().default('live'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('channels_code_key').on(t.code),
    check('channels_mode_check', sql`${t.mode} in ('live', 'shadow')`),
    check('channels_type_check', sql`${t.type} in ('web', 'b2b', 'marketplace', 'pos', 'mobile', 'social', 'other')`),
    check('channels_currency_check', sql`${t.currency} ~ '^[A-Z]{3}$'`),
  ],
);

// ── catalog ───────────────────────────────────────────────────────────────────────────────

export const products = pgTable(
  'products',
  {
    sku: text('sku').primaryKey(),
    name: text('name').notNull(),
    weightGrams: integer('weight_grams'),
    dimensions: jsonb('dimensions'),
    allowBackorder: boolean('allow_backorder').notNull().default(false),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [check('products_weight_check', sql`${t.weightGrams} is null or ${t.weightGrams} >= 0`)],
);

// ── inventory: levels, ledger, feeds ──────────────────────────────────────────────────────

export const stockLevels = pgTable(
  'stock_levels',
  {
    locationId: text('location_id')
      .notNull()
      .references(() => locations.id),
    sku: text('sku')
      .notNull()
      .references(() => products.sku),
    onHand: integer('on_hand').notNull().default(0),
    reserved: integer('reserved').notNull().default(0),
    safetyStock: integer('safety_stock').notNull().default(0),
    /** `as_of` of the newest absolute count applied (PUT or snapshot feed); older counts never win. */
    countedAt: timestamp('counted_at', { withTimezone: true }),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.locationId, t.sku] }),
    index('stock_levels_sku_idx').on(t.sku),
    check('stock_levels_on_hand_check', sql`${t.onHand} >= 0`),
    check('stock_levels_reserved_check', sql`${t.reserved} >= 0`),
    check('stock_levels_safety_stock_check', sql`${t.safetyStock} >= 0`),
    check('stock_levels_reserved_within_on_hand', sql`${t.reserved} <= ${t.onHand}`),
  ],
);

export const inventoryLedger = pgTable(
  'inventory_ledger',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    locationId: text('location_id')
      .notNull()
      .references(() => locations.id),
    sku: text('sku')
      .notNull()
      .references(() => products.sku),
    kind: text('kind').notNull(),
    onHandDelta: integer('on_hand_delta').notNull(),
    reservedDelta: integer('reserved_delta').notNull(),
    onHandAfter: integer('on_hand_after').notNull(),
    reservedAfter: integer('reserved_after').notNull(),
    reason: text('reason'),
    referenceType: text('reference_type'),
    referenceId: text('reference_id'),
    actor: text('actor'),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('inventory_ledger_sku_location_idx').on(t.sku, t.locationId, t.id),
    index('inventory_ledger_location_idx').on(t.locationId, t.id),
    index('inventory_ledger_reference_idx').on(t.referenceId),
    check(
      'inventory_ledger_kind_check',
      sql`${t.kind} in ('receipt', 'adjustment', 'count', 'transfer_out', 'transfer_in', 'reservation', 'release', 'expiry', 'commit', 'ship', 'return_restock', 'write_off', 'shortage')`,
    ),
  ],
);

export const inventoryFeeds = pgTable(
  'inventory_feeds',
  {
    feedId: text('feed_id').primaryKey(),
    source: text('source'),
    mode: text('mode').notNull(),
    asOf: timestamp('as_of', { withTimezone: true }).notNull(),
    requestHash: text('request_hash').notNull(),
    rowCount: integer('row_count').notNull(),
    appliedCount: integer('applied_count').notNull(),
    staleCount: integer('stale_count').notNull(),
    unchangedCount: integer('unchanged_count').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    actor: text('actor'),
  },
  (t) => [check('inventory_feeds_mode_check', sql`${t.mode} in ('snapshot', 'delta')`)],
);

// ── reservations: cart holds ──────────────────────────────────────────────────────────────

export const reservations = pgTable(
  'reservations',
  {
    id: text('id').primaryKey(),
    status: text('status').notNull(),
    channelId: text('channel_id').references(() => channels.id),
    reference: text('reference'),
    orderId: text('order_id').references((): AnyPgColumn => orders.id),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    actor: text('actor'),
  },
  (t) => [
    index('reservations_held_expiry_idx')
      .on(t.expiresAt)
      .where(sql`${t.status} = 'held'`),
    check('reservations_status_check', sql`${t.status} in ('held', 'committed', 'released', 'expired')`),
  ],
);

export const reservationLines = pgTable(
  'reservation_lines',
  {
    reservationId: text('reservation_id')
      .notNull()
      .references(() => reservations.id),
    lineNo: integer('line_no').notNull(),
    sku: text('sku')
      .notNull()
      .references(() => products.sku),
    locationId: text('location_id')
      .notNull()
      .references(() => locations.id),
    quantity: integer('quantity').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.reservationId, t.lineNo] }),
    check('reservation_lines_quantity_check', sql`${t.quantity} > 0`),
  ],
);

// ── orders ────────────────────────────────────────────────────────────────────────────────

export const orders = pgTable(
  'orders',
  {
    id: text('id').primaryKey(),
    channelId: text('channel_id')
      .notNull()
      .references(() => channels.id),
    externalId: text('external_id').notNull(),
    requestHash: text('request_hash').notNull(),
    status: text('status').notNull(),
    /** Bumped by every change; compare-and-set guards use it with `status`. */
    version: integer('version').notNull().default(1),
    customer: jsonb('customer').notNull(),
    customerEmail: text('customer_email'),
    shippingAddress: jsonb('shipping_address'),
    destinationLatitude: doublePrecision('destination_latitude'),
    destinationLongitude: doublePrecision('destination_longitude'),
    deliveryMethod: text('delivery_method').notNull(),
    pickupLocationId: text('pickup_location_id').references(() => locations.id),
    allowShipFallback: boolean('allow_ship_fallback').notNull().default(false),
    currency: text('currency').notNull(),
    subtotalMinor: bigint('subtotal_minor', { mode: 'number' }).notNull(),
    discountMinor: bigint('discount_minor', { mode: 'number' }).notNull(),
    shippingMinor: bigint('shipping_minor', { mode: 'number' }).notNull(),
    taxMinor: bigint('tax_minor', { mode: 'number' }).notNull(),
    totalMinor: bigint('total_minor', { mode: 'number' }).notNull(),
    authorizedMinor: bigint('authorized_minor', { mode: 'number' }).notNull(),
    rulesVersion: integer('rules_version').references(() => routingRuleVersions.version),
    metadata: jsonb('metadata'),
    /**
     * False for an order imported from a previous system as it was (ADR 0047): Consign reports on
     * it and shows it, but never routes, captures, cancels or changes it.
     */
    managed: boolean('managed').notNull().default(true),
    placedAt: timestamp('placed_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('orders_channel_external_id_key').on(t.channelId, t.externalId),
    index('orders_status_idx').on(t.status, t.id),
    index('orders_customer_email_idx').on(t.customerEmail, t.id),
    // Date windows (search, reports) newest placed first; the ID settles ties and is the cursor.
    index('orders_placed_at_id_idx').on(t.placedAt, t.id),
    // The search's `q` is "contains": trigram indexes (pg_trgm, migration 0028) answer it without reading every order.
    index('orders_external_id_trgm_idx').using('gin', t.externalId.op('gin_trgm_ops')),
    index('orders_customer_email_trgm_idx').using('gin', t.customerEmail.op('gin_trgm_ops')),
    index('orders_customer_name_trgm_idx').using('gin', sql`(${t.customer}->>'name') gin_trgm_ops`),
    check(
      'orders_status_check',
      sql`${t.status} in ('created', 'confirmed', 'in_process', 'partially_shipped', 'shipped', 'partially_delivered', 'delivered', 'cancelled')`,
    ),
    check('orders_delivery_method_check', sql`${t.deliveryMethod} in ('ship', 'pickup', 'curbside')`),
    check('orders_money_check', sql`${t.totalMinor} >= 0 and ${t.authorizedMinor} >= 0`),
    check('orders_currency_check', sql`${t.currency} ~ '^[A-Z]{3}$'`),
  ],
);

export const orderLines = pgTable(
  'order_lines',
  {
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    lineId: text('line_id').notNull(),
    lineNo: integer('line_no').notNull(),
    /** Orders carry catalogue SKUs only (an unknown or inactive one is refused at placement). */
    sku: text('sku')
      .notNull()
      .references(() => products.sku),
    name: text('name'),
    unitPriceMinor: bigint('unit_price_minor', { mode: 'number' }).notNull(),
    discountMinor: bigint('discount_minor', { mode: 'number' }).notNull().default(0),
    taxMinor: bigint('tax_minor', { mode: 'number' }).notNull().default(0),
    quantity: integer('quantity').notNull(),
    allocated: integer('allocated').notNull().default(0),
    /** Units waiting for a location: back-ordered, or awaiting routing (a new line starts with all its units here). */
    backordered: integer('backordered').notNull().default(0),
    cancelled: integer('cancelled').notNull().default(0),
    shipped: integer('shipped').notNull().default(0),
    delivered: integer('delivered').notNull().default(0),
    returnRequested: integer('return_requested').notNull().default(0),
    returned: integer('returned').notNull().default(0),
    refunded: integer('refunded').notNull().default(0),
    reservationId: text('reservation_id').references(() => reservations.id),
    /** The location the order names for this line (a seller, a vendor, the store of a store sale): routed there only. */
    shipFromLocationId: text('ship_from_location_id').references(() => locations.id),
  },
  (t) => [
    primaryKey({ columns: [t.orderId, t.lineId] }),
    index('order_lines_sku_idx').on(t.sku),
    index('order_lines_backordered_idx')
      .on(t.sku)
      .where(sql`${t.backordered} > 0`),
    check('order_lines_quantity_check', sql`${t.quantity} > 0`),
    // Every unit of a line is in exactly one bucket: allocated to a location, waiting for one
    // (back-ordered, or awaiting routing after a rejection or a short pick), cancelled or shipped.
    check(
      'order_lines_buckets_check',
      sql`${t.allocated} >= 0 and ${t.backordered} >= 0 and ${t.cancelled} >= 0 and ${t.shipped} >= 0 and ${t.delivered} >= 0
          and ${t.allocated} + ${t.backordered} + ${t.cancelled} + ${t.shipped} = ${t.quantity}
          and ${t.delivered} <= ${t.shipped} and ${t.returned} <= ${t.delivered} and ${t.returnRequested} >= 0 and ${t.refunded} >= 0`,
    ),
  ],
);

export const orderAllocations = pgTable(
  'order_allocations',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    lineId: text('line_id').notNull(),
    sku: text('sku').notNull(),
    locationId: text('location_id')
      .notNull()
      .references(() => locations.id),
    quantity: integer('quantity').notNull(),
    /**
     * reserved → released (cancel/reject) or shipped. A line's `allocated` is the sum of its
     * reserved allocations' quantities: a deferred constraint trigger checks it at commit.
     */
    status: text('status').notNull().default('reserved'),
    fulfillmentOrderId: text('fulfillment_order_id').references((): AnyPgColumn => fulfillmentOrders.id),
    decisionId: bigint('decision_id', { mode: 'number' }).references((): AnyPgColumn => routingDecisions.id),
    /**
     * A kit split over locations (routing rule `bundles: "split_components"`): its rows, one per
     * location, share this ID and each counts the same bundles; the line counts them once.
     */
    kitGroup: text('kit_group'),
    /** A split kit's part: the leaf components picked at this location, units per bundle. */
    components: jsonb('components').$type<{ sku: string; quantity: number }[]>(),
    /** A shipped kit part: the shipment that carried it, and whether it was the kit's last. */
    shipmentId: text('shipment_id').references((): AnyPgColumn => shipments.id),
    completesKit: boolean('completes_kit').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    index('order_allocations_line_idx').on(t.orderId, t.lineId),
    foreignKey({
      name: 'order_allocations_line_fk',
      columns: [t.orderId, t.lineId],
      foreignColumns: [orderLines.orderId, orderLines.lineId],
    }),
    index('order_allocations_fo_idx').on(t.fulfillmentOrderId),
    check('order_allocations_quantity_check', sql`${t.quantity} > 0`),
    check('order_allocations_status_check', sql`${t.status} in ('reserved', 'released', 'shipped')`),
    check('order_allocations_kit_part_check', sql`(${t.kitGroup} is null) = (${t.components} is null)`),
    index('order_allocations_kit_group_idx')
      .on(t.kitGroup)
      .where(sql`${t.kitGroup} is not null`),
  ],
);

export const fulfillmentOrders = pgTable(
  'fulfillment_orders',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    locationId: text('location_id')
      .notNull()
      .references(() => locations.id),
    deliveryMethod: text('delivery_method').notNull(),
    status: text('status').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('fulfillment_orders_queue_idx').on(t.locationId, t.status, t.id),
    index('fulfillment_orders_order_idx').on(t.orderId),
    check(
      'fulfillment_orders_status_check',
      sql`${t.status} in ('allocated', 'accepted', 'picking', 'packed', 'shipped', 'delivered', 'ready_for_pickup', 'picked_up', 'rejected', 'cancelled')`,
    ),
    check('fulfillment_orders_delivery_method_check', sql`${t.deliveryMethod} in ('ship', 'pickup', 'curbside')`),
  ],
);

export const orderHolds = pgTable(
  'order_holds',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    kind: text('kind').notNull(),
    reason: text('reason').notNull(),
    createdBy: text('created_by'),
    createdAt: createdAt(),
    releasedAt: timestamp('released_at', { withTimezone: true }),
    releasedBy: text('released_by'),
  },
  (t) => [
    index('order_holds_order_idx').on(t.orderId),
    check('order_holds_kind_check', sql`${t.kind} in ('payment', 'fraud', 'manual', 'review', 'routing', 'tax')`),
  ],
);

export const payments = pgTable(
  'payments',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    kind: text('kind').notNull(),
    status: text('status').notNull(),
    amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    gateway: text('gateway').notNull(),
    reference: text('reference'),
    parentId: text('parent_id').references((): AnyPgColumn => payments.id),
    /** The client's key for a capture, void, refund or authorization; one record per key on an order. */
    idempotencyKey: text('idempotency_key'),
    createdAt: createdAt(),
  },
  (t) => [
    index('payments_order_idx').on(t.orderId),
    uniqueIndex('payments_order_idempotency_key').on(t.orderId, t.idempotencyKey),
    check('payments_amount_check', sql`${t.amountMinor} >= 0`),
    check('payments_kind_check', sql`${t.kind} in ('authorization', 'capture', 'void', 'refund')`),
    check('payments_status_check', sql`${t.status} in ('succeeded', 'failed', 'pending')`),
    check('payments_currency_check', sql`${t.currency} ~ '^[A-Z]{3}$'`),
  ],
);

// ── routing ───────────────────────────────────────────────────────────────────────────────

export const routingRuleVersions = pgTable(
  'routing_rule_versions',
  {
    version: integer('version').primaryKey(),
    status: text('status').notNull(),
    rules: jsonb('rules').notNull(),
    notes: text('notes'),
    createdBy: text('created_by'),
    createdAt: createdAt(),
    activatedBy: text('activated_by'),
    activatedAt: timestamp('activated_at', { withTimezone: true }),
    effectiveFrom: timestamp('effective_from', { withTimezone: true }),
    effectiveTo: timestamp('effective_to', { withTimezone: true }),
  },
  (t) => [check('routing_rule_versions_status_check', sql`${t.status} in ('draft', 'active', 'retired')`)],
);

export const routingDecisions = pgTable(
  'routing_decisions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    cause: text('cause').notNull(),
    rulesVersion: integer('rules_version').references(() => routingRuleVersions.version),
    outcome: text('outcome').notNull(),
    // json, not jsonb: written once per routing (about 30 kB for 50 candidates) and read whole,
    // so keeping the text costs far less than parsing it into jsonb on every order.
    explanation: json('explanation').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('routing_decisions_order_idx').on(t.orderId, t.id),
    check('routing_decisions_cause_check', sql`${t.cause} in ('capture', 'reroute', 'backorder', 'release')`),
    check('routing_decisions_outcome_check', sql`${t.outcome} in ('allocated', 'partially_allocated', 'rejected')`),
  ],
);

// ── fulfillment: shipments and tracking ───────────────────────────────────────────────────

export const fulfillmentOrderDetails = pgTable('fulfillment_order_details', {
  fulfillmentOrderId: text('fulfillment_order_id')
    .primaryKey()
    .references(() => fulfillmentOrders.id),
  /** SHA-256 of the pickup code handed to the customer; the code itself is shown once. */
  pickupCodeHash: text('pickup_code_hash'),
  rejectionReason: text('rejection_reason'),
  arrivedAt: timestamp('arrived_at', { withTimezone: true }),
  acceptedAt: timestamp('accepted_at', { withTimezone: true }),
  handedOverAt: timestamp('handed_over_at', { withTimezone: true }),
});

export const shipments = pgTable(
  'shipments',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    fulfillmentOrderId: text('fulfillment_order_id')
      .notNull()
      .references(() => fulfillmentOrders.id),
    locationId: text('location_id')
      .notNull()
      .references(() => locations.id),
    carrier: text('carrier').notNull(),
    service: text('service'),
    trackingNumber: text('tracking_number'),
    status: text('status').notNull(),
    packages: jsonb('packages'),
    shippedAt: timestamp('shipped_at', { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    lastEventAt: timestamp('last_event_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('shipments_order_idx').on(t.orderId),
    index('shipments_tracking_idx').on(t.trackingNumber),
    /** Reports read shipments by when they left (time to ship, turnover, units sold). */
    index('shipments_shipped_at_idx').on(t.shippedAt),
    check(
      'shipments_status_check',
      sql`${t.status} in ('label_created', 'pre_transit', 'in_transit', 'out_for_delivery', 'delivered', 'exception', 'returned_to_sender')`,
    ),
  ],
);

export const shipmentLines = pgTable(
  'shipment_lines',
  {
    shipmentId: text('shipment_id')
      .notNull()
      .references(() => shipments.id),
    orderId: text('order_id').notNull(),
    lineId: text('line_id').notNull(),
    sku: text('sku').notNull(),
    quantity: integer('quantity').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.shipmentId, t.lineId] }),
    foreignKey({
      name: 'shipment_lines_line_fk',
      columns: [t.orderId, t.lineId],
      foreignColumns: [orderLines.orderId, orderLines.lineId],
    }),
    check('shipment_lines_quantity_check', sql`${t.quantity} > 0`),
  ],
);

export const trackingEvents = pgTable(
  'tracking_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    shipmentId: text('shipment_id')
      .notNull()
      .references(() => shipments.id),
    source: text('source').notNull(),
    /** The carrier's or aggregator's event identity; repeats of it are ignored. */
    dedupeKey: text('dedupe_key').notNull(),
    status: text('status').notNull(),
    description: text('description'),
    location: text('location'),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    raw: jsonb('raw'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('tracking_events_dedupe_key').on(t.shipmentId, t.source, t.dedupeKey),
    index('tracking_events_shipment_idx').on(t.shipmentId, t.occurredAt),
    check(
      'tracking_events_status_check',
      sql`${t.status} in ('pre_transit', 'in_transit', 'out_for_delivery', 'delivered', 'exception', 'returned_to_sender')`,
    ),
  ],
);

// ── payments and invoices ─────────────────────────────────────────────────────────────────

export const paymentDetails = pgTable('payment_details', {
  paymentId: text('payment_id')
    .primaryKey()
    .references(() => payments.id),
  gatewayReference: text('gateway_reference'),
  failureCode: text('failure_code'),
  failureMessage: text('failure_message'),
  shipmentId: text('shipment_id').references(() => shipments.id),
  /** A refund's return; its foreign key is added by hand in the migration (returns live in schema-returns.ts). */
  returnId: text('return_id'),
  details: jsonb('details'),
});

export const invoiceCounters = pgTable('invoice_counters', {
  series: text('series').primaryKey(),
  lastNumber: integer('last_number').notNull().default(0),
});

export const invoices = pgTable(
  'invoices',
  {
    id: text('id').primaryKey(),
    kind: text('kind').notNull(),
    series: text('series').notNull(),
    number: integer('number').notNull(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    paymentId: text('payment_id').references(() => payments.id),
    currency: text('currency').notNull(),
    totalMinor: bigint('total_minor', { mode: 'number' }).notNull(),
    document: jsonb('document').notNull(),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('invoices_series_number_key').on(t.series, t.number),
    index('invoices_order_idx').on(t.orderId),
    check('invoices_kind_check', sql`${t.kind} in ('invoice', 'credit_memo')`),
    check('invoices_currency_check', sql`${t.currency} ~ '^[A-Z]{3}$'`),
  ],
);

// ── outbound events: webhooks and stream publishing ───────────────────────────────────────

export const webhookSubscriptions = pgTable('webhook_subscriptions', {
  id: text('id').primaryKey(),
  url: text('url').notNull(),
  description: text('description'),
  /** Standard Webhooks secret (`whsec_…`). */
  secret: text('secret').notNull(),
  eventTypes: text('event_types').array().notNull(),
  channelId: text('channel_id').references(() => channels.id),
  active: boolean('active').notNull().default(true),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    subscriptionId: text('subscription_id')
      .notNull()
      .references(() => webhookSubscriptions.id),
    /** An event in `event_history`: no foreign key, the event may move to the archive (ADR 0045). */
    eventId: bigint('event_id', { mode: 'number' }).notNull(),
    status: text('status').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_subscription_event_key').on(t.subscriptionId, t.eventId),
    index('webhook_deliveries_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'pending'`),
    check('webhook_deliveries_status_check', sql`${t.status} in ('pending', 'succeeded', 'failed', 'dead')`),
  ],
);

export const outboxCursors = pgTable('outbox_cursors', {
  name: text('name').primaryKey(),
  lastEventId: bigint('last_event_id', { mode: 'number' }).notNull().default(0),
  updatedAt: updatedAt(),
});
