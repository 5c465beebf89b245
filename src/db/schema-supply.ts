/**
 * Inbound supply (purchase orders, ASNs, transfers in transit) and pre-order policies, owned by
 * `src/supply/`. A supply is expected at one location on one date and carries lines per SKU;
 * receiving it writes `receipt` ledger rows through inventory and closes it. What waiting order
 * units are promised against it is derived, never stored (`src/inventory/supply-plan.ts`).
 */
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { locations, products } from './schema.ts';

const at = (name: string) => timestamp(name, { withTimezone: true });

export const supplies = pgTable(
  'supplies',
  {
    id: text('id').primaryKey(),
    kind: text('kind').notNull(),
    /** The sender's document number (PO, ASN, transfer); unique per kind. */
    reference: text('reference').notNull(),
    locationId: text('location_id')
      .notNull()
      .references(() => locations.id),
    /** The day the goods are expected at the location. */
    expectedOn: date('expected_on', { mode: 'string' }).notNull(),
    /** open → received | cancelled; moved by compare-and-set on `version`. */
    status: text('status').notNull().default('open'),
    version: integer('version').notNull().default(1),
    createdAt: at('created_at').notNull().defaultNow(),
    updatedAt: at('updated_at').notNull().defaultNow(),
    receivedAt: at('received_at'),
    cancelledAt: at('cancelled_at'),
    actor: text('actor'),
  },
  (t) => [
    uniqueIndex('supplies_kind_reference_key').on(t.kind, t.reference),
    index('supplies_open_idx')
      .on(t.expectedOn, t.id)
      .where(sql`${t.status} = 'open'`),
    check('supplies_kind_check', sql`${t.kind} in ('purchase_order', 'asn', 'transfer')`),
    check('supplies_status_check', sql`${t.status} in ('open', 'received', 'cancelled')`),
    check(
      'supplies_closed_check',
      sql`(${t.status} = 'received') = (${t.receivedAt} is not null) and (${t.status} = 'cancelled') = (${t.cancelledAt} is not null)`,
    ),
  ],
);

export const supplyLines = pgTable(
  'supply_lines',
  {
    supplyId: text('supply_id')
      .notNull()
      .references(() => supplies.id),
    sku: text('sku')
      .notNull()
      .references(() => products.sku),
    /** Units expected. */
    quantity: integer('quantity').notNull(),
    /** Units received (may be more or fewer than expected); 0 until the supply is received. */
    received: integer('received').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.supplyId, t.sku] }),
    index('supply_lines_sku_idx').on(t.sku),
    check('supply_lines_quantity_check', sql`${t.quantity} > 0 and ${t.received} >= 0`),
  ],
);

export const productPreorders = pgTable(
  'product_preorders',
  {
    sku: text('sku')
      .primaryKey()
      .references(() => products.sku),
    /** While enabled, the SKU may be ordered beyond what is on hand: the units wait for supply. */
    enabled: boolean('enabled').notNull().default(true),
    /** At most this many units of the SKU may wait (over all open orders) while pre-orders are on. */
    cap: integer('cap').notNull(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [check('product_preorders_cap_check', sql`${t.cap} >= 0`)],
);
