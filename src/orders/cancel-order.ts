import { sql, type SQL } from 'drizzle-orm';
import { query, queryOne, type Executor } from '../db/index.ts';
import { recordEvents } from '../events/index.ts';
import { applyMovement } from '../inventory/index.ts';
import { refundCancelledCaptures, unitsShare, voidAuthorizations } from '../payments/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { recordOrderEvent } from './events.ts';
import { transitionFulfillmentOrders } from './fulfillment-transitions.ts';
import { releaseRoutingHold, startFulfillmentIfFree, waitingUnits } from './fulfillment-start.ts';
import { releaseKitUnits } from './kit-allocations.ts';
import { refreshOrderStatus } from './refresh-status.ts';
import { refuseUnmanaged } from '../shared/unmanaged.ts';

/**
 * The cancellation policy: units are cancellable while their fulfillment order has not got
 * past these statuses (never once shipped). Units not yet at a location (back-ordered, or on a
 * held order without fulfillment work) are always cancellable.
 */
export const cancellationPolicy = { cancellableFulfillmentStatuses: ['allocated', 'accepted'] as string[] };

interface CancelInput {
  /** Omit to cancel everything still cancellable. */
  lines?: { line_id: string; quantity: number }[] | undefined;
  reason: string;
  actor: string;
}

interface LineState {
  line_id: string;
  sku: string;
  quantity: number;
  cancelled: number;
  backordered: number;
  unit_price_minor: number;
  /** The line's share of the order's discounts and taxes. */
  discount_minor: number;
  tax_minor: number;
}

interface AllocationState {
  id: number;
  line_id: string;
  sku: string;
  location_id: string;
  quantity: number;
  fulfillment_order_id: string | null;
  fo_status: string | null;
  /** A split kit's part: its group counts once, and is released whole at every location. */
  kit_group: string | null;
}

/**
 * The order's reserved allocations with their fulfillment status, in the order units are
 * released (`releaseLineUnits`); `where` narrows them (alias `a` and `f`).
 */
export async function reservedAllocations(
  executor: Executor,
  orderId: string,
  where: SQL = sql``,
): Promise<AllocationState[]> {
  return query<AllocationState>(
    executor,
    sql`select a.id, a.line_id, a.sku, a.location_id, a.quantity, a.fulfillment_order_id, f.status as fo_status, a.kit_group
        from order_allocations a left join fulfillment_orders f on f.id = a.fulfillment_order_id
        where a.order_id = ${orderId} and a.status = 'reserved' ${where}
        order by a.sku, a.location_id, a.id`,
  );
}

async function loadState(executor: Executor, orderId: string) {
  const lines = await query<LineState>(
    executor,
    sql`select line_id, sku, quantity, cancelled, backordered, unit_price_minor, discount_minor, tax_minor
        from order_lines where order_id = ${orderId} order by line_no`,
  );
  return { lines, allocations: await reservedAllocations(executor, orderId) };
}

/**
 * What cancelling `count` more units of a line gives back. Cancelled units are the line's last
 * and shipments take its first (`unitsShare`, in the order shipments are charged), so whatever
 * the order of the two, what ships and what is cancelled add up to the line's total exactly.
 */
function cancelledValue(line: LineState, count: number): number {
  const from = line.quantity - line.cancelled - count;
  const share = (totalMinor: number) => unitsShare(totalMinor, line.quantity, from, count);
  return line.unit_price_minor * count - share(line.discount_minor) + share(line.tax_minor);
}

const cancellableWork = (a: AllocationState) =>
  a.fo_status === null || cancellationPolicy.cancellableFulfillmentStatuses.includes(a.fo_status);

/** The allocations whose units can be cancelled: a split kit's only when every part's work can; its group once. */
function cancellable(allocations: AllocationState[]): AllocationState[] {
  const stuck = new Set(allocations.filter((a) => a.kit_group !== null && !cancellableWork(a)).map((a) => a.kit_group));
  const seen = new Set<string>();
  return allocations.filter((a) => {
    if (!cancellableWork(a) || (a.kit_group !== null && (stuck.has(a.kit_group) || seen.has(a.kit_group))))
      return false;
    if (a.kit_group !== null) seen.add(a.kit_group);
    return true;
  });
}

/** Cancels a whole order or some line quantities, releasing their stock and voiding their money. */
export async function cancelOrder(
  executor: Executor,
  orderId: string,
  input: CancelInput,
): Promise<Result<{ cancelled: { line_id: string; quantity: number }[] }>> {
  const order = await queryOne<{ status: string; currency: string; managed: boolean }>(
    executor,
    sql`select status, currency, managed from orders where id = ${orderId} for update`,
  );
  if (!order) return fail(problem('not_found', `No order ${orderId}.`));
  if (!order.managed) return refuseUnmanaged(orderId, 'cancel');
  const { lines, allocations } = await loadState(executor, orderId);
  const requested = input.lines ?? lines.map((l) => ({ line_id: l.line_id, quantity: -1 }));
  const plan: { line: LineState; quantity: number }[] = [];
  const errors: { pointer: string; message: string }[] = [];
  requested.forEach((r, i) => {
    const line = lines.find((l) => l.line_id === r.line_id);
    if (!line) return errors.push({ pointer: `/lines/${i}/line_id`, message: `no line ${r.line_id}` });
    const max =
      line.backordered +
      cancellable(allocations)
        .filter((a) => a.line_id === line.line_id)
        .reduce((n, a) => n + a.quantity, 0);
    const quantity = r.quantity === -1 ? max : r.quantity;
    if (quantity > max)
      errors.push({
        pointer: `/lines/${i}/quantity`,
        message: `only ${max} of line ${line.line_id} can still be cancelled`,
      });
    else if (quantity > 0) plan.push({ line, quantity });
    return undefined;
  });
  if (errors.length > 0)
    return fail(problem('illegal_transition', `Cannot cancel: ${errors[0]!.message}.`, { errors }));
  if (plan.length === 0)
    return fail(
      problem(
        'illegal_transition',
        `Order ${orderId} has nothing left that can be cancelled (status ${order.status}).`,
      ),
    );

  for (const { line, quantity } of plan) await cancelLine(executor, orderId, line, allocations, quantity, input.actor);
  await cancelEmptyFulfillmentOrders(executor, orderId, input.actor);
  if ((await waitingUnits(executor, orderId)) === 0) {
    // Nothing waits for a location any more: a routing hold has nothing left to hold.
    if (await releaseRoutingHold(executor, orderId, input.actor, 'the waiting units were cancelled'))
      await startFulfillmentIfFree(executor, orderId, input.actor);
  }
  const value = plan.reduce((n, p) => n + cancelledValue(p.line, p.quantity), 0);
  const voids = await voidAuthorizations(executor, orderId, value, input.actor);
  const voided = voids.filter((v) => v.status !== 'failed').reduce((n, v) => n + v.amount_minor, 0);
  await refundCancelledCaptures(executor, orderId, {
    uncoveredMinor: value - voided,
    reason: input.reason,
    actor: input.actor,
  });
  const cancelled = plan.map((p) => ({ line_id: p.line.line_id, quantity: p.quantity }));
  await recordOrderEvent(executor, orderId, 'order.lines_cancelled', input.actor, {
    reason: input.reason,
    lines: cancelled,
  });
  await refreshOrderStatus(executor, orderId, input.actor);
  return ok({ cancelled });
}

async function cancelLine(
  executor: Executor,
  orderId: string,
  line: LineState,
  allocations: AllocationState[],
  quantity: number,
  actor: string,
) {
  await releaseLineUnits(executor, orderId, line, cancellable(allocations), quantity, {
    into: 'cancelled',
    reason: 'order cancelled',
    actor,
  });
}

/**
 * Takes `quantity` open units off a line: back-ordered units first, then units of `allocations`
 * (the line's reserved allocations the caller may release, in order), whose stock is released.
 * The units go to the `cancelled` bucket (a cancellation, a change that lowers a quantity) or
 * back to waiting (`backordered`: a change that routes them again). The caller checks that
 * enough units are there.
 */
export async function releaseLineUnits(
  executor: Executor,
  orderId: string,
  line: { line_id: string; backordered: number },
  allocations: AllocationState[],
  quantity: number,
  options: { into: 'cancelled' | 'backordered'; reason: string; actor: string },
): Promise<void> {
  let left = quantity;
  const fromBackorder = options.into === 'cancelled' ? Math.min(left, line.backordered) : 0;
  left -= fromBackorder;
  let fromAllocated = 0;
  const kits = new Set<string>();
  for (const a of allocations.filter((x) => x.line_id === line.line_id)) {
    if (left === 0) break;
    if (a.kit_group !== null && kits.has(a.kit_group)) continue;
    if (a.kit_group !== null) kits.add(a.kit_group);
    const take = Math.min(left, a.quantity);
    left -= take;
    fromAllocated += take;
    if (a.kit_group !== null) {
      await releaseKitUnits(executor, a.kit_group, take, { reason: options.reason, actor: options.actor });
      a.quantity -= take;
      continue;
    }
    await applyMovement(
      executor,
      {
        locationId: a.location_id,
        sku: a.sku,
        kind: 'release',
        onHandDelta: 0,
        reservedDelta: -take,
        reason: options.reason,
        referenceType: 'order',
        referenceId: orderId,
        actor: options.actor,
      },
      'none',
    );
    await executor.execute(sql`
      update order_allocations
      set quantity = case when quantity = ${take} then quantity else quantity - ${take} end,
          status = case when quantity = ${take} then 'released' else status end
      where id = ${a.id}`);
    a.quantity -= take;
  }
  const cancelled = options.into === 'cancelled' ? quantity - left : 0;
  await executor.execute(sql`
    update order_lines set cancelled = cancelled + ${cancelled}, backordered = backordered - ${fromBackorder} + ${options.into === 'backordered' ? fromAllocated : 0},
                           allocated = allocated - ${fromAllocated}
    where order_id = ${orderId} and line_id = ${line.line_id}`);
}

/** Work left with no units ends, each with its `fulfillment_order.cancelled` event. */
export async function cancelEmptyFulfillmentOrders(
  executor: Executor,
  orderId: string,
  actor: string,
  /** Work its location released for an order change: ended also while picking. */
  released: string[] = [],
) {
  const ended = await transitionFulfillmentOrders(
    executor,
    sql`f.order_id = ${orderId} and (f.status in ('allocated', 'accepted') or f.id = any(${sql.param(released)}::text[]))
        and not exists (select 1 from order_allocations a where a.fulfillment_order_id = f.id and a.status = 'reserved')`,
    'cancelled',
  );
  await recordEvents(
    executor,
    ended.map((fo) => ({
      type: 'fulfillment_order.cancelled',
      subjectType: 'order',
      subjectId: orderId,
      payload: {
        order_id: orderId,
        actor,
        fulfillment_order_id: fo.id,
        location_id: fo.location_id,
        delivery_method: fo.delivery_method,
        status: 'cancelled',
      },
    })),
  );
}
