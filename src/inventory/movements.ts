import { sql, type Placeholder, type SQL } from 'drizzle-orm';
import { bundleLeavesSql } from '../catalog/index.ts';
import { query, queryOne, type Executor } from '../db/index.ts';
import { insertEvents } from '../events/index.ts';

type LedgerKind =
  | 'receipt'
  | 'adjustment'
  | 'count'
  | 'transfer_out'
  | 'transfer_in'
  | 'reservation'
  | 'release'
  | 'expiry'
  | 'commit'
  | 'ship'
  | 'return_restock'
  | 'write_off'
  | 'shortage';

/**
 * What must hold for a movement to apply; checked by the same UPDATE that applies it, so no
 * other transaction can slip in between the check and the write.
 */
export type Guard =
  /** Reserve: available-to-promise covers the quantity. */
  | 'available'
  /** Take physical stock that is not reserved (transfers, negative adjustments): on_hand − reserved ≥ q. */
  | 'unreserved'
  /** Anything that keeps the row's CHECK constraints true. */
  | 'none';

export interface Movement {
  locationId: string;
  sku: string;
  kind: LedgerKind;
  onHandDelta: number;
  reservedDelta: number;
  reason?: string | null | undefined;
  referenceType?: string | null | undefined;
  referenceId?: string | null | undefined;
  actor?: string | null | undefined;
  /**
   * A split kit's part (`movement.sku` a bundle): only these leaf components move, by units per
   * bundle, at this location; the other components are another location's.
   */
  components?: { sku: string; quantity: number }[] | null | undefined;
}

export interface Level {
  location_id: string;
  sku: string;
  on_hand: number;
  reserved: number;
  safety_stock: number;
  available: number;
}

/**
 * A movement as a statement writes it: each value known now, or a placeholder that a statement
 * built once (`preparedStatement`) binds at every run. The kind is always known.
 */
export type MovementValues = {
  [Field in keyof Movement]: Field extends 'kind'
    ? LedgerKind
    : Field extends 'reservedDelta'
      ? number | Placeholder | SQL
      : Movement[Field] | Placeholder;
};

function guardSql(guard: Guard, movement: MovementValues): SQL {
  switch (guard) {
    case 'available':
      return sql`on_hand - reserved - safety_stock >= ${movement.reservedDelta}`;
    case 'unreserved': // on_hand − reserved ≥ −Δon_hand, with the delta as a plain parameter
      return sql`on_hand - reserved + ${movement.onHandDelta} >= 0`;
    case 'none':
      return sql`on_hand + ${movement.onHandDelta} >= reserved + ${movement.reservedDelta} and reserved + ${movement.reservedDelta} >= 0`;
  }
}

/**
 * Creates zero rows for (location, sku) pairs that have never held stock, so movements can land;
 * a bundle's rows are its leaf components' (a bundle has no stock of its own).
 */
export async function ensureLevels(executor: Executor, pairs: { locationId: string; sku: string }[]): Promise<void> {
  if (pairs.length === 0) return;
  const json = JSON.stringify(pairs.map((p) => ({ location_id: p.locationId, sku: p.sku })));
  const asked = sql`jsonb_to_recordset(${json}::jsonb) as t(location_id text, sku text)`;
  await executor.execute(sql`
    with recursive ${bundleLeavesSql(sql`select sku from ${asked}`)}
    insert into stock_levels (location_id, sku)
    select distinct t.location_id, coalesce(b.component_sku, t.sku)
    from ${asked} left join bundle_leaves b on b.bundle_sku = t.sku
    order by 2, 1
    on conflict do nothing`);
}

/**
 * Applies one movement to one stock level in a single statement: the guarded UPDATE, its
 * immutable ledger row and an `inventory.availability_changed` event in the outbox. Returns
 * the level after the movement, or undefined when the guard (or a missing row) refused it.
 * A use case that records what the movement was for in the same statement, while the row is
 * locked, builds its own around `movementCtes`.
 */
export async function applyMovement(executor: Executor, movement: Movement, guard: Guard): Promise<Level | undefined> {
  if (movement.components) return applyBundleMovement(executor, movement, guard);
  const level = await applyLevelMovement(executor, movement, guard);
  // A bundle has no level of its own (the schema refuses one): its movement is its components'.
  return level ?? applyBundleMovement(executor, movement, guard);
}

/**
 * One level's own movement, as `applyMovement` without its bundle case: undefined for a bundle's
 * SKU, which has no level. For what must never move a bundle's components, such as a cart hold
 * (a bundle is held as its components, each named).
 */
export function applyLevelMovement(executor: Executor, movement: Movement, guard: Guard): Promise<Level | undefined> {
  return queryOne<Level>(
    executor,
    sql`
    with ${movementCtes(movement, guard)}
    select location_id, sku, on_hand, reserved, safety_stock, greatest(on_hand - reserved - safety_stock, 0) as available
    from moved`,
    { prepare: true },
  );
}

/**
 * A bundle's movement: each leaf component's level moves by the bundle's deltas times the units
 * of it in one bundle, in SKU order (the lock order of `reserveAll`), each with its own ledger row
 * naming the bundle in its reason. Returns the bundle's level as the components now make it, or
 * undefined when `movement.sku` is no bundle or the first component refused (nothing written
 * then). A later component refusing after an earlier one moved is a bug: it throws, and the
 * caller's transaction rolls back.
 */
async function applyBundleMovement(executor: Executor, movement: Movement, guard: Guard): Promise<Level | undefined> {
  const { components, ...plain } = movement;
  const leaves = components
    ? [...components]
        .map((c) => ({ component_sku: c.sku, quantity: c.quantity }))
        .sort((x, y) => (x.component_sku < y.component_sku ? -1 : 1))
    : await query<{ component_sku: string; quantity: number }>(
        executor,
        sql`with recursive ${bundleLeavesSql(sql`select ${movement.sku}::text`)}
        select component_sku, quantity from bundle_leaves order by component_sku`,
      );
  // Whole bundles each moved component makes, on hand and available.
  const kits: { onHand: number; available: number }[] = [];
  for (const leaf of leaves) {
    const level = await applyLevelMovement(
      executor,
      {
        ...plain,
        sku: leaf.component_sku,
        onHandDelta: movement.onHandDelta * leaf.quantity,
        reservedDelta: movement.reservedDelta * leaf.quantity,
        reason: `${movement.reason ? `${movement.reason}; ` : ''}bundle ${movement.sku}`,
      },
      guard,
    );
    if (level === undefined && kits.length === 0) return undefined;
    if (level === undefined)
      throw new Error(`applyMovement: component ${leaf.component_sku} of ${movement.sku} refused`);
    kits.push({
      onHand: Math.floor(level.on_hand / leaf.quantity),
      available: Math.floor(level.available / leaf.quantity),
    });
  }
  if (kits.length === 0) return undefined;
  const onHand = Math.min(...kits.map((k) => k.onHand));
  const available = Math.min(...kits.map((k) => k.available));
  return {
    location_id: movement.locationId,
    sku: movement.sku,
    on_hand: onHand,
    reserved: onHand - available,
    safety_stock: 0,
    available,
  };
}

/** What a caller adds to a movement's statement (`movementCtes`). */
interface MovementAlso {
  /** A condition of its own, added to the guard. */
  where?: SQL;
  /** Its own CTEs, after the ledger's: they may read `moved` and should write only when it has a row. */
  ctes?: SQL;
  /**
   * More outbox rows, `select type, subject_type, subject_id, payload from …` (may read its
   * CTEs), written by the same insert as the availability event: one insert into the outbox
   * costs PostgreSQL less than two.
   */
  events?: SQL;
  /**
   * The reserved delta is the sum of holders' shares, taken by one UPDATE (group commit): a query
   * with one row per share, `reference_id`, `actor`, `quantity` and `running` (the shares' units up to
   * and including this one). Each share gets its own ledger row and availability event; the
   * movement's own `referenceId` and `actor` are unused. Only for movements of reserved stock.
   */
  shares?: SQL;
}

/**
 * The CTEs of a movement, for a statement of the caller's own: `moved` (the guarded UPDATE,
 * returning the changed row, or no row when refused), `ledger`, the caller's CTEs and `event`
 * (the availability event and the caller's events).
 */
export function movementCtes(movement: MovementValues, guard: Guard, also: MovementAlso = {}): SQL {
  const steps = also.shares === undefined ? undefined : shareSteps(movement, also.shares);
  return sql`
    moved as (
      update stock_levels
      set on_hand = on_hand + ${movement.onHandDelta}, reserved = reserved + ${movement.reservedDelta}, updated_at = now()
      where location_id = ${movement.locationId} and sku = ${movement.sku} and ${guardSql(guard, movement)}
        ${also.where ? sql`and ${also.where}` : sql``}
      returning location_id, sku, on_hand, reserved, safety_stock
    ), ledger as (
      insert into inventory_ledger
        (location_id, sku, kind, on_hand_delta, reserved_delta, on_hand_after, reserved_after, reason, reference_type, reference_id, actor)
      select location_id, sku, ${movement.kind}, ${movement.onHandDelta}, ${steps ? sql`quantity` : movement.reservedDelta},
             on_hand, reserved, ${movement.reason ?? null}, ${movement.referenceType ?? null},
             ${steps ? sql`reference_id` : (movement.referenceId ?? null)}, ${steps ? sql`actor` : (movement.actor ?? null)}
      from ${steps ?? sql`moved`}
    ),${also.ctes ? sql` ${also.ctes},` : sql``} event as (${insertEvents(sql`
      select 'inventory.availability_changed', 'stock_level', location_id || '/' || sku, ${availabilityPayload(movement.kind)}
      from ${steps ?? sql`moved`}
      ${also.events ? sql`union all ${also.events}` : sql``}`)}
    )`;
}

/**
 * A reservation made of several holders' shares, one UPDATE for all (`MovementAlso.shares`):
 * each share as the level stood right after it, so its ledger row and event read as if the
 * shares had been applied one after another, in `running` order.
 */
function shareSteps(movement: MovementValues, shares: SQL): SQL {
  return sql`(
    select m.location_id, m.sku, m.on_hand, m.reserved - ${movement.reservedDelta} + s.running as reserved, m.safety_stock,
           s.quantity, s.reference_id, s.actor
    from moved m, (${shares}) s
    order by s.running
  ) as moved`;
}

/** The event body for a changed level; the columns of the row in scope (`moved`, `applied`, …). */
export function availabilityPayload(cause: LedgerKind | SQL): SQL {
  return sql`jsonb_build_object(
    'location_id', location_id, 'sku', sku, 'on_hand', on_hand, 'reserved', reserved,
    'safety_stock', safety_stock, 'available', greatest(on_hand - reserved - safety_stock, 0), 'cause', ${cause}::text)`;
}

/** Current level of one (location, sku); zeros when it never held stock. */
export async function readLevel(executor: Executor, locationId: string, sku: string): Promise<Level> {
  const row = await queryOne<Level>(
    executor,
    sql`select location_id, sku, on_hand, reserved, safety_stock, greatest(on_hand - reserved - safety_stock, 0) as available
        from stock_levels where location_id = ${locationId} and sku = ${sku}`,
  );
  return row ?? { location_id: locationId, sku, on_hand: 0, reserved: 0, safety_stock: 0, available: 0 };
}

/**
 * Reserves as much of `max` as is available now at one level (possibly none): for splitting a
 * hold across locations without ever taking more than is there, and without giving up on units
 * another hold left behind. One statement locks the row, takes and records the take; see
 * `lockedWrite` for why its UPDATE sets every checked column from the locked row.
 */
export async function reserveUpTo(
  executor: Executor,
  target: {
    locationId: string;
    sku: string;
    max: number;
    referenceType: string;
    referenceId: string;
    actor?: string | null | undefined;
  },
): Promise<number> {
  const row = await queryOne<{ taken: number }>(
    executor,
    sql`
    with target as materialized (
      select location_id, sku, on_hand, reserved, safety_stock, least(${target.max}, on_hand - reserved - safety_stock) as take
      from stock_levels
      where location_id = ${target.locationId} and sku = ${target.sku} and on_hand - reserved - safety_stock > 0
      for update
    ), moved as (
      update stock_levels s set ${lockedWrite('t', sql`t.take`)}
      from target t where s.location_id = t.location_id and s.sku = t.sku
      returning s.location_id, s.sku, s.on_hand, s.reserved, s.safety_stock, t.take
    ), ledger as (
      insert into inventory_ledger
        (location_id, sku, kind, on_hand_delta, reserved_delta, on_hand_after, reserved_after, reference_type, reference_id, actor)
      select location_id, sku, 'reservation', 0, take, on_hand, reserved, ${target.referenceType}, ${target.referenceId}, ${target.actor ?? null}
      from moved
    ), event as (${insertEvents(sql`
      select 'inventory.availability_changed', 'stock_level', location_id || '/' || sku, ${availabilityPayload('reservation')}
      from moved`)}
    )
    select take as taken from moved`,
    { prepare: true },
  );
  return row?.taken ?? 0;
}

/**
 * The SET list of a reservation that takes `take` from a level the same statement locked with
 * FOR UPDATE (`locked`: its alias, holding that level's on_hand, reserved and safety_stock as
 * locked). Every column a CHECK reads comes from the locked row, none from the UPDATE's own:
 * under READ COMMITTED, PostgreSQL builds the UPDATE's first new row from the version in the
 * statement's snapshot and checks the CHECKs on it before it notices the newer version it must
 * redo the row from. After a release committed between the snapshot and the lock, that older
 * version's higher `reserved` plus the take would break `reserved <= on_hand`, and a valid take
 * would fail. From the locked values, both rows are the newest level's. The UPDATE's WHERE must
 * likewise test only the key: a condition on the older version would skip the row.
 */
function lockedWrite(locked: string, take: SQL): SQL {
  const l = sql.identifier(locked);
  return sql`on_hand = ${l}.on_hand, reserved = ${l}.reserved + ${take}, safety_stock = ${l}.safety_stock, updated_at = now()`;
}

interface Take {
  locationId: string;
  sku: string;
  quantity: number;
  /** What the ledger row's reason says the take is for (a split kit's bundle and line). */
  note?: string | undefined;
}

/**
 * The takes as rows (location_id, sku, quantity) from three arrays. Arrays, not a JSON record
 * set: the planner sees how many rows there are and looks each level up by its key, where a
 * JSON set's default estimate of 100 rows makes it scan every level.
 */
function takesSql(takes: { location_id: string; sku: string; quantity: number; note: string | null }[]): SQL {
  return sql`select * from unnest(${sql.param(takes.map((t) => t.location_id))}::text[],
                                  ${sql.param(takes.map((t) => t.sku))}::text[],
                                  ${sql.param(takes.map((t) => t.quantity))}::int[],
                                  ${sql.param(takes.map((t) => t.note))}::text[]) as t(location_id, sku, quantity, note)`;
}

/**
 * Reserves every take, all or nothing (a bundle's take is its leaf components' takes), inside the caller's transaction, in one statement: locks
 * the levels in (sku, location) order (concurrent multi-line takes never deadlock) and checks
 * that every one covers its take; only if all do does it move them (`lockedWrite`), writing a
 * ledger row and an `inventory.availability_changed` event per level. Returns whether they
 * applied; when not, nothing was written (the levels stay locked until the transaction ends).
 * Takes of the same level are summed into one movement.
 */
export async function reserveAll(
  executor: Executor,
  takes: Take[],
  reference: { referenceType: string; referenceId: string; actor?: string | null | undefined },
): Promise<boolean> {
  const levels = new Map<string, { location_id: string; sku: string; quantity: number; note: string | null }>();
  for (const t of takes) {
    const key = `${t.locationId}\u0000${t.sku}`;
    const level = levels.get(key) ?? { location_id: t.locationId, sku: t.sku, quantity: 0, note: null };
    level.quantity += t.quantity;
    if (t.note !== undefined && !level.note?.split('; ').includes(t.note))
      level.note = level.note === null ? t.note : `${level.note}; ${t.note}`;
    levels.set(key, level);
  }
  if (levels.size === 0) return true;
  const row = await queryOne<{ moved: number; levels: number }>(
    executor,
    sql`
    with recursive asked as materialized (${takesSql([...levels.values()])}),
    ${bundleLeavesSql(sql`select sku from asked`)},
    -- A bundle's take is its leaf components' takes at the same location.
    wanted as materialized (
      select a.location_id, coalesce(b.component_sku, a.sku) as sku, sum(a.quantity * coalesce(b.quantity, 1))::int as quantity,
             concat_ws('; ', 'bundle ' || string_agg(distinct b.bundle_sku, ', '), string_agg(distinct a.note, '; ')) as reason
      from asked a left join bundle_leaves b on b.bundle_sku = a.sku
      group by 1, 2
    ), locked as materialized (
      select s.location_id, s.sku, s.on_hand, s.reserved, s.safety_stock, w.quantity, w.reason,
             s.on_hand - s.reserved - s.safety_stock >= w.quantity as covered
      from stock_levels s join wanted w on w.location_id = s.location_id and w.sku = s.sku
      order by s.sku, s.location_id
      for update of s
    ), ready as materialized (
      select count(*) filter (where covered) = (select count(*) from wanted) as every from locked
    ), moved as (
      update stock_levels s set ${lockedWrite('l', sql`l.quantity`)}
      from locked l
      where s.location_id = l.location_id and s.sku = l.sku and (select every from ready)
      returning s.location_id, s.sku, s.on_hand, s.reserved, s.safety_stock, l.quantity, l.reason
    ), ledger as (
      insert into inventory_ledger
        (location_id, sku, kind, on_hand_delta, reserved_delta, on_hand_after, reserved_after, reason, reference_type, reference_id, actor)
      select location_id, sku, 'reservation', 0, quantity, on_hand, reserved, nullif(reason, ''),
             ${reference.referenceType}, ${reference.referenceId}, ${reference.actor ?? null}
      from moved order by sku, location_id
    ), event as (${insertEvents(sql`
      select 'inventory.availability_changed', 'stock_level', location_id || '/' || sku, ${availabilityPayload('reservation')}
      from moved order by sku, location_id`)}
    )
    select (select count(*)::int from moved) as moved, (select count(*)::int from wanted) as levels`,
    { prepare: true },
  );
  if (row!.moved === 0) return false;
  // Every level was locked and covered: a partial move here is a bug, and throwing rolls back.
  if (row!.moved !== row!.levels) throw new Error(`reserveAll: ${row!.moved} of ${row!.levels} locked levels moved`);
  return true;
}
