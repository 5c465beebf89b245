import { sql, type SQL } from 'drizzle-orm';
import { query, queryOne, toIso, type Executor } from '../db/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { availabilityPayload } from './movements.ts';
import { MAX_LISTED_ERRORS, validateFeedRows, type FeedMode, type FeedRow, type RowError } from './feed-rows.ts';

export interface FeedInput {
  feed_id: string;
  mode: FeedMode;
  as_of: string;
  source?: string | undefined;
  /** `locations`: SKUs stocked at the feed's locations but absent from the rows count as zero. */
  snapshot_scope?: 'rows' | 'locations' | undefined;
  rows: FeedRow[];
}

export interface FeedSummary {
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
 *   delivered out of order never overwrite newer data.
 */
export async function ingestFeed(
  executor: Executor,
  input: FeedInput,
  requestHash: string,
  actor: string | null,
): Promise<Result<FeedSummary & { replayed: boolean }>> {
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

  const source = await stageFeed(executor, input);
  await lockLevels(executor, source);
  const violations = await findViolations(executor, input, source);
  if (violations.length > 0) return rejected(violations);

  const counts = await applyFeed(executor, input, source);
  const record = await queryOne<FeedRecord>(
    executor,
    sql`update inventory_feeds
        set applied_count = ${counts.applied}, unchanged_count = ${counts.unchanged}, stale_count = ${counts.stale}
        where feed_id = ${input.feed_id} returning *`,
  );
  return ok({ ...summarize(record!), replayed: false });
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

/**
 * Stages the feed's rows in a temporary table (dropped at commit) and returns it as a relation
 * (idx, location_id, sku, on_hand, quantity, safety_stock). Parsing the JSON once and giving
 * the planner real row counts keeps every later statement a plain hash join.
 */
async function stageFeed(executor: Executor, input: FeedInput): Promise<SQL> {
  const json = JSON.stringify(input.rows.map((r, idx) => ({ idx, ...r })));
  await executor.execute(sql`drop table if exists pg_temp.feed_rows`); // a second feed in one transaction
  await executor.execute(sql`
    create temp table feed_rows (idx int, location_id text, sku text, on_hand int, quantity int, safety_stock int)
    on commit drop`);
  await executor.execute(sql`
    insert into feed_rows
    select * from jsonb_to_recordset(${json}::jsonb) as t(idx int, location_id text, sku text, on_hand int, quantity int, safety_stock int)`);
  if (input.mode === 'snapshot' && input.snapshot_scope === 'locations') {
    // A full snapshot of its locations: levels there that the feed does not mention are counted as zero.
    await executor.execute(sql`
      insert into feed_rows (idx, location_id, sku, on_hand)
      select null, s.location_id, s.sku, 0 from stock_levels s
      where s.location_id in (select distinct location_id from feed_rows)
        and not exists (select 1 from feed_rows r where r.location_id = s.location_id and r.sku = s.sku)`);
  }
  await executor.execute(sql`analyze feed_rows`);
  return sql`select * from feed_rows`;
}

/** Creates missing levels, then locks every level the feed touches in (sku, location) order. */
async function lockLevels(executor: Executor, source: SQL): Promise<void> {
  // Only the missing pairs reach the insert: an ON CONFLICT check per existing level costs more
  // than the anti-join (the conflict clause still covers a level created concurrently).
  await executor.execute(sql`
    insert into stock_levels (location_id, sku)
    select location_id, sku from (${source}) f
    where not exists (select 1 from stock_levels s where s.location_id = f.location_id and s.sku = f.sku)
    order by sku, location_id
    on conflict do nothing`);
  await executor.execute(sql`
    select 1 from stock_levels s
    where (s.location_id, s.sku) in (select location_id, sku from (${source}) f)
    order by s.sku, s.location_id
    for update`);
}

/** Per input row: the level now, the on_hand it would get, and whether it is stale. */
function planSql(input: FeedInput, source: SQL): SQL {
  const snapshot = input.mode === 'snapshot';
  return sql`
    select f.idx, f.location_id, f.sku, f.safety_stock as safety_in,
           s.on_hand as old_on_hand, s.reserved, s.safety_stock as old_safety,
           ${snapshot ? sql`f.on_hand` : sql`s.on_hand + f.quantity`} as new_on_hand,
           coalesce(s.counted_at ${snapshot ? sql`>` : sql`>=`} ${input.as_of}::timestamptz, false) as stale
    from (${source}) f join stock_levels s on s.location_id = f.location_id and s.sku = f.sku`;
}

async function findViolations(executor: Executor, input: FeedInput, source: SQL): Promise<RowError[]> {
  const rows = await query<{
    idx: number | null;
    location_id: string;
    sku: string;
    new_on_hand: number;
    reserved: number;
  }>(
    executor,
    sql`select idx, location_id, sku, new_on_hand, reserved from (${planSql(input, source)}) p
        where not p.stale and p.new_on_hand < p.reserved
        order by idx nulls last
        limit ${MAX_LISTED_ERRORS}`,
  );
  return rows.map((r) => ({
    row: r.idx ?? -1,
    pointer: r.idx === null ? '/snapshot_scope' : `/rows/${r.idx}`,
    code: 'below_reserved' as const,
    message: `${r.sku} at ${r.location_id} would have on_hand ${r.new_on_hand} but ${r.reserved} are reserved`,
  }));
}

async function applyFeed(executor: Executor, input: FeedInput, source: SQL) {
  const snapshot = input.mode === 'snapshot';
  const kind = snapshot ? 'count' : 'adjustment';
  const counts = await queryOne<{ applied: number; unchanged: number; stale: number }>(
    executor,
    sql`
    with plan as (${planSql(input, source)}),
    changed as (
      update stock_levels s
      set on_hand = p.new_on_hand,
          safety_stock = coalesce(p.safety_in, s.safety_stock),
          counted_at = ${snapshot ? sql`${input.as_of}::timestamptz` : sql`s.counted_at`},
          updated_at = now()
      from plan p
      where s.location_id = p.location_id and s.sku = p.sku and not p.stale
      returning s.location_id, s.sku, s.on_hand, s.reserved, s.safety_stock,
                s.on_hand - p.old_on_hand as delta, s.safety_stock <> p.old_safety as safety_changed
    ), ledger as (
      insert into inventory_ledger
        (location_id, sku, kind, on_hand_delta, reserved_delta, on_hand_after, reserved_after, reason, reference_type, reference_id)
      select location_id, sku, ${kind}, delta, 0, on_hand, reserved, ${`feed ${input.source ?? ''}`.trim()}, 'feed', ${input.feed_id}
      from changed where delta <> 0
    ), event as (
      insert into events (type, subject_type, subject_id, payload)
      select 'inventory.availability_changed', 'stock_level', location_id || '/' || sku, ${availabilityPayload(kind)}
      from changed where delta <> 0 or safety_changed
    )
    select (select count(*) from changed where delta <> 0 or safety_changed) as applied,
           (select count(*) from changed where delta = 0 and not safety_changed) as unchanged,
           (select count(*) from plan where stale) as stale`,
  );
  return counts!;
}
