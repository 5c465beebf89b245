import { sql } from 'drizzle-orm';
import { query, queryOne, toIso, type Executor } from '../db/index.ts';
import type { ReservationStatus } from './transitions.ts';

export interface ReservationLine {
  sku: string;
  location_id: string;
  quantity: number;
}

export interface Reservation {
  id: string;
  status: ReservationStatus;
  channel_id: string | null;
  reference: string | null;
  order_id: string | null;
  expires_at: string | null;
  created_at: string | null;
  updated_at: string | null;
  lines: ReservationLine[];
}

interface ReservationRow {
  id: string;
  status: ReservationStatus;
  channel_id: string | null;
  reference: string | null;
  order_id: string | null;
  expires_at: string;
  created_at: string;
  updated_at: string;
}

export async function getReservation(executor: Executor, id: string): Promise<Reservation | undefined> {
  const row = await queryOne<ReservationRow>(
    executor,
    sql`select id, status, channel_id, reference, order_id, expires_at, created_at, updated_at from reservations where id = ${id}`,
  );
  if (!row) return undefined;
  const lines = await reservationLines(executor, [id]);
  return {
    ...row,
    expires_at: toIso(row.expires_at),
    created_at: toIso(row.created_at),
    updated_at: toIso(row.updated_at),
    lines: lines.map(({ sku, location_id, quantity }) => ({ sku, location_id, quantity })),
  };
}

/** Lines of the given reservations in (sku, location) order: the order rows are locked in. */
export async function reservationLines(executor: Executor, ids: string[]) {
  return query<ReservationLine & { reservation_id: string }>(
    executor,
    sql`select reservation_id, sku, location_id, quantity from reservation_lines
        where reservation_id in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))
        order by sku, location_id, reservation_id, line_no`,
  );
}
