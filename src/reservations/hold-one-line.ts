import { sql, type SQL } from 'drizzle-orm';
import { isoTimestamp, preparedStatement, type Executor } from '../db/index.ts';
import { claimCte, type ClaimValues } from '../http/idempotency.ts';
import { movementCtes, type MovementValues } from '../inventory/index.ts';
import { namedIdSql } from '../network/index.ts';
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

const movement: MovementValues = {
  locationId: value('location_id'),
  sku: value('sku'),
  kind: 'reservation',
  onHandDelta: 0,
  reservedDelta: value('quantity'),
  referenceType: 'reservation',
  referenceId: value('id'),
  actor: value('actor'),
};

const header: HoldHeader = {
  id: value('id'),
  // The client may name the channel by its code: the hold records its ID.
  channelId: namedIdSql('channels', value('channel_id')),
  reference: value('reference'),
  expiresInSeconds: value('expires_in_seconds'),
  actor: value('actor'),
  lines: value('lines'),
};

/**
 * The whole hold as one statement, of one shape: the guarded take with its ledger row and
 * event, the reservation with its line and event, the response as the API shows it
 * (`getReservation`'s shape, compact JSON text built once) and, when `claimed`, the request's
 * idempotency key storing that response. Its values are placeholders: built once per shape.
 */
function holdStatement(claimed: boolean, scope: ScopeKind): SQL {
  return sql`
    with ${movementCtes(movement, 'available', {
      where: scopeCondition(scope),
      ctes: holdRows(header, sql`from moved`),
      events: holdEvent(header),
    })},
    response as (
      select row_to_json(r)::text as body
      from (
        select h.id, 'held' as status, h.channel_id, h.reference, null::text as order_id,
               ${isoTimestamp(sql`h.expires_at`)} as expires_at, ${isoTimestamp(sql`h.created_at`)} as created_at,
               ${isoTimestamp(sql`h.created_at`)} as updated_at, json_build_array(row_to_json(l)) as lines
        from hold_header h,
             (values (${value('sku')}::text, ${value('location_id')}::text, ${value('quantity')}::int)) as l(sku, location_id, quantity)
      ) r
    )${claimed ? sql`, ${claimCte({ status: 201, body: sql`body`, from: sql`from response` })}` : sql``}
    select body from response`;
}

const statements = new Map<string, ReturnType<typeof preparedStatement<{ body: string }>>>();

function statementFor(claimed: boolean, scope: ScopeKind) {
  const shape = `${claimed}/${scope}`;
  let statement = statements.get(shape);
  if (statement === undefined) {
    statement = preparedStatement<{ body: string }>(holdStatement(claimed, scope));
    statements.set(shape, statement);
  }
  return statement;
}

/**
 * One line at a named location, in one statement: the guarded take with its ledger row and
 * event, the reservation with its line and event, and, given `claim`, the request's
 * idempotency key with the response. Returns the reservation as JSON text (as the API shows
 * it), or undefined, having written nothing, when the take is refused: no stock, an unknown
 * SKU or location, or a location outside `scope`. The caller then asks the full path why.
 */
export async function holdOneLine(
  executor: Executor,
  id: string,
  line: ReservationLine,
  input: HoldInput,
  scope: NamedScope = {},
  claim?: ClaimValues,
): Promise<string | undefined> {
  const kind: ScopeKind = scope.channel !== undefined ? 'channel' : scope.locationGroup !== undefined ? 'group' : 'any';
  const [row] = await statementFor(claim !== undefined, kind)(executor, {
    id,
    sku: line.sku,
    location_id: line.location_id,
    quantity: line.quantity,
    expires_in_seconds: input.expiresInSeconds,
    channel_id: input.channelId ?? null,
    reference: input.reference ?? null,
    actor: input.actor ?? null,
    lines: linesJson([line]),
    scope: scope.channel ?? scope.locationGroup ?? null,
    ...claim,
  });
  return row?.body;
}
