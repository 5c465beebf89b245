import { sql, type SQL } from 'drizzle-orm';
import { queryOne, type Executor } from '../db/index.ts';
import type { HoldInput } from './hold.ts';
import type { ReservationLine } from './read.ts';

export interface Written {
  expires_at: string;
  created_at: string;
}

/** The reservation row, its lines and its `reservation.created` event, in one statement. */
export async function recordHold(
  executor: Executor,
  id: string,
  lines: ReservationLine[],
  input: HoldInput,
): Promise<Written> {
  const row = await queryOne<Written>(
    executor,
    sql`with ${holdRows(id, lines, input, sql``)} select expires_at, created_at from hold_header`,
    { prepare: true },
  );
  return row!;
}

/**
 * CTEs writing the reservation (`hold_header`), its lines and its event. `from` is the header's
 * source: empty for a plain insert, or a CTE whose row must exist for anything to be written.
 */
export function holdRows(id: string, lines: ReservationLine[], input: HoldInput, from: SQL): SQL {
  const json = JSON.stringify(
    lines.map((l, i) => ({ line_no: i + 1, sku: l.sku, location_id: l.location_id, quantity: l.quantity })),
  );
  return sql`
    hold_header as (
      insert into reservations (id, status, channel_id, reference, expires_at, actor)
      select ${id}, 'held', ${input.channelId ?? null}, ${input.reference ?? null},
             now() + make_interval(secs => ${input.expiresInSeconds}), ${input.actor ?? null} ${from}
      returning id, channel_id, reference, expires_at, created_at
    ), hold_lines as (
      insert into reservation_lines (reservation_id, line_no, sku, location_id, quantity)
      select ${id}, line_no, sku, location_id, quantity
      from jsonb_to_recordset(${json}::jsonb) as t(line_no int, sku text, location_id text, quantity int)
      where exists (select 1 from hold_header)
    ), hold_event as (
      insert into events (type, subject_type, subject_id, payload)
      select 'reservation.created', 'reservation', hold_header.id,
             jsonb_build_object('id', hold_header.id, 'status', 'held', 'expires_at', hold_header.expires_at, 'lines', ${json}::jsonb)
      from hold_header
    )`;
}
