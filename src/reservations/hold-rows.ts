import { sql, type Placeholder, type SQL } from 'drizzle-orm';
import { queryOne, type Executor } from '../db/index.ts';
import { insertEvents } from '../events/index.ts';
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
  const header: HoldHeader = {
    id,
    channelId: input.channelId ?? null,
    reference: input.reference ?? null,
    expiresInSeconds: input.expiresInSeconds,
    actor: input.actor ?? null,
    lines: linesJson(lines),
  };
  const row = await queryOne<Written>(
    executor,
    sql`with ${holdRows(header, sql``)}, hold_event as (${insertEvents(holdEvent(header))})
        select expires_at, created_at from hold_header`,
    { prepare: true },
  );
  return row!;
}

/** A hold's lines as `holdRows` takes them: a JSON array of `{ line_no, sku, location_id, quantity }`. */
export function linesJson(lines: ReservationLine[]): string {
  return JSON.stringify(
    lines.map((l, i) => ({ line_no: i + 1, sku: l.sku, location_id: l.location_id, quantity: l.quantity })),
  );
}

/**
 * The reservation's values as a statement writes them: known now, placeholders bound at each run,
 * or columns of the header's source (`holdRows`' `from`) when one statement writes many holds.
 */
export interface HoldHeader {
  id: string | Placeholder | SQL;
  channelId: string | null | Placeholder | SQL;
  reference: string | null | Placeholder | SQL;
  expiresInSeconds: number | Placeholder | SQL;
  actor: string | null | Placeholder | SQL;
  /** `linesJson`: a value, or an expression that may read `hold_header`. */
  lines: string | Placeholder | SQL;
}

/**
 * CTEs writing the reservation (`hold_header`) and its lines. `from` is the header's source:
 * empty for a plain insert, or a CTE whose row must exist for anything to be written.
 */
export function holdRows(header: HoldHeader, from: SQL): SQL {
  return sql`
    hold_header as (
      insert into reservations (id, status, channel_id, reference, expires_at, actor)
      select ${header.id}, 'held', ${header.channelId}, ${header.reference},
             now() + make_interval(secs => ${header.expiresInSeconds}), ${header.actor} ${from}
      returning id, channel_id, reference, expires_at, created_at
    ), hold_lines as (
      insert into reservation_lines (reservation_id, line_no, sku, location_id, quantity)
      select hold_header.id, l.line_no, l.sku, l.location_id, l.quantity
      from hold_header, jsonb_to_recordset(${header.lines}::jsonb) as l(line_no int, sku text, location_id text, quantity int)
    )`;
}

/** The reservation's `reservation.created` event, as outbox rows from `hold_header` (`holdRows`). */
export function holdEvent(header: HoldHeader): SQL {
  return sql`
    select 'reservation.created', 'reservation', hold_header.id,
           jsonb_build_object('id', hold_header.id, 'status', 'held', 'expires_at', hold_header.expires_at, 'lines', ${header.lines}::jsonb)
    from hold_header`;
}
