import { sql } from 'drizzle-orm';
import { query, queryOne, type Executor } from '../db/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { recordOrderEvent } from './events.ts';

/** Tags an order (each tag once); `order.tagged` on the timeline when the tag is new. */
export async function tagOrder(
  executor: Executor,
  orderId: string,
  tag: string,
  actor: string,
): Promise<Result<{ added: boolean }>> {
  const order = await queryOne(executor, sql`select id from orders where id = ${orderId}`);
  if (!order) return fail(problem('not_found', `No order ${orderId}.`));
  const added = await query(
    executor,
    sql`insert into order_tags (order_id, tag, created_by) values (${orderId}, ${tag}, ${actor})
        on conflict (order_id, tag) do nothing returning tag`,
  );
  if (added.length > 0) await recordOrderEvent(executor, orderId, 'order.tagged', actor, { tag });
  return ok({ added: added.length > 0 });
}

/** Writes a note on the order's timeline (`order.note_added`). */
export async function noteOrder(
  executor: Executor,
  orderId: string,
  note: string,
  actor: string,
): Promise<Result<void>> {
  const order = await queryOne(executor, sql`select id from orders where id = ${orderId}`);
  if (!order) return fail(problem('not_found', `No order ${orderId}.`));
  await recordOrderEvent(executor, orderId, 'order.note_added', actor, { note });
  return ok(undefined);
}
