import { sql } from 'drizzle-orm';
import { queryOne, type Executor } from '../db/index.ts';
import { setFulfillmentOrderStatus } from '../orders/index.ts';
import { problem, type Problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';

/** The fulfillment-order lifecycle as data; `transition` is the only way a status changes. */
export const fulfillmentTransitions = {
  allocated: ['accepted', 'rejected', 'cancelled'],
  accepted: ['picking', 'rejected', 'cancelled'],
  picking: ['packed', 'rejected'],
  packed: ['shipped', 'ready_for_pickup'],
  shipped: ['delivered'],
  ready_for_pickup: ['picked_up'],
  delivered: [],
  picked_up: [],
  rejected: [],
  cancelled: [],
} as const satisfies Record<string, readonly string[]>;

export type FulfillmentStatus = keyof typeof fulfillmentTransitions;
export const fulfillmentStatuses = Object.keys(fulfillmentTransitions) as FulfillmentStatus[];

/**
 * The moves a fulfillment order may make while its order is on a hold that stops work (any but a
 * routing hold, which holds only the units nothing could place): giving the work back or ending
 * it. Every other move takes the work forward and waits until the hold is released.
 */
export const movesWhileOnHold: readonly FulfillmentStatus[] = ['rejected', 'cancelled'];

/**
 * Why `fo` may not move to `to` now because its order is on hold, or undefined when it may
 * (`to` null: a step that moves no status).
 */
export function onHoldRefusal(fo: FulfillmentOrderRow, to: FulfillmentStatus | null): Problem | undefined {
  if (!fo.order_on_hold || to === null || movesWhileOnHold.includes(to)) return undefined;
  return problem(
    'illegal_transition',
    `The order of ${fo.id} is on hold; work on it waits until the hold is released (rejecting it is still possible).`,
    { from: fo.status, to, allowed: movesWhileOnHold.filter((s) => canTransitionFulfillment(fo.status, s)) },
  );
}

/** The refusal of a move the lifecycle does not allow. */
export function illegalMove(fo: FulfillmentOrderRow, to: FulfillmentStatus): Problem {
  return problem('illegal_transition', `Fulfillment order ${fo.id} is ${fo.status}; it cannot become ${to}.`, {
    from: fo.status,
    to,
    allowed: fulfillmentTransitions[fo.status],
  });
}

export function canTransitionFulfillment(from: FulfillmentStatus, to: FulfillmentStatus): boolean {
  return (fulfillmentTransitions[from] as readonly FulfillmentStatus[]).includes(to);
}

export interface FulfillmentOrderRow {
  id: string;
  order_id: string;
  location_id: string;
  delivery_method: 'ship' | 'pickup' | 'curbside';
  status: FulfillmentStatus;
  version: number;
  order_on_hold: boolean;
}

export async function loadFulfillmentOrder(
  executor: Executor,
  id: string,
  lock = false,
): Promise<FulfillmentOrderRow | undefined> {
  return queryOne<FulfillmentOrderRow>(
    executor,
    sql`select f.id, f.order_id, f.location_id, f.delivery_method, f.status, f.version,
               -- A routing hold holds the units nothing could place, not the work already at a location.
               exists (select 1 from order_holds h where h.order_id = f.order_id and h.released_at is null and h.kind <> 'routing') as order_on_hold
        from fulfillment_orders f where f.id = ${id} ${lock ? sql`for update of f` : sql``}`,
  );
}

/**
 * Compare-and-set on (status, version): moves a fulfillment order only from the status the
 * caller saw; zero rows means someone else moved it first, and the caller is told so.
 */
export async function transitionFulfillment(
  executor: Executor,
  fo: FulfillmentOrderRow,
  to: FulfillmentStatus,
): Promise<Result<FulfillmentOrderRow>> {
  if (!canTransitionFulfillment(fo.status, to)) return fail(illegalMove(fo, to));
  const version = await setFulfillmentOrderStatus(executor, fo, to);
  if (version === undefined) {
    const current = await loadFulfillmentOrder(executor, fo.id);
    return fail(
      problem('conflict', `Fulfillment order ${fo.id} changed meanwhile (now ${current?.status}); reload and retry.`, {
        status: current?.status,
      }),
    );
  }
  return ok({ ...fo, status: to, version });
}
