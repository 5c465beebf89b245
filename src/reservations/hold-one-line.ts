import { sql, type SQL } from 'drizzle-orm';
import { isoTimestamp, preparedStatement, type Engine, type Executor } from '../db/index.ts';
import { claimCte, type ClaimValues } from '../http/idempotency.ts';
import { movementCtes, type MovementValues } from '../inventory/index.ts';
import { namedIdSql } from '../network/index.ts';
import { observeHoldStatement } from '../telemetry/index.ts';
import { holdEvent, holdRows, linesJson, type HoldHeader } from './hold-rows.ts';
import type { HoldInput } from './hold.ts';
import type { ReservationLine } from './read.ts';

/** Where a one-line hold may draw from, as the caller named it: checked by the take itself. */
interface NamedScope {
  /** Channel ID or code: the locations of its group. */
  channel?: string | undefined;
  /** Location group ID or code. */
  locationGroup?: string | undefined;
}

type ScopeKind = 'any' | 'channel' | 'group';

const value = sql.placeholder;

function scopeCondition(kind: ScopeKind): SQL | undefined {
  const members = sql`select m.location_id from location_group_members m join locations l on l.id = m.location_id and l.active`;
  switch (kind) {
    case 'channel':
      return sql`location_id in (${members} join channels c on c.location_group_id = m.group_id
                                 where c.id = ${namedIdSql('channels', value('scope'))})`;
    case 'group':
      return sql`location_id in (${members} join location_groups g on g.id = m.group_id
                                 where g.id = ${namedIdSql('location_groups', value('scope'))})`;
    case 'any':
      return undefined;
  }
}

/** A share's values in the statement: columns of `hold_taken`, one row per hold. */
const column = (name: string) => sql`hold_taken.${sql.identifier(name)}`;

const header: HoldHeader = {
  id: column('id'),
  // The client may name the channel by its code: the hold records its ID.
  channelId: namedIdSql('channels', value('channel_id')),
  reference: column('reference'),
  expiresInSeconds: column('expires_in_seconds'),
  actor: column('actor'),
  lines: sql`(select t.lines from hold_taken t where t.id = hold_header.id)`,
};

/** The holds' units, taken by one UPDATE of the level. */
const total = sql`(select quantity from hold_total)`;

const movement: MovementValues = {
  locationId: value('location_id'),
  sku: value('sku'),
  kind: 'reservation',
  onHandDelta: 0,
  reservedDelta: total,
  referenceType: 'reservation',
};

/**
 * Holds of one line at one level, any number of them, as one statement of one shape: the holds
 * that fit in the level's available stock, taken in request order (`n`), are taken by one guarded
 * UPDATE with a ledger row and availability event each, and written as reservations with their
 * line and event, their responses as the API shows them (`getReservation`'s shape, compact JSON
 * text built once) and, for each request with a key, the key storing that response. The rest
 * write nothing. Its values are placeholders and a JSON array of the requests: built once per shape.
 */
function holdStatement(scope: ScopeKind): SQL {
  const where = scopeCondition(scope);
  return sql`
    with recursive hold_requests as materialized (
      select r.*
      from jsonb_to_recordset(${value('requests')}::jsonb) as r(
        n int, id text, quantity int, expires_in_seconds int, reference text, actor text, lines text,
        idempotency_principal text, idempotency_key text, idempotency_request_hash text,
        idempotency_method text, idempotency_path text)
      -- A key already stored is its twin's: the caller replays that response (the full path).
      -- A lookup per request by the key's primary key, never a join: a prepared statement's
      -- generic plan could otherwise read every stored key for each statement.
      where r.idempotency_key is null
         or (select true from idempotency_keys k
             where k.principal = r.idempotency_principal and k.key = r.idempotency_key limit 1) is null
    ), hold_order as materialized (
      select r.*, (row_number() over (order by r.n))::int as step from hold_requests r
    ), hold_fit (step, remaining, taken) as (
      -- In request order, each hold that fits in what the earlier ones left: a larger one
      -- refused does not refuse a smaller one after it.
      select 0, (select on_hand - reserved - safety_stock from stock_levels
                 where location_id = ${value('location_id')} and sku = ${value('sku')}), false
      union all
      select r.step, f.remaining - case when x.fits then r.quantity else 0 end, x.fits
      from hold_fit f join hold_order r on r.step = f.step + 1,
           lateral (select coalesce(r.quantity <= f.remaining, false) as fits) x
    ), hold_taken as materialized (
      select r.*, (sum(r.quantity) over (order by r.n))::int as running
      from hold_order r join hold_fit f on f.step = r.step and f.taken
    ), hold_total as (
      select coalesce(sum(quantity), 0)::int as quantity from hold_taken
    ), ${movementCtes(movement, 'available', {
      where: where ? sql`${total} > 0 and ${where}` : sql`${total} > 0`,
      shares: sql`select id as reference_id, actor, quantity, running from hold_taken`,
      ctes: holdRows(header, sql`from hold_taken where exists (select from moved)`),
      events: holdEvent(header),
    })},
    response as (
      select t.n, t.idempotency_principal, t.idempotency_key, t.idempotency_request_hash, t.idempotency_method,
             t.idempotency_path,
             (select row_to_json(r)::text
              from (select h.id, 'held' as status, h.channel_id, h.reference, null::text as order_id,
                           ${isoTimestamp(sql`h.expires_at`)} as expires_at, ${isoTimestamp(sql`h.created_at`)} as created_at,
                           ${isoTimestamp(sql`h.created_at`)} as updated_at,
                           (select json_build_array(row_to_json(l))
                            from (select ${value('sku')}::text as sku, ${value('location_id')}::text as location_id,
                                         t.quantity as quantity) l) as lines) r) as body
      from hold_header h join hold_taken t on t.id = h.id
    ), ${claimCte({
      status: 201,
      body: sql`body`,
      from: sql`from response where idempotency_key is not null`,
      values: (name) => sql`${sql.identifier(`idempotency_${name}`)}`,
    })}
    select n, body from response`;
}

const statements = new Map<ScopeKind, ReturnType<typeof preparedStatement<{ n: number; body: string }>>>();

function statementFor(scope: ScopeKind) {
  let statement = statements.get(scope);
  if (statement === undefined) {
    statement = preparedStatement<{ n: number; body: string }>(holdStatement(scope));
    statements.set(scope, statement);
  }
  return statement;
}

/** One request for a one-line hold, waiting for its level's next statement. */
interface Waiting extends OneLineHold {
  settle: (outcome: { body: string | undefined } | { error: unknown }) => void;
}

/** Most holds one statement writes: bounds its size and a refusal's retries. */
const MOST_PER_STATEMENT = 100;

/** Per database, the levels with a statement running, each with the holds that arrived meanwhile. */
const queues = new WeakMap<Executor, Map<string, Waiting[]>>();

/** A one-line hold at a named location, as `holdOneLine` takes it. */
interface OneLineHold {
  id: string;
  line: ReservationLine;
  input: HoldInput;
  scope?: NamedScope | undefined;
  /** The request's idempotency key, stored with the response. */
  claim?: ClaimValues | undefined;
}

/**
 * How long a hold that finds its level idle may wait for others before its statement runs. On
 * PostgreSQL none: holds that arrive during a statement's round trip gather for the next. The
 * embedded engine runs each statement on this thread, so a hold would be written before the next
 * request is even read: one timer turn (about a millisecond) lets requests already sent arrive.
 */
export function gatherMs(engine: Engine): number {
  return engine === 'pglite' ? 1 : 0;
}

/**
 * Whether holds are arriving together, per database: learnt from the last statement that waited.
 * A lone hold does not wait (the wait would only let the background workers take the embedded
 * engine's one connection first), except every `PROBE_EVERY`th, which finds out whether others
 * have started arriving.
 */
interface Gathering {
  together: boolean;
  untilProbe: number;
}

const PROBE_EVERY = 16;
const gatherings = new WeakMap<Executor, Gathering>();

/** Waits up to `waitMs` for other holds, when they have been arriving together; returns whether it waited. */
async function gather(executor: Executor, waitMs: number): Promise<boolean> {
  if (waitMs <= 0) return false;
  let gathering = gatherings.get(executor);
  if (gathering === undefined) gatherings.set(executor, (gathering = { together: false, untilProbe: 0 }));
  if (!gathering.together && --gathering.untilProbe > 0) return false;
  await new Promise((resolve) => setTimeout(resolve, waitMs));
  return true;
}

/** What a statement that waited found: several holds (keep waiting) or one (stop, probe later). */
function gathered(executor: Executor, holds: number): void {
  const gathering = gatherings.get(executor)!;
  gathering.together = holds > 1;
  if (!gathering.together) gathering.untilProbe = PROBE_EVERY;
}

/**
 * One line at a named location: the guarded take with its ledger row and event, the reservation
 * with its line and event, and, given a claim, the request's idempotency key with the response.
 * Returns the reservation as JSON text (as the API shows it), or undefined, having written
 * nothing, when the take is refused: no stock, an unknown SKU or location, a location outside
 * the scope, or a key its twin already stored. The caller then asks the full path why.
 *
 * Group commit: while a statement for the same level (and scope) is running, holds that arrive
 * wait and then go together in the next one, so a hot SKU costs one row lock, one UPDATE and one
 * commit per batch instead of per hold. Given a transaction (the full path's), the hold goes
 * alone in it: nothing else runs on a transaction's connection.
 */
export function holdOneLine(executor: Executor, hold: OneLineHold, waitMs = 0): Promise<string | undefined> {
  const { line, input, scope = {} } = hold;
  const kind: ScopeKind = scope.channel !== undefined ? 'channel' : scope.locationGroup !== undefined ? 'group' : 'any';
  const batch: Batch = {
    kind,
    sku: line.sku,
    locationId: line.location_id,
    scope: scope.channel ?? scope.locationGroup ?? null,
    channelId: input.channelId ?? null,
  };
  const key = JSON.stringify(batch);
  return new Promise((resolve, reject) => {
    const waiting: Waiting = {
      ...hold,
      settle: (outcome) => ('error' in outcome ? reject(outcome.error) : resolve(outcome.body)),
    };
    let levels = queues.get(executor);
    if (levels === undefined) queues.set(executor, (levels = new Map()));
    const queue = levels.get(key);
    if (queue !== undefined) return void queue.push(waiting);
    levels.set(key, [waiting]);
    void drain(executor, batch, levels, key, waitMs);
  });
}

/** What the holds of one statement share: the level and the scope and channel they were asked in. */
interface Batch {
  kind: ScopeKind;
  sku: string;
  locationId: string;
  scope: string | null;
  channelId: string | null;
}

/** Runs the level's waiting holds, a statement at a time, until none are left. */
async function drain(
  executor: Executor,
  batch: Batch,
  levels: Map<string, Waiting[]>,
  key: string,
  waitMs: number,
): Promise<void> {
  const queue = levels.get(key)!;
  let waited = await gather(executor, waitMs);
  while (queue.length > 0) {
    const holds = nextStatement(queue);
    observeHoldStatement(holds.length);
    if (waited) gathered(executor, holds.length);
    waited = false;
    try {
      settleAll(holds, await run(executor, batch, holds));
    } catch (error) {
      // One hold's failure (its key taken by a committed twin, say) must not be the others':
      // each goes again alone and gets its own outcome.
      if (holds.length === 1) holds[0]!.settle({ error });
      else for (const hold of holds) await runAlone(executor, batch, hold);
    }
  }
  levels.delete(key);
}

/**
 * Takes the holds of the next statement off the queue: at most `MOST_PER_STATEMENT`, and one
 * per idempotency key (a twin's key would abort the statement for all); a twin waits for the next.
 */
function nextStatement(queue: Waiting[]): Waiting[] {
  const keys = new Set<string>();
  const next: Waiting[] = [];
  const later: Waiting[] = [];
  for (const hold of queue) {
    const key = hold.claim && JSON.stringify([hold.claim.idempotency_principal, hold.claim.idempotency_key]);
    if (next.length === MOST_PER_STATEMENT || (key !== undefined && keys.has(key))) later.push(hold);
    else {
      next.push(hold);
      if (key !== undefined) keys.add(key);
    }
  }
  queue.splice(0, queue.length, ...later);
  return next;
}

async function runAlone(executor: Executor, batch: Batch, hold: Waiting): Promise<void> {
  try {
    settleAll([hold], await run(executor, batch, [hold]));
  } catch (error) {
    hold.settle({ error });
  }
}

function settleAll(holds: Waiting[], rows: { n: number; body: string }[]): void {
  const bodies = new Map(rows.map((row) => [row.n, row.body]));
  holds.forEach((hold, n) => hold.settle({ body: bodies.get(n) }));
}

function run(executor: Executor, batch: Batch, holds: Waiting[]) {
  const requests = holds.map(({ id, line, input, claim }, n) => ({
    n,
    id,
    quantity: line.quantity,
    expires_in_seconds: input.expiresInSeconds,
    reference: input.reference ?? null,
    actor: input.actor ?? null,
    lines: linesJson([line]),
    ...claim,
  }));
  return statementFor(batch.kind)(executor, {
    sku: batch.sku,
    location_id: batch.locationId,
    channel_id: batch.channelId,
    scope: batch.scope,
    requests: JSON.stringify(requests),
  });
}
