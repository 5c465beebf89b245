import { sql, type SQL } from 'drizzle-orm';
import { queryOne, toIso, type Executor } from '../db/index.ts';
import { insertEvents } from '../events/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { futureAsOf } from './as-of.ts';
import { availabilityPayload } from './movements.ts';
import { MAX_LISTED_ERRORS, validateFeedRows, type FeedMode, type FeedRow, type RowError } from './feed-rows.ts';

interface FeedInput {
  feed_id: string;
  mode: FeedMode;
  as_of: string;
  source?: string | undefined;
  /** `locations`: SKUs stocked at the feed's locations but absent from the rows count as zero. */
  snapshot_scope?: 'rows' | 'locations' | undefined;
  rows: FeedRow[];
}

interface FeedSummary {
  feed_id: string;
  mode: FeedMode;
  source: string | null;
  as_of: string | null;
  rows: number;
  applied: number;
  unchanged: number;
  stale: number;
  received_at: string | null;
}

interface FeedRecord {
  feed_id: string;
  mode: FeedMode;
  source: string | null;
  as_of: string;
  request_hash: string;
  row_count: number;
  applied_count: number;
  unchanged_count: number;
  stale_count: number;
  received_at: string;
}

function summarize(record: FeedRecord): FeedSummary {
  return {
    feed_id: record.feed_id,
    mode: record.mode,
    source: record.source,
    as_of: toIso(record.as_of),
    rows: record.row_count,
    applied: record.applied_count,
    unchanged: record.unchanged_count,
    stale: record.stale_count,
    received_at: toIso(record.received_at),
  };
}

export async function getFeed(executor: Executor, feedId: string): Promise<FeedSummary | undefined> {
  const record = await queryOne<FeedRecord>(executor, sql`select * from inventory_feeds where feed_id = ${feedId}`);
  return record && summarize(record);
}

/**
 * Ingests a bulk snapshot or delta atomically and idempotently by `feed_id`:
 * - the same feed again returns the first result (`replayed: true`); another body → 409;
 * - any bad row rejects the whole feed with per-row errors, and nothing is written;
 * - a row older than the newest count applied to its level is skipped as stale, so feeds
 *   delivered out of order never overwrite newer data;
 * - an `as_of` in the future (beyond the clock-skew allowance) is refused: every later count
 *   would look older and be skipped.
 */
export async function ingestFeed(
  executor: Executor,
  input: FeedInput,
  requestHash: string,
  actor: string | null,
): Promise<Result<FeedSummary & { replayed: boolean }>> {
  const future = futureAsOf(input.as_of);
  if (future) return fail(future);
  const claimed = await queryOne<{ feed_id: string }>(
    executor,
    sql`insert into inventory_feeds (feed_id, source, mode, as_of, request_hash, row_count, applied_count, stale_count, unchanged_count, actor)
        values (${input.feed_id}, ${input.source ?? null}, ${input.mode}, ${input.as_of}, ${requestHash}, ${input.rows.length}, 0, 0, 0, ${actor})
        on conflict (feed_id) do nothing
        returning feed_id`,
  );
  if (!claimed) return replay(executor, input.feed_id, requestHash);

  const rowErrors = await validateFeedRows(executor, input.mode, input.rows);
  if (rowErrors.length > 0) return rejected(rowErrors);

  const locations = textArray(input.rows.map((r) => r.location_id));
  const skus = textArray(input.rows.map((r) => r.sku));
  const rows = rowsSql(input, locations, skus);
  let applied = await applyFeed(executor, input, rows);
  if (applied.missing > 0) {
    // Levels that never held stock: create them, then apply again (the locks taken are kept).
    await createMissingLevels(executor, locations, skus);
    applied = await applyFeed(executor, input, rows);
    if (applied.missing > 0) throw new Error(`feed ${input.feed_id}: stock levels still missing after creating them`);
  }
  if (applied.below > 0) return rejected(belowReserved(applied.below_rows!));
  return ok({ ...summarize(applied as FeedRecord), replayed: false });
}

async function replay(
  executor: Executor,
  feedId: string,
  requestHash: string,
): Promise<Result<FeedSummary & { replayed: boolean }>> {
  const record = await queryOne<FeedRecord>(executor, sql`select * from inventory_feeds where feed_id = ${feedId}`);
  if (!record) throw new Error(`feed ${feedId} conflicted but cannot be read`);
  if (record.request_hash !== requestHash) {
    return fail(
      problem(
        'idempotency_conflict',
        `Feed ${feedId} was already received with different content. Send changed data under a new feed_id.`,
        {
          feed_id: feedId,
        },
      ),
    );
  }
  return ok({ ...summarize(record), replayed: true });
}

function rejected(errors: RowError[]) {
  const rows = new Set(errors.map((e) => e.row)).size;
  return fail(
    problem('feed_rejected', `${rows} row(s) are invalid; nothing was applied. Fix them and send the feed again.`, {
      error_count: errors.length,
      errors: errors.slice(0, MAX_LISTED_ERRORS),
    }),
  );
}

/** A PostgreSQL array literal of text values, each quoted (any character is safe). */
function textArray(values: readonly string[]): string {
  const quoted = values.map((v) => (NEEDS_ESCAPE.test(v) ? `"${v.replace(ESCAPED, '\\$&')}"` : `"${v}"`));
  return `{${quoted.join(',')}}`;
}
const NEEDS_ESCAPE = /["\\]/;
const ESCAPED = /["\\]/g;

/** A PostgreSQL array literal of integers; missing values are NULL. */
function intArray(values: readonly (number | undefined)[]): string {
  return `{${values.map((v) => (v === undefined ? 'NULL' : String(v))).join(',')}}`;
}

/**
 * The feed's rows as a relation (idx, location_id, sku, amount, safety_stock): `amount` is the
 * count (snapshot) or the change (delta). The rows travel as typed arrays, unnested in the
 * statement: no temporary table, no JSON to parse, and the planner knows the row count.
 */
function rowsSql(input: FeedInput, locations: string, skus: string): SQL {
  const snapshot = input.mode === 'snapshot';
  const amounts = intArray(input.rows.map((r) => (snapshot ? r.on_hand : r.quantity)));
  const anySafety = input.rows.some((r) => r.safety_stock !== undefined);
  if (!anySafety) {
    return sql`select (f.ord - 1)::int as idx, f.location_id, f.sku, f.amount, null::int as safety_stock
      from unnest(${locations}::text[], ${skus}::text[], ${amounts}::int[]) with ordinality as f(location_id, sku, amount, ord)`;
  }
  const safety = intArray(input.rows.map((r) => r.safety_stock));
  return sql`select (f.ord - 1)::int as idx, f.location_id, f.sku, f.amount, f.safety_stock
    from unnest(${locations}::text[], ${skus}::text[], ${amounts}::int[], ${safety}::int[])
      with ordinality as f(location_id, sku, amount, safety_stock, ord)`;
}

/** Creates the levels the feed's rows name that have never held stock, in (sku, location) order. */
async function createMissingLevels(executor: Executor, locations: string, skus: string): Promise<void> {
  await executor.execute(sql`
    insert into stock_levels (location_id, sku)
    select location_id, sku from unnest(${locations}::text[], ${skus}::text[]) as f(location_id, sku)
    where not exists (select 1 from stock_levels s where s.location_id = f.location_id and s.sku = f.sku)
    order by sku, location_id
    on conflict do nothing`);
}

interface Applied extends Partial<FeedRecord> {
  /** Feed rows whose level does not exist yet: nothing was applied. */
  missing: number;
  /** Rows that would leave on_hand below reserved: nothing was applied. */
  below: number;
  /** The first of those (JSON: [idx, location_id, sku, new_on_hand, reserved][]), when any. */
  below_rows: string | null;
}

/**
 * Applies the feed in one statement, or writes nothing when a level is missing or a row would
 * leave on_hand below what is reserved:
 * - `plan` locks every level the feed touches, one by one in (sku, location) order as every
 *   multi-level writer does, and reads it as locked (FOR UPDATE returns the newest version):
 *   the on_hand each row would give it and whether the row is stale;
 * - `checked` counts what forbids applying; every write below is gated on it, so a refused feed
 *   stops with its levels locked and nothing changed;
 * - `changed` updates the levels of the rows that are not stale, from the values it locked (not
 *   the statement's older snapshot, whose version a CHECK would otherwise see first); `ledger`
 *   and `event` record each change: an immutable ledger row and an
 *   `inventory.availability_changed` event in the outbox;
 * - `feed` stores the counts on the feed's record, which the statement returns.
 */
async function applyFeed(executor: Executor, input: FeedInput, rows: SQL): Promise<Applied> {
  const snapshot = input.mode === 'snapshot';
  const kind = snapshot ? 'count' : 'adjustment';
  const asOf = sql`${input.as_of}::timestamptz`;
  // A full snapshot of its locations: levels there that the rows do not mention are counted as zero.
  const source =
    snapshot && input.snapshot_scope === 'locations'
      ? sql`(with rows as materialized (${rows})
          select * from rows
          union all
          select null, s.location_id, s.sku, 0, null from stock_levels s
          where s.location_id in (select location_id from rows)
            and not exists (select 1 from rows r where r.location_id = s.location_id and r.sku = s.sku))`
      : sql`(${rows})`;
  const applies = sql`(select missing = 0 and below = 0 from checked)`;
  const applied = await queryOne<Applied>(
    executor,
    sql`
    with plan as materialized (
      select f.idx, f.location_id, f.sku, f.safety_stock as safety_in,
             s.on_hand as old_on_hand, s.reserved, s.safety_stock as old_safety,
             ${snapshot ? sql`f.amount` : sql`s.on_hand + f.amount`} as new_on_hand,
             coalesce(s.counted_at ${snapshot ? sql`>` : sql`>=`} ${asOf}, false) as stale
      from (select * from ${source} f order by f.sku, f.location_id) f
      cross join lateral (
        select * from stock_levels s where s.location_id = f.location_id and s.sku = f.sku for update
      ) s
    ),
    checked as materialized (
      select ${input.rows.length}::int - (select count(*) from plan where idx is not null) as missing,
             (select count(*) from plan where not stale and new_on_hand < reserved) as below
    ),
    changed as (
      -- Every checked column from the locked row: PostgreSQL checks the CHECKs on a first new row
      -- built from the statement's snapshot, which may predate a release committed before the lock
      -- (see lockedWrite in movements.ts).
      update stock_levels s
      set on_hand = p.new_on_hand,
          reserved = p.reserved,
          safety_stock = coalesce(p.safety_in, p.old_safety),
          counted_at = ${snapshot ? asOf : sql`s.counted_at`},
          updated_at = now()
      from plan p
      where s.location_id = p.location_id and s.sku = p.sku and not p.stale and ${applies}
      returning s.location_id, s.sku, s.on_hand, s.reserved, s.safety_stock,
                s.on_hand - p.old_on_hand as delta, s.safety_stock <> p.old_safety as safety_changed
    ), ledger as (
      insert into inventory_ledger
        (location_id, sku, kind, on_hand_delta, reserved_delta, on_hand_after, reserved_after, reason, reference_type, reference_id)
      select location_id, sku, ${kind}, delta, 0, on_hand, reserved, ${`feed ${input.source ?? ''}`.trim()}, 'feed', ${input.feed_id}
      from changed where delta <> 0
    ), event as (${insertEvents(sql`
      select 'inventory.availability_changed', 'stock_level', location_id || '/' || sku, ${availabilityPayload(kind)}
      from changed where delta <> 0 or safety_changed`)}
    ), feed as (
      update inventory_feeds
      set applied_count = (select count(*) from changed where delta <> 0 or safety_changed),
          unchanged_count = (select count(*) from changed where delta = 0 and not safety_changed),
          stale_count = (select count(*) from plan where stale)
      where feed_id = ${input.feed_id} and ${applies}
      returning *
    )
    select c.missing::int as missing, c.below::int as below,
           case when c.missing = 0 and c.below > 0 then (
             select json_agg(json_build_array(v.idx, v.location_id, v.sku, v.new_on_hand, v.reserved)
                             order by v.idx nulls last, v.sku, v.location_id)::text
             from (select idx, location_id, sku, new_on_hand, reserved from plan
                   where not stale and new_on_hand < reserved
                   order by idx nulls last, sku, location_id limit ${MAX_LISTED_ERRORS}) v
           ) end as below_rows,
           f.*
    from checked c left join feed f on true`,
  );
  return applied!;
}

function belowReserved(json: string): RowError[] {
  const rows = JSON.parse(json) as [number | null, string, string, number, number][];
  return rows.map(([idx, locationId, sku, newOnHand, reserved]) => ({
    row: idx ?? -1,
    pointer: idx === null ? '/snapshot_scope' : `/rows/${idx}`,
    code: 'below_reserved' as const,
    message: `${sku} at ${locationId} would have on_hand ${newOnHand} but ${reserved} are reserved`,
  }));
}
