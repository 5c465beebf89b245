import { sql } from 'drizzle-orm';
import { inTransaction, query, queryOne, toIso, type Db, type Tx } from '../db/index.ts';
import { csvLine } from '../shared/csv.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { columnNames, columnsOf, EXPORT_KINDS, KINDS, type ExportKind } from './kinds.ts';

export type ExportFormat = 'jsonl' | 'csv';

/** Where an export stands: after `position` of `kind`, counting only records since `since`. */
interface Cursor {
  kind: ExportKind;
  position: number;
  since: string | null;
}

const CURSOR_PREFIX = 'x1.';

/** Opaque to clients: `x1.` + base64url of [kind, position, since]. Safe in CSV, URLs and headers. */
function encodeCursor(cursor: Cursor): string {
  const json = JSON.stringify([cursor.kind, cursor.position, cursor.since]);
  return CURSOR_PREFIX + Buffer.from(json).toString('base64url');
}

function decodeCursor(text: string): Cursor | undefined {
  if (!text.startsWith(CURSOR_PREFIX)) return undefined;
  const body = text.slice(CURSOR_PREFIX.length);
  if (!/^[A-Za-z0-9_-]+$/.test(body)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 3) return undefined;
    const [kind, position, since] = value as unknown[];
    if (typeof kind !== 'string' || !(EXPORT_KINDS as readonly string[]).includes(kind)) return undefined;
    if (typeof position !== 'number' || !Number.isSafeInteger(position) || position < 0) return undefined;
    if (since !== null && (typeof since !== 'string' || normalizeSince(since) !== since)) return undefined;
    return { kind: kind as ExportKind, position, since };
  } catch {
    return undefined;
  }
}

/** Whether `text` is an export cursor (of any kind); the CLI's `--since` takes a cursor or a date. */
export function isExportCursor(text: string): boolean {
  return decodeCursor(text) !== undefined;
}

/** A date (`2026-11-01`) or a date-time with an offset, as ISO 8601 in UTC; undefined if neither. */
function normalizeSince(text: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2}))?$/.test(text)) return undefined;
  const time = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text);
  // PostgreSQL has no year 0, and no record of Consign's is older than 1970.
  if (!Number.isFinite(time) || time < Date.UTC(1970, 0, 1) || time >= Date.UTC(10000, 0, 1)) return undefined;
  return new Date(time).toISOString();
}

interface ExportRequest {
  kind: ExportKind;
  /** A cursor from an earlier row or page of the same kind. */
  after?: string | undefined;
  /** Without a cursor: start with the records that happened at or after this date. */
  since?: string | undefined;
  limit: number;
}

type Value = string | number | null | object;

interface ExportRow {
  cursor: string;
  values: Value[];
}

interface ExportPage {
  kind: ExportKind;
  rows: ExportRow[];
  /** The last row's cursor, or the request's position when the page is empty: where to go on. */
  nextCursor: string;
  /** Rows numbered for export after this page: at least this many are left, more may become exportable. */
  remaining: number;
}

function badInput(pointer: string, message: string) {
  return fail(problem('validation_failed', message, { errors: [{ pointer, message }] }));
}

/** The request's starting position, or why it has none. */
function startOf(request: ExportRequest): Result<Cursor> {
  if (request.after !== undefined && request.since !== undefined) {
    return badInput('/since', 'Give either after (a cursor) or since (a date), not both: a cursor carries its date.');
  }
  if (request.after !== undefined) {
    const cursor = decodeCursor(request.after);
    if (!cursor) return badInput('/after', 'after is not an export cursor: use a cursor an export of this kind gave.');
    if (cursor.kind !== request.kind) {
      return badInput('/after', `after is a cursor of ${cursor.kind}, not of ${request.kind}.`);
    }
    return ok(cursor);
  }
  if (request.since !== undefined) {
    const since = normalizeSince(request.since);
    if (since === undefined) {
      return badInput(
        '/since',
        'since must be a date (2026-11-01) or a date-time with an offset (2026-11-01T08:00:00Z).',
      );
    }
    return ok({ kind: request.kind, position: 0, since });
  }
  return ok({ kind: request.kind, position: 0, since: null });
}

/**
 * Gives every committed record of the kind that has none a position, in one transaction under
 * the kind's lock: positions are taken by one transaction at a time per kind, so a reader that
 * sees position N sees every lower position of the kind too. A record committed late (its ID
 * taken before others', its commit after them) gets the next position when it is first seen,
 * so a cursor never passes it by.
 */
async function numberNewRecords(tx: Tx, kind: ExportKind): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`consign:export:${kind}`}))`);
  await tx.execute(sql`
    insert into export_positions (kind, source_id, occurred_at)
    select ${kind}, s.source_id, s.occurred_at
    from (${KINDS[kind].source}) s
    where not exists (select 1 from export_positions p where p.kind = ${kind} and p.source_id = s.source_id)
    order by s.occurred_at, s.seq, s.source_id`);
}

function convert(type: string, value: unknown): Value {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'integer':
      return Number(value);
    case 'timestamp':
      return toIso(value as string);
    case 'json':
      return typeof value === 'string' ? (JSON.parse(value) as object) : (value as object);
    default:
      return String(value);
  }
}

/** One page of an export: the rows after the request's position, oldest position first. */
export async function readExportPage(db: Db, request: ExportRequest): Promise<Result<ExportPage>> {
  const start = startOf(request);
  if (!start.ok) return start;
  const { kind, since } = start.value;
  const definition = KINDS[kind];
  const columns = columnsOf(kind);
  return inTransaction(db, async (tx) => {
    const sinceFilter = since === null ? sql`` : sql`and p.occurred_at >= ${since}::timestamptz`;
    const readPage = () =>
      query<Record<string, unknown> & { position: number }>(
        tx,
        sql`select p.position, ${definition.select}
            from export_positions p ${definition.join}
            where p.kind = ${kind} and p.position > ${start.value.position} ${sinceFilter}
            order by p.position
            limit ${request.limit + 1}`,
      );
    // Rows already numbered are served as they are; a page that reaches the last numbered row
    // numbers what is new first, so an empty `remaining` means nothing exportable is left.
    let rows = await readPage();
    if (rows.length <= request.limit) {
      await numberNewRecords(tx, kind);
      rows = await readPage();
    }
    rows = rows.slice(0, request.limit);
    const page = rows.map((row) => ({
      cursor: encodeCursor({ kind, position: Number(row.position), since }),
      values: columns.map((c) => convert(c.type, row[c.name])),
    }));
    const last = rows.length > 0 ? Number(rows.at(-1)!.position) : start.value.position;
    const left = await queryOne<{ n: number }>(
      tx,
      sql`select count(*)::int as n from export_positions p
          where p.kind = ${kind} and p.position > ${last} ${sinceFilter}`,
    );
    return ok({
      kind,
      rows: page,
      nextCursor: encodeCursor({ kind, position: last, since }),
      remaining: left?.n ?? 0,
    });
  });
}

/** The header line of a CSV export (JSON Lines has none). */
export function csvHeader(kind: ExportKind): string {
  return csvLine(columnNames(kind));
}

/** One row as a line (without its line break): a JSON object, or CSV cells in the header's order. */
export function formatRow(kind: ExportKind, row: ExportRow, format: ExportFormat): string {
  if (format === 'jsonl') {
    const names = columnNames(kind);
    return JSON.stringify(Object.fromEntries([row.cursor, ...row.values].map((value, i) => [names[i], value])));
  }
  return csvLine([
    row.cursor,
    ...row.values.map((value) =>
      value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value),
    ),
  ]);
}
