import { sql } from 'drizzle-orm';
import { query, type Executor } from '../../db/index.ts';
import { authorizeChange, releaseChangeMoney } from '../../payments/index.ts';
import { newId } from '../../shared/ids.ts';
import { problem } from '../../shared/problem.ts';
import { fail, ok, type Result } from '../../shared/result.ts';
import { recordOrderEvent } from '../events.ts';
import { holdForPayment } from '../holds.ts';
import { refreshOrderStatus } from '../refresh-status.ts';
import { applyChange } from './apply-change.ts';
import type { ChangeView } from './create-change.ts';
import { loadPlanContext, lockOrderHead, type OrderHead } from './load-change.ts';
import { planChange, type ChangePlan } from './plan-change.ts';
import { changeById, presentChange, releasesOfChange, type ChangeRow } from './read-change.ts';
import type { ConfirmChange } from './schemas.ts';

const OPEN = ['draft', 'declined', 'awaiting_release'];

/**
 * Locks the order and the change and checks that the change can still be decided: it is open
 * and the order is still at the version it was written against (compare-and-set: a change
 * confirmed meanwhile makes this one a 409 with the current version).
 */
export async function openChange(
  executor: Executor,
  orderId: string,
  changeId: string,
  options: { anyVersion?: boolean } = {},
): Promise<Result<{ order: OrderHead; change: ChangeRow }>> {
  const order = await lockOrderHead(executor, orderId);
  if (!order) return fail(problem('not_found', `No order ${orderId}.`));
  const change = await changeById(executor, orderId, changeId, { lock: true });
  if (!change) return fail(problem('not_found', `Order ${orderId} has no change ${changeId}.`));
  if (!OPEN.includes(change.status))
    return fail(
      problem('change_not_open', `Change ${changeId} is ${change.status}.`, { change_status: change.status }),
    );
  if (!options.anyVersion && order.version !== change.base_version)
    return fail(
      problem(
        'version_conflict',
        `Change ${changeId} was written against version ${change.base_version}; the order is at version ${order.version}. Draft it again.`,
        { base_version: change.base_version, current_version: order.version },
      ),
    );
  return ok({ order, change });
}

/**
 * Confirms a change in one transaction: a dearer order first takes an additional
 * authorization (declined: the order keeps its version and goes on a payment hold); then the
 * actions apply, only what they touch is routed again, and a cheaper order gets the difference
 * back (voided, then refunded). Units a location has started on wait for its release first.
 */
export async function confirmChange(
  executor: Executor,
  orderId: string,
  changeId: string,
  input: ConfirmChange,
  actor: string,
): Promise<Result<ChangeView>> {
  const opened = await openChange(executor, orderId, changeId);
  if (!opened.ok) return opened;
  const { order, change } = opened.value;
  const released = await query<{ fulfillment_order_id: string }>(
    executor,
    sql`select fulfillment_order_id from fulfillment_release_requests where change_id = ${changeId} and status = 'released'`,
  );
  const releasedIds = released.map((r) => r.fulfillment_order_id);
  const plan = planChange(await loadPlanContext(executor, order, change.actions, releasedIds), change.actions);
  if (!plan.ok) return plan;
  if (plan.value.releaseNeeded.length > 0) {
    await requestRelease(executor, order, change, plan.value.releaseNeeded, actor);
    return ok(await view(executor, orderId, changeId));
  }
  const delta = plan.value.deltaMinor;
  let authorization: Record<string, unknown> | null = null;
  if (delta > 0) {
    const attempts = await query<{ n: number }>(
      executor,
      sql`select count(*)::int as n from payments where order_id = ${orderId} and idempotency_key like ${`change:${changeId}:%`}`,
    );
    const authorized = await authorizeChange(executor, orderId, {
      amountMinor: delta,
      currency: order.currency,
      gateway: input.gateway,
      paymentMethod: input.payment_method,
      key: `change:${changeId}:${attempts[0]!.n + 1}`,
      actor,
    });
    if (authorized.status === 'declined') {
      await decline(executor, order, change, plan.value, authorized, actor);
      return ok(await view(executor, orderId, changeId));
    }
    authorization = { payment_id: authorized.payment.id, amount_minor: delta };
  }
  const applied = await applyChange(executor, order, plan.value, { changeId, actor, released: releasedIds });
  if (!applied.ok) return applied;
  const given =
    delta < 0
      ? await releaseChangeMoney(executor, orderId, {
          deltaMinor: delta,
          newTotalMinor: plan.value.after.totalMinor,
          currency: order.currency,
          reason: `order change ${changeId}: ${change.reason}`,
          actor,
        })
      : null;
  const settlement = {
    delta_minor: delta,
    currency: order.currency,
    authorized: authorization,
    voided_minor: given?.voided_minor ?? 0,
    refunded_minor: given?.refunded_minor ?? 0,
    payment_ids: given?.payments.map((p) => p.id) ?? [],
  };
  await decide(executor, changeId, 'confirmed', actor, settlement, applied.value.version);
  await executor.execute(sql`
    update fulfillment_release_requests set status = 'withdrawn', decided_at = now(), decided_by = ${actor}
    where change_id = ${changeId} and status = 'requested'`);
  await recordOrderEvent(executor, orderId, 'order.change_confirmed', actor, {
    change_id: changeId,
    reason: change.reason,
    version: applied.value.version,
    previous_version: order.version,
    delta: { amount: delta, currency: order.currency },
    total: { amount: plan.value.after.totalMinor, currency: order.currency },
    actions: change.actions.map((a) => a.type),
    // The lines this change touched (their units or money), so a sales channel can be told.
    lines: plan.value.lines
      .filter((l) => l.is_new || l.grown > 0 || l.cancel > 0 || l.money_changed)
      .map((l) => ({ line_id: l.line_id, added: l.is_new })),
  });
  return ok(await view(executor, orderId, changeId));
}

async function decline(
  executor: Executor,
  order: OrderHead,
  change: ChangeRow,
  plan: ChangePlan,
  authorized: { payment: { id: string } | null; code: string; message: string },
  actor: string,
) {
  const reason = `order change ${change.id}: the additional authorization of ${plan.deltaMinor} ${order.currency} was declined (${authorized.code})`;
  await holdForPayment(executor, order.id, reason, actor);
  // The hold may move the order's status (and so its row version); the change itself is still
  // one of the content it was drafted against, and may be confirmed again with another card.
  await refreshOrderStatus(executor, order.id, actor);
  await executor.execute(sql`
    update order_changes set base_version = (select version from orders where id = ${order.id}) where id = ${change.id}`);
  await decide(executor, change.id, 'declined', actor, {
    delta_minor: plan.deltaMinor,
    currency: order.currency,
    declined: { payment_id: authorized.payment?.id ?? null, code: authorized.code, message: authorized.message },
  });
  await recordOrderEvent(executor, order.id, 'order.change_declined', actor, {
    change_id: change.id,
    reason: change.reason,
    version: order.version,
    delta: { amount: plan.deltaMinor, currency: order.currency },
    failure: { code: authorized.code, message: authorized.message },
  });
}

/** Asks each location working on units the change takes back to release them (once per fulfillment order). */
async function requestRelease(executor: Executor, order: OrderHead, change: ChangeRow, foIds: string[], actor: string) {
  for (const foId of foIds) {
    await executor.execute(sql`
      insert into fulfillment_release_requests (id, change_id, fulfillment_order_id)
      select ${newId('frr')}, ${change.id}, ${foId}
      where not exists (select 1 from fulfillment_release_requests where change_id = ${change.id} and fulfillment_order_id = ${foId} and status in ('requested', 'released'))`);
  }
  if (change.status !== 'awaiting_release') {
    await decide(executor, change.id, 'awaiting_release', actor, null);
    await recordOrderEvent(executor, order.id, 'order.change_awaiting_release', actor, {
      change_id: change.id,
      reason: change.reason,
      fulfillment_order_ids: foIds,
    });
  }
}

export async function decide(
  executor: Executor,
  changeId: string,
  status: ChangeRow['status'],
  actor: string,
  settlement: Record<string, unknown> | null,
  resultVersion: number | null = null,
): Promise<void> {
  const final = status === 'confirmed' || status === 'cancelled';
  await executor.execute(sql`
    update order_changes set status = ${status}, settlement = coalesce(${settlement ? JSON.stringify(settlement) : null}::jsonb, settlement),
           result_version = ${resultVersion}, updated_at = now(),
           decided_at = ${final ? sql`now()` : sql`decided_at`}, decided_by = ${final ? actor : sql`decided_by`}
    where id = ${changeId}`);
}

export async function view(executor: Executor, orderId: string, changeId: string): Promise<ChangeView> {
  const row = (await changeById(executor, orderId, changeId))!;
  return presentChange(row, await releasesOfChange(executor, changeId));
}
