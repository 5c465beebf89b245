import type { Executor } from '../db/index.ts';
import { recordEvents } from '../events/index.ts';

/**
 * A `return.*` event in the outbox. Its subject is the order, so it is on the order's timeline
 * and reaches the order channel's subscribers; `return_id` names the return.
 */
export async function recordReturnEvent(
  executor: Executor,
  ret: { id: string; order_id: string; channel_id: string },
  type: string,
  actor: string | null,
  data: Record<string, unknown> = {},
): Promise<void> {
  await recordEvents(executor, [
    {
      type,
      subjectType: 'order',
      subjectId: ret.order_id,
      payload: { order_id: ret.order_id, channel_id: ret.channel_id, return_id: ret.id, actor, ...data },
    },
  ]);
}
