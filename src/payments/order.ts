import { sql } from 'drizzle-orm';
import { queryOne, type Executor } from '../db/index.ts';

export interface OrderRef {
  id: string;
  channel_id: string;
  currency: string;
}

/** Locks the order row: every payments use case starts here, so operations on one order never interleave. */
export async function lockOrder(
  executor: Executor,
  orderId: string,
): Promise<(OrderRef & { shipping_minor: number; total_minor: number; managed: boolean }) | undefined> {
  return queryOne(
    executor,
    sql`select id, channel_id, currency, shipping_minor, total_minor, managed from orders where id = ${orderId} for update`,
  );
}
