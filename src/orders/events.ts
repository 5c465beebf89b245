import type { Executor } from '../db/index.ts';
import { recordEvents } from '../events/index.ts';

/** An order event in the outbox; the order's timeline is these events, oldest first. */
export async function recordOrderEvent(
  executor: Executor,
  orderId: string,
  type: string,
  actor: string | null,
  data: Record<string, unknown> = {},
): Promise<void> {
  await recordEvents(executor, [
    { type, subjectType: 'order', subjectId: orderId, payload: { order_id: orderId, actor, ...data } },
  ]);
}
