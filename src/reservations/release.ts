import { sql } from 'drizzle-orm';
import { query, type Executor } from '../db/index.ts';
import { recordEvents, recordEventsFrom } from '../events/index.ts';
import { applyMovement } from '../inventory/index.ts';
import { ok, type Result } from '../shared/result.ts';
import { getReservation, reservationLines, type Reservation } from './read.ts';
import { transitionReservation } from './transitions.ts';

/** Gives a hold's units back (ledger `release` or `expiry` rows) after its status has moved. */
async function returnStock(executor: Executor, ids: string[], kind: 'release' | 'expiry', actor: string | null) {
  for (const line of await reservationLines(executor, ids)) {
    const level = await applyMovement(
      executor,
      {
        locationId: line.location_id,
        sku: line.sku,
        kind,
        onHandDelta: 0,
        reservedDelta: -line.quantity,
        referenceType: 'reservation',
        referenceId: line.reservation_id,
        actor,
      },
      'none',
    );
    if (!level)
      throw new Error(
        `stock level ${line.location_id}/${line.sku} could not release ${line.quantity} for ${line.reservation_id}`,
      );
  }
}

async function announce(executor: Executor, ids: string[], status: 'released' | 'expired') {
  await recordEventsFrom(
    executor,
    sql`select ${`reservation.${status}`}, 'reservation', id, jsonb_build_object('id', id, 'status', ${status}::text)
        from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb) as t(id)`,
  );
}

/**
 * Releases a hold (DELETE /v1/reservations/{id}). Releasing an already released hold is a
 * no-op that returns it; a committed or expired one is an illegal transition.
 */
export async function releaseReservation(
  executor: Executor,
  id: string,
  actor: string | null,
): Promise<Result<Reservation>> {
  const moved = await transitionReservation(executor, id, 'held', 'released');
  if (!moved.ok) {
    if (moved.problem.code === 'illegal_transition' && moved.problem.from === 'released') {
      return ok((await getReservation(executor, id))!);
    }
    return moved;
  }
  await returnStock(executor, [id], 'release', actor);
  await announce(executor, [id], 'released');
  return ok((await getReservation(executor, id))!);
}

/**
 * Expires up to `batchSize` holds whose time has passed. SKIP LOCKED lets several server
 * processes sweep at once without waiting on each other or expiring a hold twice.
 */
export async function expireDueReservations(executor: Executor, batchSize: number): Promise<number> {
  const due = await query<{ id: string }>(
    executor,
    sql`update reservations set status = 'expired', updated_at = now()
        where id in (
          select id from reservations
          where status = 'held' and expires_at <= now()
          order by expires_at
          limit ${batchSize}
          for update skip locked)
          and status = 'held'
        returning id`,
  );
  if (due.length === 0) return 0;
  const ids = due.map((r) => r.id);
  await returnStock(executor, ids, 'expiry', 'sweeper');
  await announce(executor, ids, 'expired');
  return ids.length;
}

/** Converts a hold into an order's reservation: its units stay reserved, now for the order. */
export async function commitReservation(executor: Executor, id: string, orderId: string): Promise<Result<Reservation>> {
  const moved = await transitionReservation(executor, id, 'held', 'committed', { orderId });
  if (!moved.ok) return moved;
  await recordEvents(executor, [
    {
      type: 'reservation.committed',
      subjectType: 'reservation',
      subjectId: id,
      payload: { id, status: 'committed', order_id: orderId },
    },
  ]);
  return ok((await getReservation(executor, id))!);
}
