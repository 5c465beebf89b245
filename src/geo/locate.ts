import { sql } from 'drizzle-orm';
import { queryOne, type Executor } from '../db/index.ts';
import { coordinatesForPostalCode, type Coordinates } from '../routing/index.ts';
import { keyPrefixes, postalKey } from './postal-key.ts';

/**
 * Coordinates of a postal code of `country` (ISO 3166-1 alpha-2) from the imported centroids:
 * the code itself (normalised: upper case, no spaces or dashes), else its longest prefix of at
 * least 3 characters that is stored ("01310-100" → "01310", "SW1A 1AA" → "SW1A"). US codes
 * (and its territories') not found fall back to the built-in ZIP list. Null when unknown.
 */
export async function locatePostalCode(
  executor: Executor,
  country: string,
  postalCode: string,
): Promise<Coordinates | null> {
  const iso = country.trim().toUpperCase();
  const key = postalKey(postalCode.trim());
  if (key !== '') {
    // Equality on the primary key for each candidate, not LIKE: an index lookup per prefix.
    const found = await queryOne<Coordinates>(
      executor,
      sql`select latitude, longitude from postal_centroids
          where country = ${iso} and postal_key = any(${sql.param(keyPrefixes(key))}::text[])
          order by length(postal_key) desc limit 1`,
      { prepare: true },
    );
    if (found !== undefined) return { latitude: found.latitude, longitude: found.longitude };
  }
  return coordinatesForPostalCode(iso, postalCode);
}
