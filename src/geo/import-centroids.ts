import { sql } from 'drizzle-orm';
import { inTransaction, query, type Db, type Tx } from '../db/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { readGeoNamesFile, type BadLine, type PostalPlace, type ReadProgress } from './geonames.ts';

/** Places sent to the database per statement. */
const BATCH = 5_000;

/** Bad lines kept for the report; the rest are only counted. */
const LISTED_BAD_LINES = 100;

interface ImportOptions {
  /** Import the valid lines and count the bad ones, instead of refusing the file. */
  skipInvalid: boolean;
  onProgress?: (progress: ReadProgress) => void;
}

export interface ImportReport {
  /** Non-blank lines read. */
  rows_read: number;
  /** Bad lines left out (only with `skipInvalid`). */
  skipped: number;
  /** The first bad lines, with their line numbers. */
  invalid: BadLine[];
  /** Postal codes stored per country (ISO 3166-1 alpha-2), each country's previous codes replaced. */
  countries: Record<string, number>;
}

async function stage(tx: Tx, places: PostalPlace[]): Promise<void> {
  const column = <T>(pick: (place: PostalPlace) => T) => sql.param(places.map(pick));
  await tx.execute(sql`
    insert into geo_import_places (line_no, country, postal_key, postal_code, place_name, region, latitude, longitude)
    select * from unnest(${column((p) => p.line)}::int[], ${column((p) => p.country)}::text[], ${column((p) => p.postalKey)}::text[],
                         ${column((p) => p.postalCode)}::text[], ${column((p) => p.placeName)}::text[], ${column((p) => p.region)}::text[],
                         ${column((p) => p.latitude)}::float8[], ${column((p) => p.longitude)}::float8[])`);
}

/** Reads the file into a temporary table of the transaction; the report so far. */
async function stageFile(tx: Tx, file: string, options: ImportOptions): Promise<ImportReport> {
  await tx.execute(sql`
    create temporary table geo_import_places (
      line_no int not null, country text not null, postal_key text not null, postal_code text not null,
      place_name text not null, region text, latitude float8 not null, longitude float8 not null
    ) on commit drop`);
  const report: ImportReport = { rows_read: 0, skipped: 0, invalid: [], countries: {} };
  let batch: PostalPlace[] = [];
  for await (const parsed of readGeoNamesFile(file, options.onProgress)) {
    report.rows_read++;
    if (!parsed.ok) {
      report.skipped++;
      if (report.invalid.length < LISTED_BAD_LINES) report.invalid.push(parsed.bad);
      continue;
    }
    batch.push(parsed.place);
    if (batch.length === BATCH) {
      await stage(tx, batch);
      batch = [];
    }
  }
  if (batch.length > 0) await stage(tx, batch);
  return report;
}

/**
 * Imports a GeoNames-format postal-code file: every country present in the file has its
 * centroids replaced by the file's, one per normalised postal code (the mean of the places
 * sharing it, the first place's name and region). One transaction for the whole file, so a
 * failed import leaves the previous centroids. A file with bad lines is refused
 * (`feed_rejected`, listing them with their line numbers) unless `skipInvalid`.
 */
export async function importPostalCentroids(
  db: Db,
  file: string,
  options: ImportOptions,
): Promise<Result<ImportReport>> {
  return inTransaction(db, async (tx) => {
    const report = await stageFile(tx, file, options);
    if (report.skipped > 0 && !options.skipInvalid) {
      return fail(
        problem(
          'feed_rejected',
          `${report.skipped} line(s) of ${file} are not valid GeoNames postal-code rows; nothing was imported.`,
          { invalid: report.invalid, invalid_count: report.skipped },
        ),
      );
    }
    if (!options.skipInvalid) report.skipped = 0;
    await tx.execute(
      sql`delete from postal_centroids where country in (select distinct country from geo_import_places)`,
    );
    await tx.execute(sql`
      insert into postal_centroids (country, postal_key, postal_code, place_name, region, latitude, longitude)
      select country, postal_key,
             (array_agg(postal_code order by line_no))[1], (array_agg(place_name order by line_no))[1],
             (array_agg(region order by line_no))[1], avg(latitude), avg(longitude)
      from geo_import_places
      group by country, postal_key`);
    const counts = await query<{ country: string; codes: number }>(
      tx,
      sql`select country, count(*)::int as codes from postal_centroids
          where country in (select distinct country from geo_import_places)
          group by country order by country`,
    );
    for (const { country, codes } of counts) report.countries[country] = codes;
    return ok(report);
  });
}
