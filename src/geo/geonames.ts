import fs from 'node:fs';
import readline from 'node:readline';
import { MAX_POSTAL_KEY_LENGTH, postalKey } from './postal-key.ts';

/**
 * The GeoNames postal-code dump (download.geonames.org/export/zip): UTF-8, one place per line,
 * 12 tab-separated columns — country code, postal code, place name, admin name1, admin code1,
 * admin name2, admin code2, admin name3, admin code3, latitude, longitude, accuracy.
 */
const GEONAMES_COLUMNS = 12;

/** One valid line of the file: a place with its postal code. */
export interface PostalPlace {
  /** 1-based line number in the file. */
  line: number;
  country: string;
  postalCode: string;
  postalKey: string;
  placeName: string;
  /** Admin name1 (state, region); null when empty. */
  region: string | null;
  latitude: number;
  longitude: number;
}

/** A line that is not a valid place, with why. */
export interface BadLine {
  line: number;
  message: string;
}

export type ParsedLine = { ok: true; place: PostalPlace } | { ok: false; bad: BadLine };

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

function coordinate(text: string, limit: number): number | null {
  const trimmed = text.trim();
  if (!DECIMAL.test(trimmed)) return null;
  const value = Number(trimmed);
  return Math.abs(value) <= limit ? value : null;
}

/** Parses one line of the dump (without its line break); `line` is its 1-based number. */
export function parseGeoNamesLine(text: string, line: number): ParsedLine {
  const bad = (message: string): ParsedLine => ({ ok: false, bad: { line, message } });
  const fields = text.split('\t');
  if (fields.length !== GEONAMES_COLUMNS) {
    return bad(`expected ${GEONAMES_COLUMNS} tab-separated columns, found ${fields.length}`);
  }
  const country = fields[0]!.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(country)) return bad(`country code "${fields[0]}" is not two letters`);
  const postalCode = fields[1]!.trim();
  const key = postalKey(postalCode);
  if (key === '') return bad('the postal code is empty');
  if (key.length > MAX_POSTAL_KEY_LENGTH)
    return bad(`postal code "${postalCode}" is longer than ${MAX_POSTAL_KEY_LENGTH}`);
  const latitude = coordinate(fields[9]!, 90);
  if (latitude === null) return bad(`latitude "${fields[9]}" is not a number between -90 and 90`);
  const longitude = coordinate(fields[10]!, 180);
  if (longitude === null) return bad(`longitude "${fields[10]}" is not a number between -180 and 180`);
  const region = fields[3]!.trim();
  return {
    ok: true,
    place: {
      line,
      country,
      postalCode,
      postalKey: key,
      placeName: fields[2]!.trim(),
      region: region === '' ? null : region,
      latitude,
      longitude,
    },
  };
}

/** Where reading a file has got to, for a progress display. */
export interface ReadProgress {
  lines: number;
  bytesRead: number;
  totalBytes: number;
}

/**
 * Reads a GeoNames file line by line (never whole: the all-countries file has 1.5 million
 * lines), yielding every non-blank line parsed. A byte-order mark and CR line ends are allowed.
 */
export async function* readGeoNamesFile(
  file: string,
  onProgress?: (progress: ReadProgress) => void,
): AsyncGenerator<ParsedLine> {
  const totalBytes = fs.statSync(file).size;
  const stream = fs.createReadStream(file, { encoding: 'utf8' });
  const lines = readline.createInterface({ input: stream, crlfDelay: Infinity });
  let number = 0;
  try {
    for await (const raw of lines) {
      number++;
      const text = number === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (text.trim() !== '') yield parseGeoNamesLine(text, number);
      if (onProgress && number % 10_000 === 0) onProgress({ lines: number, bytesRead: stream.bytesRead, totalBytes });
    }
  } finally {
    lines.close();
    stream.destroy();
  }
  onProgress?.({ lines: number, bytesRead: totalBytes, totalBytes });
}
