import { parseCsv } from '../shared/csv.ts';
import type { SnapshotRow } from './reconcile.ts';

export type SnapshotFormat = 'csv' | 'jsonl';

/** A row the file cannot give: its line (1 is the first) and why. */
interface SnapshotRowError {
  line: number;
  message: string;
}

const MAX_ON_HAND = 1_000_000_000;
/** The names a snapshot's columns may have: ERP and WMS exports spell them differently. */
const ALIASES: Record<keyof SnapshotRow, string[]> = {
  location_id: ['location_id', 'location', 'location_code'],
  sku: ['sku'],
  on_hand: ['on_hand', 'quantity', 'qty'],
};

function readRow(fields: Record<string, unknown>, line: number): SnapshotRow | SnapshotRowError {
  const pick = (name: keyof SnapshotRow) => {
    const alias = ALIASES[name].find((a) => fields[a] !== undefined && fields[a] !== '');
    return alias === undefined ? undefined : fields[alias];
  };
  const location = pick('location_id');
  const sku = pick('sku');
  const onHand = pick('on_hand');
  if (typeof location !== 'string' || location.trim() === '') return { line, message: 'no location_id' };
  if (typeof sku !== 'string' || sku.trim() === '') return { line, message: 'no sku' };
  const quantity = typeof onHand === 'string' && /^\d+$/.test(onHand.trim()) ? Number(onHand.trim()) : onHand;
  if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 0 || quantity > MAX_ON_HAND) {
    return { line, message: `on_hand must be a whole number from 0 to ${MAX_ON_HAND}, not ${JSON.stringify(onHand)}` };
  }
  return { location_id: location.trim(), sku: sku.trim(), on_hand: quantity };
}

/**
 * Reads a stock snapshot file: CSV with a header row naming location_id (or location),
 * sku and on_hand (or quantity), or JSON Lines with those keys. Any bad row fails the whole file.
 */
export function parseSnapshot(
  text: string,
  format: SnapshotFormat,
): { rows: SnapshotRow[]; errors: SnapshotRowError[] } {
  const rows: SnapshotRow[] = [];
  const errors: SnapshotRowError[] = [];
  const take = (row: SnapshotRow | SnapshotRowError) => ('message' in row ? errors.push(row) : rows.push(row));
  if (format === 'csv') {
    const [header, ...cells] = parseCsv(text);
    const names = (header ?? []).map((name) => name.trim().toLowerCase());
    cells.forEach((row, i) => take(readRow(Object.fromEntries(names.map((n, j) => [n, row[j]])), i + 2)));
  } else {
    text.split(/\r?\n/).forEach((line, i) => {
      if (line.trim() === '') return;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        errors.push({ line: i + 1, message: 'not JSON' });
        return;
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        errors.push({ line: i + 1, message: 'not a JSON object' });
      } else take(readRow(value as Record<string, unknown>, i + 1));
    });
  }
  if (rows.length === 0 && errors.length === 0) errors.push({ line: 1, message: 'the snapshot has no rows' });
  return { rows, errors };
}
