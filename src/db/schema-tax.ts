/**
 * Tax (src/tax): the built-in rate table, the engine settings, product tax codes, and the tax
 * documents quoted, committed and adjusted for orders, with their tax per line in minor units.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { orders, products } from './schema.ts';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/**
 * One jurisdiction's rate where it applies: a country, optionally narrowed to a region and a
 * postal-code prefix, optionally for one product tax code. Rows of different jurisdictions stack.
 */
export const taxRates = pgTable(
  'tax_rates',
  {
    id: text('id').primaryKey(),
    country: text('country').notNull(),
    region: text('region'),
    postalPrefix: text('postal_prefix'),
    taxCode: text('tax_code'),
    jurisdiction: text('jurisdiction').notNull(),
    name: text('name').notNull(),
    ratePpm: integer('rate_ppm').notNull(),
    shippingTaxable: boolean('shipping_taxable').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('tax_rates_country_idx').on(t.country),
    check('tax_rates_rate_check', sql`${t.ratePpm} between 0 and 1000000`),
    check('tax_rates_country_check', sql`${t.country} ~ '^[A-Z]{2}$'`),
  ],
);

/** The installation's tax settings: one row, or none when Consign does not compute tax. */
export const taxSettings = pgTable(
  'tax_settings',
  {
    id: integer('id').primaryKey(),
    engine: text('engine').notNull(),
    onFailure: text('on_failure').notNull(),
    priceMode: text('price_mode').notNull(),
    shipFrom: jsonb('ship_from'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('tax_settings_single_row', sql`${t.id} = 1`),
    check('tax_settings_engine_check', sql`${t.engine} in ('table', 'avatax')`),
    check('tax_settings_on_failure_check', sql`${t.onFailure} in ('hold', 'table')`),
    check('tax_settings_price_mode_check', sql`${t.priceMode} in ('exclusive', 'inclusive')`),
  ],
);

export const productTaxCodes = pgTable('product_tax_codes', {
  sku: text('sku')
    .primaryKey()
    .references(() => products.sku),
  taxCode: text('tax_code').notNull(),
});

/** A quote for an order (`sale`), or the tax given back with a refund (`refund`). */
export const taxDocuments = pgTable(
  'tax_documents',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    kind: text('kind').notNull(),
    engine: text('engine').notNull(),
    status: text('status').notNull(),
    /** The engine's transaction code (AvaTax `code`); null for the built-in table. */
    externalCode: text('external_code'),
    priceMode: text('price_mode').notNull(),
    currency: text('currency').notNull(),
    taxMinor: bigint('tax_minor', { mode: 'number' }).notNull(),
    /** The refund (payment) a `refund` document accounts for. */
    paymentId: text('payment_id'),
    /** Why the configured engine was not used (the table stood in) or the commit failed. */
    note: text('note'),
    createdAt: createdAt(),
    committedAt: timestamp('committed_at', { withTimezone: true }),
  },
  (t) => [
    index('tax_documents_order_idx').on(t.orderId),
    check('tax_documents_kind_check', sql`${t.kind} in ('sale', 'refund')`),
    check('tax_documents_engine_check', sql`${t.engine} in ('table', 'avatax')`),
    check('tax_documents_status_check', sql`${t.status} in ('uncommitted', 'committed')`),
  ],
);

/** The tax of one order line (or of the shipping charge, line `shipping`) in one document. */
export const taxLines = pgTable(
  'tax_lines',
  {
    documentId: text('document_id')
      .notNull()
      .references(() => taxDocuments.id),
    lineId: text('line_id').notNull(),
    amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),
    taxableMinor: bigint('taxable_minor', { mode: 'number' }).notNull(),
    taxMinor: bigint('tax_minor', { mode: 'number' }).notNull(),
    /** Per jurisdiction: `{ jurisdiction, name, rate_ppm, tax_minor }`, adding up to `tax_minor`. */
    details: jsonb('details').notNull(),
  },
  (t) => [primaryKey({ columns: [t.documentId, t.lineId] })],
);
