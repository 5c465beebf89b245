import { sql, type SQL } from 'drizzle-orm';
import { isoTimestamp, type Executor } from '../db/index.ts';
import { applyMovement } from '../inventory/index.ts';
import { holdRows } from './hold-rows.ts';
import type { HoldInput } from './hold.ts';
import type { Reservation, ReservationLine } from './read.ts';

/** Where a one-line hold may draw from, as the caller named it: checked by the take itself. */
export interface NamedScope {
  /** Channel ID or code: the locations of its group. */
  channel?: string | undefined;
  /** Location group ID or code. */
  locationGroup?: string | undefined;
}

/** The reservation as the API shows it (`getReservation`'s shape), built by the statement that writes it. */
const reservationJson = (line: ReservationLine) => sql`json_build_object(
  'id', hold_header.id, 'status', 'held', 'channel_id', hold_header.channel_id, 'reference', hold_header.reference,
  'order_id', null, 'expires_at', ${isoTimestamp(sql`hold_header.expires_at`)},
  'created_at', ${isoTimestamp(sql`hold_header.created_at`)}, 'updated_at', ${isoTimestamp(sql`hold_header.created_at`)},
  'lines', json_build_array(json_build_object('sku', ${line.sku}::text, 'location_id', ${line.location_id}::text, 'quantity', ${line.quantity}::int)))`;

function scopeCondition(scope: NamedScope): SQL | undefined {
  const members = sql`select m.location_id from location_group_members m join locations l on l.id = m.location_id and l.active`;
  if (scope.channel !== undefined) {
    return sql`location_id in (${members} join channels c on c.location_group_id = m.group_id
                               where c.id = ${scope.channel} or c.code = ${scope.channel})`;
  }
  if (scope.locationGroup !== undefined) {
    return sql`location_id in (${members} join location_groups g on g.id = m.group_id
                               where g.id = ${scope.locationGroup} or g.code = ${scope.locationGroup})`;
  }
  return undefined;
}

/**
 * One line at a named location, in one statement: the guarded take with its ledger row and
 * event, the reservation with its line and event, and whatever `also` adds (the request's
 * idempotency key). Returns undefined, having written nothing, when the take is refused: no
 * stock, an unknown SKU or location, or a location outside `scope`. The caller then asks the
 * full path why.
 */
export async function holdOneLine(
  executor: Executor,
  id: string,
  line: ReservationLine,
  input: HoldInput,
  scope: NamedScope = {},
  also?: (response: SQL) => SQL,
): Promise<Reservation | undefined> {
  const movement = {
    locationId: line.location_id,
    sku: line.sku,
    kind: 'reservation' as const,
    onHandDelta: 0,
    reservedDelta: line.quantity,
    referenceType: 'reservation',
    referenceId: id,
    actor: input.actor,
  };
  const rows = holdRows(id, [line], input, sql`from moved`);
  const row = await applyMovement<{ reservation: Reservation }>(executor, movement, 'available', {
    ctes: also ? sql`${rows}, ${also(reservationJson(line))}` : rows,
    columns: sql`(select ${reservationJson(line)} from hold_header) as reservation`,
    where: scopeCondition(scope),
  });
  return row?.reservation;
}
