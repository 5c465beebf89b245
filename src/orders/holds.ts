import { sql } from 'drizzle-orm';
import { query, queryOne, type Executor } from '../db/index.ts';
import { recordEvents } from '../events/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { quoteOrderTax } from '../tax/index.ts';
import { recordOrderEvent } from './events.ts';
import { startFulfillmentIfFree, waitingUnits } from './fulfillment-start.ts';
import { refreshOrderStatus } from './refresh-status.ts';
import { routeOrder } from './route-order.ts';
import { refuseUnmanaged } from '../shared/unmanaged.ts';

export const holdKinds = ['payment', 'fraud', 'manual', 'review', 'routing', 'tax'] as const;
export type HoldKind = (typeof holdKinds)[number];

const FINAL = ['shipped', 'partially_delivered', 'delivered', 'cancelled'];

/**
 * Puts an order on hold: it keeps its reserved stock but gets no new fulfillment work. An order
 * imported as it was (unmanaged) is refused: Consign does not run it, so nothing is to be held.
 */
export async function holdOrder(
  executor: Executor,
  orderId: string,
  kind: HoldKind,
  reason: string,
  actor: string,
): Promise<Result<void>> {
  const order = await queryOne<{ status: string; managed: boolean }>(
    executor,
    sql`select status, managed from orders where id = ${orderId} for update`,
  );
  if (!order) return fail(problem('not_found', `No order ${orderId}.`));
  // A hold would re-derive the imported status, and its release would route the order (ADR 0047).
  if (!order.managed) return refuseUnmanaged(orderId, 'hold');
  if (FINAL.includes(order.status)) {
    return fail(
      problem('illegal_transition', `Order ${orderId} is ${order.status}; it cannot be put on hold.`, {
        from: order.status,
      }),
    );
  }
  await executor.execute(
    sql`insert into order_holds (order_id, kind, reason, created_by) values (${orderId}, ${kind}, ${reason}, ${actor})`,
  );
  await recordOrderEvent(executor, orderId, 'order.held', actor, { kind, reason });
  await refreshOrderStatus(executor, orderId, actor);
  return ok(undefined);
}

/**
 * Quotes the order's tax, at capture and when its `tax` hold is released; when the tax cannot be
 * computed (and the policy says hold), the order goes on a `tax` hold: no fulfillment work yet.
 */
export async function quoteTaxOrHold(executor: Executor, orderId: string, actor: string): Promise<Result<boolean>> {
  const taxed = await quoteOrderTax(executor, orderId);
  if (taxed.outcome !== 'hold') return ok(false);
  const held = await holdOrder(executor, orderId, 'tax', taxed.reason, actor);
  return held.ok ? ok(true) : held;
}

/**
 * Puts the order on a `payment` hold (once: an active one is kept) so that no new fulfillment
 * work starts while the money is unresolved. Units already shipped stay shipped, so unlike
 * `holdOrder` it applies to an order in any status.
 */
export async function holdForPayment(
  executor: Executor,
  orderId: string,
  reason: string,
  actor: string | null,
): Promise<void> {
  const active = await queryOne<{ id: number }>(
    executor,
    sql`select id from order_holds where order_id = ${orderId} and kind = 'payment' and released_at is null limit 1`,
  );
  if (active) return;
  const order = await queryOne<{ channel_id: string }>(
    executor,
    sql`select channel_id from orders where id = ${orderId}`,
  );
  await executor.execute(
    sql`insert into order_holds (order_id, kind, reason, created_by) values (${orderId}, 'payment', ${reason}, ${actor})`,
  );
  await recordEvents(executor, [
    {
      type: 'order.held',
      subjectType: 'order',
      subjectId: orderId,
      payload: { order_id: orderId, channel_id: order?.channel_id, actor, kind: 'payment', reason },
    },
  ]);
}

/**
 * Releases active holds (of one kind, or all). A released `tax` hold quotes the order's tax again
 * (back on a tax hold if it still cannot be computed). Units still waiting for a location are
 * routed again (back on a routing hold if nothing can take them); when no hold remains,
 * fulfillment work is created.
 */
export async function releaseHold(
  executor: Executor,
  orderId: string,
  kind: HoldKind | undefined,
  actor: string,
): Promise<Result<void>> {
  const order = await queryOne<{ status: string }>(
    executor,
    sql`select status from orders where id = ${orderId} for update`,
  );
  if (!order) return fail(problem('not_found', `No order ${orderId}.`));
  const released = await query<{ kind: string }>(
    executor,
    sql`update order_holds set released_at = now(), released_by = ${actor}
        where order_id = ${orderId} and released_at is null ${kind ? sql`and kind = ${kind}` : sql``}
        returning kind`,
  );
  if (released.length === 0) {
    return fail(problem('illegal_transition', `Order ${orderId} has no active ${kind ?? ''} hold.`.replace('  ', ' ')));
  }
  await recordOrderEvent(executor, orderId, 'order.hold_released', actor, { kinds: released.map((r) => r.kind) });
  if (released.some((r) => r.kind === 'tax') && order.status !== 'cancelled') {
    const taxed = await quoteTaxOrHold(executor, orderId, actor);
    if (!taxed.ok) return taxed;
  }
  if ((await waitingUnits(executor, orderId)) > 0) {
    const routed = await routeOrder(executor, orderId, { cause: 'release', actor, onFailure: 'hold' });
    if (!routed.ok) return routed;
  } else {
    await startFulfillmentIfFree(executor, orderId, actor);
  }
  await refreshOrderStatus(executor, orderId, actor);
  return ok(undefined);
}
