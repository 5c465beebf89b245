import { sql } from 'drizzle-orm';
import { queryOne, type Executor } from '../db/index.ts';

/**
 * The return buckets of order lines (`return_requested`, `returned`, `refunded`), moved for the
 * returns capability: the lines are the orders capability's to write.
 */

/** Claims `quantity` delivered units of a line for a return; false when fewer are still returnable. */
export async function requestReturnUnits(
  executor: Executor,
  line: { orderId: string; lineId: string },
  quantity: number,
): Promise<boolean> {
  const claimed = await queryOne(
    executor,
    sql`update order_lines set return_requested = return_requested + ${quantity}
        where order_id = ${line.orderId} and line_id = ${line.lineId} and delivered - returned - return_requested >= ${quantity}
        returning line_id`,
  );
  return claimed !== undefined;
}

/** Units on the return that have not arrived stop counting as requested on the order lines. */
export async function releaseRequestedUnits(executor: Executor, returnId: string): Promise<void> {
  await executor.execute(sql`
    update order_lines ol set return_requested = ol.return_requested - (rl.quantity - rl.received)
    from return_lines rl join returns r on r.id = rl.return_id
    where rl.return_id = ${returnId} and ol.order_id = r.order_id and ol.line_id = rl.line_id and rl.quantity > rl.received`);
}

/** Requested units that arrived back. */
export async function receiveReturnedUnits(
  executor: Executor,
  line: { orderId: string; lineId: string },
  quantity: number,
): Promise<void> {
  await executor.execute(sql`
    update order_lines set return_requested = return_requested - ${quantity}, returned = returned + ${quantity}
    where order_id = ${line.orderId} and line_id = ${line.lineId}`);
}

/** Returned units that were refunded. */
export async function refundLineUnits(
  executor: Executor,
  line: { orderId: string; lineId: string },
  quantity: number,
): Promise<void> {
  await executor.execute(
    sql`update order_lines set refunded = refunded + ${quantity} where order_id = ${line.orderId} and line_id = ${line.lineId}`,
  );
}
