import { sql } from 'drizzle-orm';
import { query, type Executor } from '../db/index.ts';
import { applyMovement } from '../inventory/index.ts';
import { commitReservation, getReservation, type Reservation } from '../reservations/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import type { CreateOrder } from './schemas.ts';

/** Whose order the holds would join: its channel and, for channel keys, the key's channel. */
interface HoldOwner {
  channelId: string;
  channelOfKey: string | null;
}

/** A hold joins an order of the channel it was held for; one held for no channel, an order placed by a key that sees every channel. */
function heldFor(hold: Reservation, owner: HoldOwner): boolean {
  return hold.channel_id === null ? owner.channelOfKey === null : hold.channel_id === owner.channelId;
}

/**
 * The cart holds the order's lines name, checked before anything is written: each exists,
 * belongs to the order's channel, and holds units of the SKU of every line that names it — at
 * the line's ship-from location only, when it names one.
 */
export async function checkCartHolds(
  executor: Executor,
  input: CreateOrder,
  owner: HoldOwner,
): Promise<Result<Reservation[]>> {
  const holds = new Map<string, Reservation>();
  for (const [i, line] of input.lines.entries()) {
    const id = line.reservation_id;
    if (id === undefined) continue;
    const pointer = `/lines/${i}/reservation_id`;
    let hold = holds.get(id);
    if (hold === undefined) {
      hold = await getReservation(executor, id);
      if (!hold) return fail(problem('unknown_reference', `No reservation ${id}.`, { reservation_id: id }));
      if (!heldFor(hold, owner)) {
        return fail(
          problem(
            'reservation_channel_mismatch',
            `Reservation ${id} was not held for channel ${input.channel}; a cart hold becomes an order of its own channel only. Hold the stock for this channel, or leave reservation_id out.`,
            { reservation_id: id, errors: [{ pointer, message: "another channel's hold" }] },
          ),
        );
      }
      holds.set(id, hold);
    }
    if (!hold.lines.some((held) => held.sku === line.sku)) {
      return fail(
        problem(
          'reservation_sku_mismatch',
          `Reservation ${id} holds no ${line.sku}, the SKU of line ${line.line_id ?? i + 1}. Name a hold on the lines of the SKUs it holds.`,
          { reservation_id: id, sku: line.sku, errors: [{ pointer, message: `the hold holds no ${line.sku}` }] },
        ),
      );
    }
    const elsewhere = line.ship_from_location_id
      ? hold.lines.find((held) => held.sku === line.sku && held.location_id !== line.ship_from_location_id)
      : undefined;
    if (elsewhere) {
      const named = line.ship_from_location_id!;
      return fail(
        problem(
          'ship_from_unusable',
          `Line ${line.line_id ?? i + 1} ships from ${named}, but reservation ${id} holds its ${line.sku} at ${elsewhere.location_id}. Hold the stock at ${named}, or leave reservation_id or ship_from_location_id out.`,
          {
            reservation_id: id,
            errors: [
              {
                pointer: `/lines/${i}/ship_from_location_id`,
                message: `line ${line.line_id ?? i + 1}: its cart hold holds ${line.sku} at ${elsewhere.location_id}, not here`,
              },
            ],
          },
        ),
      );
    }
  }
  return ok([...holds.values()]);
}

/**
 * Turns the cart holds (checked by `checkCartHolds`) into the order's allocations: the held
 * units stay reserved, now for the order. Units the order does not need are released.
 */
export async function convertCartHolds(
  executor: Executor,
  orderId: string,
  holds: Reservation[],
  actor: string,
): Promise<Result<void>> {
  for (const reservation of holds) {
    const reservationId = reservation.id;
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
