import type { Engine } from '../db/index.ts';
import type { SequenceValue } from './catalog.ts';

/**
 * A Consign backup is JSON Lines, the same for both engines (so one restores into the other):
 *
 *   ["consign-backup", 1, header]      what follows: tables with row counts, sequences, schema
 *   ["table", "orders"]                the rows of `orders` follow, one JSON object per line
 *   {"id": "ord_…", …}                 a row, as PostgreSQL's row_to_json wrote it
 *   ["end"]                            the backup is complete
 *
 * Control lines are arrays and rows are objects, so no column name can be mistaken for one.
 */
export const BACKUP_FORMAT = 'consign-backup';
const BACKUP_VERSION = 1;

export interface BackupHeader {
  created_at: string;
  /** The engine the backup was taken from (either restores into either). */
  engine: Engine;
  /** The last migration of the schema the rows fit (drizzle's `folderMillis`). */
  migration: number;
  /** Every table with its number of rows, in the order their rows follow. */
  tables: { name: string; rows: number }[];
  sequences: SequenceValue[];
}

export type ControlLine = { kind: 'header'; header: BackupHeader } | { kind: 'table'; name: string } | { kind: 'end' };

export const headerLine = (header: BackupHeader) => JSON.stringify([BACKUP_FORMAT, BACKUP_VERSION, header]);
export const tableLine = (name: string) => JSON.stringify(['table', name]);
export const END_LINE = JSON.stringify(['end']);

/** A line is a row (its JSON text, kept as is) or a control line; anything else is not a backup. */
export function parseLine(line: string): { row: string } | { control: ControlLine } | { error: string } {
  if (line.startsWith('{')) return { row: line };
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { error: 'a line is neither a row nor a control line' };
  }
  if (!Array.isArray(value)) return { error: 'a line is neither a row nor a control line' };
  const [kind, first, second] = value as unknown[];
  if (kind === BACKUP_FORMAT) {
    if (first !== BACKUP_VERSION)
      return { error: `backup format version ${String(first)} is not one this Consign reads` };
    return isHeader(second) ? { control: { kind: 'header', header: second } } : { error: 'the header is incomplete' };
  }
  if (kind === 'table' && typeof first === 'string') return { control: { kind: 'table', name: first } };
  if (kind === 'end') return { control: { kind: 'end' } };
  return { error: `unknown control line ${line.slice(0, 80)}` };
}

function isHeader(value: unknown): value is BackupHeader {
  const header = value as Partial<BackupHeader> | null;
  return (
    typeof header?.migration === 'number' &&
    typeof header.created_at === 'string' &&
    Array.isArray(header.tables) &&
    header.tables.every((t) => typeof t?.name === 'string' && Number.isInteger(t.rows)) &&
    Array.isArray(header.sequences)
  );
}
