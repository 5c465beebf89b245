/**
 * Geo (src/geo): postal-code centroids the operator imports from a GeoNames-format file, so that
 * orders with a postal code and no coordinates can be routed by distance in any country.
 */
import { sql } from 'drizzle-orm';
import { check, doublePrecision, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

/**
 * One postal code's centroid: the mean of the file's places sharing the code. `postal_key` is the
 * code normalised (upper case, no spaces or dashes) for lookup; `postal_code` is as in the file.
 */
export const postalCentroids = pgTable(
  'postal_centroids',
  {
    country: text('country').notNull(),
    postalKey: text('postal_key').notNull(),
    postalCode: text('postal_code').notNull(),
    placeName: text('place_name').notNull(),
    region: text('region'),
    latitude: doublePrecision('latitude').notNull(),
    longitude: doublePrecision('longitude').notNull(),
  },
  (t) => [
    primaryKey({ name: 'postal_centroids_pkey', columns: [t.country, t.postalKey] }),
    check('postal_centroids_country_check', sql`${t.country} ~ '^[A-Z]{2}$'`),
    check(
      'postal_centroids_postal_key_check',
      sql`${t.postalKey} ~ '^[^[:space:]-]{1,20}$' and ${t.postalKey} = upper(${t.postalKey})`,
    ),
    check('postal_centroids_latitude_check', sql`${t.latitude} between -90 and 90`),
    check('postal_centroids_longitude_check', sql`${t.longitude} between -180 and 180`),
  ],
);
