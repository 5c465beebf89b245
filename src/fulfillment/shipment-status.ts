import { sql } from 'drizzle-orm';
import { queryOne, type Executor } from '../db/index.ts';

interface ShipmentMove {
  id: string;
  /** The status the caller saw (compare-and-set). */
  from: string;
  to: string;
  lastEventAt: string | null;
  /** Kept once set; only written on the move into `delivered`. */
  deliveredAt: string | null;
}

/**
 * Moves a shipment to the status tracking derived from its events, from the status the caller
 * saw; false when it was not in that status any more.
 */
export async function setShipmentStatus(executor: Executor, move: ShipmentMove): Promise<boolean> {
  const moved = await queryOne<{ id: string }>(
    executor,
    sql`update shipments set status = ${move.to}, last_event_at = ${move.lastEventAt},
          delivered_at = case when ${move.to} = 'delivered' then coalesce(delivered_at, ${move.deliveredAt}::timestamptz) else delivered_at end,
          updated_at = now()
        where id = ${move.id} and status = ${move.from} returning id`,
  );
  return moved !== undefined;
}
