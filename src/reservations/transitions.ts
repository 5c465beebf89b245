import { sql } from 'drizzle-orm';
import { queryOne, type Executor } from '../db/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';

/** The reservation lifecycle as data: a hold ends exactly once, by commit, release or expiry. */
export const reservationTransitions = {
  held: ['committed', 'released', 'expired'],
  committed: [],
  released: [],
  expired: [],
} as const satisfies Record<string, readonly string[]>;

export type ReservationStatus = keyof typeof reservationTransitions;
export const reservationStatuses = Object.keys(reservationTransitions) as ReservationStatus[];

function canTransition(from: ReservationStatus, to: ReservationStatus): boolean {
  return (reservationTransitions[from] as readonly ReservationStatus[]).includes(to);
}

/**
 * Compare-and-set: moves a reservation from `from` to `to` only if it is still in `from`.
 * Zero rows updated means another request got there first; the caller learns which state won.
 */
export async function transitionReservation(
  executor: Executor,
  id: string,
  from: ReservationStatus,
  to: ReservationStatus,
  changes: { orderId?: string } = {},
): Promise<Result<{ id: string; status: ReservationStatus }>> {
  if (!canTransition(from, to)) {
    return fail(problem('illegal_transition', `A reservation cannot go from ${from} to ${to}.`, { from, to }));
  }
  const row = await queryOne<{ id: string; status: ReservationStatus }>(
    executor,
    sql`update reservations set status = ${to}, updated_at = now()
          ${changes.orderId ? sql`, order_id = ${changes.orderId}` : sql``}
        where id = ${id} and status = ${from}
        returning id, status`,
  );
  if (row) return ok(row);
  const current = await queryOne<{ status: ReservationStatus }>(
    executor,
    sql`select status from reservations where id = ${id}`,
  );
  if (!current) return fail(problem('not_found', `No reservation ${id}.`));
  return fail(
    problem('illegal_transition', `Reservation ${id} is ${current.status}; it cannot become ${to}.`, {
      from: current.status,
      to,
    }),
  );
}
