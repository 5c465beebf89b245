import { sql } from 'drizzle-orm';
import { query, type Executor } from '../../db/index.ts';
import { problem } from '../../shared/problem.ts';
import { fail, ok, type Result } from '../../shared/result.ts';
import { recordOrderEvent } from '../events.ts';
import { confirmChange } from './confirm-change.ts';

/**
 * A location's answer to the release requests on one of its fulfillment orders: `release` hands
 * the units back for the order changes that asked (once every location a change asked has
 * released, the change is confirmed right away; if that fails it stays `awaiting_release` for an
 * agent to confirm), `refuse` keeps the work as it is. The caller has locked the order and
 * checked that the key works at the location.
 */
export async function answerReleaseRequests(
  executor: Executor,
  fulfillmentOrderId: string,
  decision: 'release' | 'refuse',
  actor: string,
): Promise<Result<{ change_ids: string[]; confirmed: string[] }>> {
  const answered = await query<{ change_id: string; order_id: string; location_id: string }>(
    executor,
    sql`update fulfillment_release_requests r set status = ${decision === 'release' ? 'released' : 'refused'},
               decided_at = now(), decided_by = ${actor}
        from fulfillment_orders f
        where r.fulfillment_order_id = ${fulfillmentOrderId} and r.status = 'requested' and f.id = r.fulfillment_order_id
          and f.status in ('accepted', 'picking')
        returning r.change_id, f.order_id, f.location_id`,
  );
  if (answered.length === 0)
    return fail(
      problem('illegal_transition', `Fulfillment order ${fulfillmentOrderId} has no release request to answer.`),
    );
  const confirmed: string[] = [];
  for (const request of answered) {
    await recordOrderEvent(executor, request.order_id, 'order.change_release_answered', actor, {
      change_id: request.change_id,
      fulfillment_order_id: fulfillmentOrderId,
      location_id: request.location_id,
      decision,
    });
    if (decision === 'release' && (await confirmWhenReleased(executor, request.order_id, request.change_id, actor)))
      confirmed.push(request.change_id);
  }
  return ok({ change_ids: answered.map((a) => a.change_id), confirmed });
}

/** Confirms the change in a savepoint once nothing it asked for is still waiting; false when it cannot yet. */
async function confirmWhenReleased(executor: Executor, orderId: string, changeId: string, actor: string) {
  const waiting = await query<{ id: string }>(
    executor,
    sql`select id from fulfillment_release_requests where change_id = ${changeId} and status in ('requested', 'refused')`,
  );
  if (waiting.length > 0) return false;
  try {
    return await executor.transaction(async (savepoint) => {
      const result = await confirmChange(savepoint, orderId, changeId, {}, actor);
      if (!result.ok || result.value.status !== 'confirmed') throw new NotNow();
      return true;
    });
  } catch (error) {
    if (error instanceof NotNow) return false;
    throw error;
  }
}

class NotNow extends Error {}
