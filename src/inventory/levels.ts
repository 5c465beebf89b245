import { sql } from 'drizzle-orm';
import { productNameOf, skuOrNameContains } from '../catalog/index.ts';
import { query, queryOne, toIso, type Executor } from '../db/index.ts';
import { insertEvents } from '../events/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { futureAsOf } from './as-of.ts';
import { availabilityPayload, ensureLevels, type Level } from './movements.ts';
import { checkReferences } from './references.ts';

interface SetLevelInput {
  locationId: string;
  sku: string;
  onHand: number;
  safetyStock?: number | undefined;
  /**
   * When the count was taken; an older count than the one applied is ignored (not an error).
   * Absent: a count taken now, which always applies.
   */
  asOf?: string | undefined;
  reason?: string | undefined;
  /** The document the count comes from (a count sheet, a WMS snapshot): the ledger row's reference_id. */
  reference?: string | undefined;
  actor?: string | undefined;
}

interface SetLevelOutcome extends Level {
  applied: boolean;
  counted_at: string | null;
}

/**
 * Sets on_hand (a physical count) and optionally safety stock for one SKU at one location.
 * The difference to the previous on_hand is written to the ledger as a `count` movement.
 * A count with an `asOf` older than the newest one applied is ignored and reported as
 * `applied: false`; an `asOf` in the future is refused. A count without `asOf` is taken now and
 * always applies, also over a later `counted_at` (which only a future-dated count can have left).
 */
export async function setStockLevel(executor: Executor, input: SetLevelInput): Promise<Result<SetLevelOutcome>> {
  const future = futureAsOf(input.asOf);
  if (future) return fail(future);
  const unknown = await checkReferences(executor, [input.sku], [input.locationId]);
  if (unknown) return fail(unknown);
  await ensureLevels(executor, [input]);
  const asOf = input.asOf ?? new Date().toISOString();
  const inOrder =
    input.asOf === undefined ? sql`true` : sql`(old.counted_at is null or old.counted_at <= ${asOf}::timestamptz)`;
  const row = await queryOne<Level & { counted_at: string; changed: boolean }>(
    executor,
    sql`
    with old as (
      select on_hand, reserved, safety_stock, counted_at from stock_levels
      where location_id = ${input.locationId} and sku = ${input.sku} for update
    ), applied as (
      -- reserved and safety stock from the locked row, not the statement's snapshot: PostgreSQL
      -- checks the CHECKs on a first new row built from the snapshot's (maybe pre-release) version
      -- (see lockedWrite in movements.ts).
      update stock_levels s
      set on_hand = ${input.onHand}, reserved = old.reserved,
          safety_stock = coalesce(${input.safetyStock ?? null}::int, old.safety_stock),
          counted_at = ${asOf}::timestamptz, updated_at = now()
      from old
      where s.location_id = ${input.locationId} and s.sku = ${input.sku}
        and ${inOrder}
        and ${input.onHand} >= old.reserved
      returning s.location_id, s.sku, s.on_hand, s.reserved, s.safety_stock, s.counted_at,
                s.on_hand - old.on_hand as delta, s.safety_stock <> old.safety_stock as safety_changed
    ), ledger as (
      insert into inventory_ledger
        (location_id, sku, kind, on_hand_delta, reserved_delta, on_hand_after, reserved_after, reason, reference_type, reference_id, actor)
      select location_id, sku, 'count', delta, 0, on_hand, reserved, ${input.reason ?? 'stock count'}, 'count', ${input.reference ?? null}, ${input.actor ?? null}
      from applied where delta <> 0
    ), event as (${insertEvents(sql`
      select 'inventory.availability_changed', 'stock_level', location_id || '/' || sku, ${availabilityPayload('count')}
      from applied where delta <> 0 or safety_changed`)}
    )
    select location_id, sku, on_hand, reserved, safety_stock, greatest(on_hand - reserved - safety_stock, 0) as available,
           counted_at, (delta <> 0 or safety_changed) as changed
    from applied`,
  );
  if (row) return ok({ ...withoutChanged(row), applied: true, counted_at: toIso(row.counted_at) });
  return explainRefusal(executor, input);
}

function withoutChanged<T extends { changed: boolean }>(row: T): Omit<T, 'changed'> {
  const { changed: _changed, ...rest } = row;
  return rest;
}

/** Why a count did not apply: an older `asOf` than the applied count's (not an error), or below reserved. */
async function explainRefusal(executor: Executor, input: SetLevelInput): Promise<Result<SetLevelOutcome>> {
  const current = await queryOne<Level & { counted_at: string | null }>(
    executor,
    sql`select location_id, sku, on_hand, reserved, safety_stock, greatest(on_hand - reserved - safety_stock, 0) as available, counted_at
        from stock_levels where location_id = ${input.locationId} and sku = ${input.sku}`,
  );
  if (!current) throw new Error('stock level vanished inside its own transaction');
  const countedAt = toIso(current.counted_at);
  if (input.asOf !== undefined && countedAt !== null && Date.parse(countedAt) > Date.parse(input.asOf)) {
    return ok({ ...current, applied: false, counted_at: countedAt });
  }
  return fail(
    problem(
      'below_reserved',
      `${input.sku} at ${input.locationId} has ${current.reserved} reserved; on_hand cannot be set to ${input.onHand}. Release or reassign reservations first.`,
      { location_id: input.locationId, sku: input.sku, reserved: current.reserved, requested_on_hand: input.onHand },
    ),
  );
}

interface LevelFilter {
  locationId?: string | undefined;
  sku?: string | undefined;
  /** Only SKUs whose code or product name contains this (case-insensitive). */
  search?: string | undefined;
  /** Only levels whose available-to-promise is at most this. */
  maxAvailable?: number | undefined;
  after?: { sku: string; locationId: string } | undefined;
  limit: number;
}

export async function listStockLevels(
  executor: Executor,
  filter: LevelFilter,
): Promise<(Level & { product_name: string | null; updated_at: string | null })[]> {
  const rows = await query<Level & { product_name: string | null; updated_at: string }>(
    executor,
    sql`select location_id, sku, ${productNameOf(sql`levels.sku`)} as product_name, on_hand, reserved, safety_stock,
               greatest(on_hand - reserved - safety_stock, 0) as available, updated_at
        from stock_levels levels
        where true
          ${filter.locationId ? sql`and location_id = ${filter.locationId}` : sql``}
          ${filter.sku ? sql`and sku = ${filter.sku}` : sql``}
          ${filter.search ? sql`and ${skuOrNameContains(sql`levels.sku`, filter.search)}` : sql``}
          ${filter.maxAvailable !== undefined ? sql`and greatest(on_hand - reserved - safety_stock, 0) <= ${filter.maxAvailable}` : sql``}
          ${filter.after ? sql`and (sku, location_id) > (${filter.after.sku}, ${filter.after.locationId})` : sql``}
        order by sku, location_id
        limit ${filter.limit}`,
  );
  return rows.map((r) => ({ ...r, updated_at: toIso(r.updated_at) }));
}
