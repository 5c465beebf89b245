import { sql, type SQL } from 'drizzle-orm';
import { query, queryOne, type Executor } from '../db/index.ts';
import { problem, type Problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';

/**
 * The fulfillment-order lifecycle as data; `transitionFulfillment` is the only way a status
 * changes. It lives with the orders capability, which owns the fulfillment_orders table; the
 * fulfillment capability drives the work through it.
 */
export const fulfillmentTransitions = {
  allocated: ['accepted', 'rejected', 'cancelled'],
  accepted: ['picking', 'rejected', 'cancelled'],
  // Cancelled from picking only once its location released the work for an order change.
  picking: ['packed', 'rejected', 'cancelled'],
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
const movesWhileOnHold: readonly FulfillmentStatus[] = ['rejected', 'cancelled'];

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

/** The fulfillment orders (alias `f`) that `where` picks, in id order, as rows a transition takes. */
function selectFulfillmentOrders(where: SQL, lock: boolean): SQL {
  return sql`select f.id, f.order_id, f.location_id, f.delivery_method, f.status, f.version,
               -- A routing hold holds the units nothing could place, not the work already at a location.
               exists (select 1 from order_holds h where h.order_id = f.order_id and h.released_at is null and h.kind <> 'routing') as order_on_hold
        from fulfillment_orders f where ${where} order by f.id ${lock ? sql`for update of f` : sql``}`;
}

export async function loadFulfillmentOrder(
  executor: Executor,
  id: string,
  lock = false,
): Promise<FulfillmentOrderRow | undefined> {
  return queryOne<FulfillmentOrderRow>(executor, selectFulfillmentOrders(sql`f.id = ${id}`, lock));
}

/**
 * Moves every fulfillment order `where` picks (SQL over the alias `f`) to `to`, through
 * `transitionFulfillment`: for the work other capabilities end (a cancelled order's empty work,
 * a delivered shipment's). The rows are locked first, in id order, so none changes in between;
 * a move the lifecycle refuses is a bug in `where` and throws. Returns the moved rows.
 */
export async function transitionFulfillmentOrders(
  executor: Executor,
  where: SQL,
  to: FulfillmentStatus,
): Promise<FulfillmentOrderRow[]> {
  const moved: FulfillmentOrderRow[] = [];
  for (const fo of await query<FulfillmentOrderRow>(executor, selectFulfillmentOrders(where, true))) {
    const result = await transitionFulfillment(executor, fo, to);
    if (!result.ok) throw new Error(`fulfillment order ${fo.id} could not become ${to}: ${result.problem.detail}`);
    moved.push(result.value);
  }
  return moved;
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
  const row = await queryOne<{ version: number }>(
    executor,
    sql`update fulfillment_orders set status = ${to}, version = version + 1, updated_at = now()
        where id = ${fo.id} and status = ${fo.status} and version = ${fo.version} returning version`,
  );
  const version = row?.version;
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
