/**
 * Bundles (kits), owned by `src/catalog/`. A product with component rows is a bundle: it has no
 * stock of its own (a trigger refuses a `stock_levels` row for it); its availability, holds and
 * movements are its components'. Components may be bundles themselves; the catalogue refuses a
 * bundle that contains itself, directly or through another bundle.
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { products } from './schema.ts';

export const productComponents = pgTable(
  'product_components',
  {
    bundleSku: text('bundle_sku')
      .notNull()
      .references(() => products.sku),
    componentSku: text('component_sku')
      .notNull()
      .references(() => products.sku),
    /** Units of the component in one unit of the bundle. */
    quantity: integer('quantity').notNull(),
    /** Weight of one unit of the component when the bundle's price is split over its components. */
    priceWeight: integer('price_weight').notNull().default(1),
    position: integer('position').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.bundleSku, t.componentSku] }),
    index('product_components_component_idx').on(t.componentSku),
    check('product_components_quantity_check', sql`${t.quantity} > 0`),
    check('product_components_price_weight_check', sql`${t.priceWeight} >= 0`),
    check('product_components_not_itself', sql`${t.bundleSku} <> ${t.componentSku}`),
  ],
);
