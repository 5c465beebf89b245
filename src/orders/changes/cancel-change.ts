import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/index.ts';
import { ok, type Result } from '../../shared/result.ts';
import { recordOrderEvent } from '../events.ts';
import { decide, openChange, view } from './confirm-change.ts';
import type { ChangeView } from './create-change.ts';

/** Drops an open change: nothing of it applies, and its release requests are withdrawn. */
export async function cancelChange(
  executor: Executor,
  orderId: string,
  changeId: string,
  actor: string,
): Promise<Result<ChangeView>> {
  const opened = await openChange(executor, orderId, changeId, { anyVersion: true });
  if (!opened.ok) return opened;
  await decide(executor, changeId, 'cancelled', actor, null);
  await executor.execute(sql`
    update fulfillment_release_requests set status = 'withdrawn', decided_at = now(), decided_by = ${actor}
    where change_id = ${changeId} and status = 'requested'`);
  await recordOrderEvent(executor, orderId, 'order.change_cancelled', actor, {
    change_id: changeId,
    reason: opened.value.change.reason,
  });
  return ok(await view(executor, orderId, changeId));
}
