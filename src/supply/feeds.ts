import { sql } from 'drizzle-orm';
import { query, type Executor } from '../db/index.ts';
import { findUnknown, isCalendarDay, today } from '../inventory/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { withPromiseEvents } from './promise-events.ts';
import type { SupplyFeed } from './schemas.ts';
import { changeSupply, getSupply, insertSupply, type SupplyView } from './supplies.ts';

type FeedRow = SupplyFeed['rows'][number];

interface RowError {
  row: number;
  pointer: string;
  code:
    | 'invalid_day'
    | 'date_in_past'
    | 'unknown_sku'
    | 'unknown_location'
    | 'duplicate_row'
    | 'conflicting_row'
    | 'supply_not_open';
  message: string;
}

/** One supply of the feed: the rows with its kind and reference. */
interface Group {
  first: number;
  rows: { index: number; row: FeedRow }[];
}

const keyOf = (row: FeedRow) => `${row.kind}\u0000${row.reference}`;

/** Every error knowable from the rows alone: past dates, a SKU twice, rows of one supply that disagree. */
function rowErrors(rows: FeedRow[], groups: Map<string, Group>): RowError[] {
  const now = today();
  const errors: RowError[] = [];
  for (const group of groups.values()) {
    const head = group.rows[0]!.row;
    const seen = new Map<string, number>();
    for (const { index, row } of group.rows) {
      if (!isCalendarDay(row.expected_on)) {
        errors.push({
          row: index,
          pointer: `/rows/${index}/expected_on`,
          code: 'invalid_day',
          message: 'is not a day of the calendar',
        });
      } else if (row.expected_on < now) {
        errors.push({
          row: index,
          pointer: `/rows/${index}/expected_on`,
          code: 'date_in_past',
          message: `is before ${now}`,
        });
      }
      if (row.location_id !== head.location_id || row.expected_on !== head.expected_on) {
        errors.push({
          row: index,
          pointer: `/rows/${index}`,
          code: 'conflicting_row',
          message: `row ${group.first} gives ${head.reference} another location or date`,
        });
      }
      const first = seen.get(row.sku);
      if (first !== undefined) {
        errors.push({
          row: index,
          pointer: `/rows/${index}/sku`,
          code: 'duplicate_row',
          message: `same supply and SKU as row ${first}`,
        });
      } else seen.set(row.sku, index);
    }
  }
  return errors;
}

async function referenceErrors(executor: Executor, rows: FeedRow[]): Promise<RowError[]> {
  const unknown = await findUnknown(
    executor,
    rows.map((r) => r.sku),
    rows.map((r) => r.location_id),
  );
  return rows.flatMap((row, index): RowError[] => [
    ...(unknown.locations.has(row.location_id)
      ? [
          {
            row: index,
            pointer: `/rows/${index}/location_id`,
            code: 'unknown_location' as const,
            message: `no location ${row.location_id}`,
          },
        ]
      : []),
    ...(unknown.skus.has(row.sku)
      ? [{ row: index, pointer: `/rows/${index}/sku`, code: 'unknown_sku' as const, message: `no product ${row.sku}` }]
      : []),
  ]);
}

/** The supplies the feed names that exist, locked in (kind, reference) order. */
async function lockExisting(executor: Executor, groups: Map<string, Group>) {
  const heads = [...groups.values()].map((g) => g.rows[0]!.row);
  const rows = await query<{ id: string; kind: string; reference: string }>(
    executor,
    sql`select s.id, s.kind, s.reference from supplies s
        join unnest(${sql.param(heads.map((h) => h.kind))}::text[], ${sql.param(heads.map((h) => h.reference))}::text[]) as t(kind, reference)
          on s.kind = t.kind and s.reference = t.reference
        order by s.kind, s.reference
        for update of s`,
  );
  const existing = new Map<string, SupplyView>();
  for (const row of rows) existing.set(`${row.kind}\u0000${row.reference}`, (await getSupply(executor, row.id))!);
  return existing;
}

const sameLines = (supply: SupplyView, group: Group) =>
  supply.lines.length === group.rows.length &&
  group.rows.every(({ row }) => supply.lines.some((l) => l.sku === row.sku && l.quantity === row.quantity));

/**
 * Applies a bulk feed of expected supply, all rows or none: each (kind, reference) is one supply,
 * created when new, else its date and lines set to the rows' (only while it is open). Any bad row
 * rejects the feed (`feed_rejected`, every error with its row) and nothing is written.
 */
export async function ingestSupplyFeed(executor: Executor, feed: SupplyFeed, actor: string | null) {
  const groups = new Map<string, Group>();
  feed.rows.forEach((row, index) => {
    const group = groups.get(keyOf(row)) ?? { first: index, rows: [] };
    group.rows.push({ index, row });
    groups.set(keyOf(row), group);
  });
  const errors = [...rowErrors(feed.rows, groups), ...(await referenceErrors(executor, feed.rows))];
  const existing = await lockExisting(executor, groups);
  for (const [key, supply] of existing) {
    const group = groups.get(key)!;
    if (supply.status !== 'open') {
      errors.push({
        row: group.first,
        pointer: `/rows/${group.first}/reference`,
        code: 'supply_not_open',
        message: `supply ${supply.id} is ${supply.status}`,
      });
    } else if (supply.location_id !== group.rows[0]!.row.location_id) {
      errors.push({
        row: group.first,
        pointer: `/rows/${group.first}/location_id`,
        code: 'conflicting_row',
        message: `supply ${supply.id} is expected at ${supply.location_id}`,
      });
    }
  }
  if (errors.length > 0) {
    errors.sort((a, b) => a.row - b.row);
    return fail(
      problem('feed_rejected', `${new Set(errors.map((e) => e.row)).size} row(s) are invalid; nothing was applied.`, {
        error_count: errors.length,
        errors: errors.slice(0, 1000),
      }),
    );
  }
  const skus = [...feed.rows.map((r) => r.sku), ...[...existing.values()].flatMap((s) => s.lines.map((l) => l.sku))];
  return withPromiseEvents(executor, skus, actor, () => applyGroups(executor, feed, groups, existing, actor));
}

async function applyGroups(
  executor: Executor,
  feed: SupplyFeed,
  groups: Map<string, Group>,
  existing: Map<string, SupplyView>,
  actor: string | null,
): Promise<
  Result<{ feed_id: string | null; created: number; updated: number; unchanged: number; supply_ids: string[] }>
> {
  const counts = { created: 0, updated: 0, unchanged: 0 };
  const ids: string[] = [];
  for (const [key, group] of groups) {
    const head = group.rows[0]!.row;
    const lines = group.rows.map(({ row }) => ({ sku: row.sku, quantity: row.quantity }));
    const supply = existing.get(key);
    if (
      supply &&
      supply.expected_on === head.expected_on &&
      supply.location_id === head.location_id &&
      sameLines(supply, group)
    ) {
      counts.unchanged++;
      ids.push(supply.id);
      continue;
    }
    const written = supply
      ? await changeSupply(executor, supply, { expected_on: head.expected_on, lines }, actor)
      : await insertSupply(executor, { ...head, lines }, actor);
    if (!written.ok) return written;
    counts[supply ? 'updated' : 'created']++;
    ids.push(written.value.id);
  }
  return ok({ feed_id: feed.feed_id ?? null, ...counts, supply_ids: ids });
}
