import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/index.ts';
import { newId } from '../../shared/ids.ts';
import { problem, type Problem } from '../../shared/problem.ts';
import { fail, ok, type Result } from '../../shared/result.ts';
import { recordOrderEvent } from '../events.ts';
import { loadPlanContext, lockOrderHead } from './load-change.ts';
import { planChange } from './plan-change.ts';
import { refuseUnmanaged } from '../../shared/unmanaged.ts';
import { previewChange, type Preview } from './preview-change.ts';
import { changeById, presentChange } from './read-change.ts';
import type { CreateChange } from './schemas.ts';

export type ChangeView = ReturnType<typeof presentChange> & { preview?: Preview | null; preview_problem?: Problem };

/**
 * Drafts a change of the order's current version and previews it. Actions that cannot apply
 * to the order are refused (nothing is written); units a location must release first are
 * listed in the preview, not refused.
 */
export async function createChange(
  executor: Executor,
  orderId: string,
  input: CreateChange,
  actor: string,
): Promise<Result<ChangeView>> {
  const order = await lockOrderHead(executor, orderId);
  if (!order) return fail(problem('not_found', `No order ${orderId}.`));
  if (!order.managed) return refuseUnmanaged(orderId, 'change');
  const plan = planChange(await loadPlanContext(executor, order, input.actions), input.actions);
  if (!plan.ok) return plan;
  const id = newId('chg');
  await executor.execute(sql`
    insert into order_changes (id, order_id, base_version, status, actions, reason, created_by)
    values (${id}, ${orderId}, ${order.version}, 'draft', ${JSON.stringify(input.actions)}::jsonb, ${input.reason}, ${actor})`);
  await recordOrderEvent(executor, orderId, 'order.change_drafted', actor, {
    change_id: id,
    reason: input.reason,
    base_version: order.version,
    delta: { amount: plan.value.deltaMinor, currency: order.currency },
  });
  const preview = await previewChange(executor, order, plan.value, actor);
  const row = (await changeById(executor, orderId, id))!;
  return ok({ ...presentChange(row), ...previewFields(preview) });
}

export function previewFields(preview: Preview | Problem): Pick<ChangeView, 'preview' | 'preview_problem'> {
  return 'code' in preview ? { preview: null, preview_problem: preview as Problem } : { preview };
}
