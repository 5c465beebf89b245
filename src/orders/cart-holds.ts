import { sql } from 'drizzle-orm';
import { query, type Executor } from '../db/index.ts';
import { applyMovement } from '../inventory/index.ts';
import { commitReservation, getReservation } from '../reservations/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import type { CreateOrder } from './schemas.ts';

/**
 * Turns the cart holds named on the order's lines into the order's allocations: the held units
 * stay reserved, now for the order. Units the order does not need are released.
 */
export async function convertCartHolds(
  executor: Executor,
  orderId: string,
  input: CreateOrder,
  actor: string,
): Promise<Result<void>> {
  const ids = [...new Set(input.lines.flatMap((l) => (l.reservation_id ? [l.reservation_id] : [])))];
  for (const reservationId of ids) {
    const reservation = await getReservation(executor, reservationId);
    if (!reservation)
      return fail(problem('unknown_reference', `No reservation ${reservationId}.`, { reservation_id: reservationId }));
    const committed = await commitReservation(executor, reservationId, orderId);
    if (!committed.ok) return committed;
    const lines = await query<{ line_id: string; sku: string; open: number }>(
      executor,
      sql`select line_id, sku, quantity - allocated as open from order_lines
          where order_id = ${orderId} and reservation_id = ${reservationId} order by line_no`,
    );
    for (const held of reservation.lines) {
      let left = held.quantity;
      for (const line of lines.filter((l) => l.sku === held.sku && l.open > 0)) {
        const take = Math.min(left, line.open);
        await executor.execute(sql`
          insert into order_allocations (order_id, line_id, sku, location_id, quantity)
          values (${orderId}, ${line.line_id}, ${held.sku}, ${held.location_id}, ${take})`);
        await executor.execute(
          sql`update order_lines set allocated = allocated + ${take}, backordered = backordered - ${take}
              where order_id = ${orderId} and line_id = ${line.line_id}`,
        );
        line.open -= take;
        left -= take;
        if (left === 0) break;
      }
      if (left > 0) {
        await applyMovement(
          executor,
          {
            locationId: held.location_id,
            sku: held.sku,
            kind: 'release',
            onHandDelta: 0,
            reservedDelta: -left,
            reason: 'not needed by the order',
            referenceType: 'reservation',
            referenceId: reservationId,
            actor,
          },
          'none',
        );
      }
    }
  }
  return ok(undefined);
}
