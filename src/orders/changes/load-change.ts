import { sql } from 'drizzle-orm';
import { query, queryOne, type Executor } from '../../db/index.ts';
import { reservedAllocations } from '../cancel-order.ts';
import type { ChangeAction } from './schemas.ts';
import type { LineNow, LinePlacement, OrderNow, PlanContext } from './plan-change.ts';

/** Fulfillment statuses whose reserved units a change may take back without asking the location. */
const CHANGEABLE = ['allocated'];
/** Started work: the location must release it first. */
const STARTED = ['accepted', 'picking'];

export interface OrderHead extends OrderNow {
  id: string;
  version: number;
  channel_id: string;
  managed: boolean;
}

/** Locks the order (every change of one order waits here) and reads its head. */
export async function lockOrderHead(executor: Executor, orderId: string): Promise<OrderHead | undefined> {
  return queryOne<OrderHead>(
    executor,
    sql`select o.id, o.version, o.managed, o.channel_id, o.currency, o.status, o.shipping_minor, o.delivery_method, o.pickup_location_id,
               o.shipping_address is not null as has_shipping_address,
               exists (select 1 from order_lines l where l.order_id = o.id and l.shipped > 0) as shipped_any
        from orders o where o.id = ${orderId} for update`,
  );
}

/**
 * What planning a change needs: the lines, where their reserved units are, and the catalogue
 * and locations the actions name. `releasedFulfillmentOrders`: work its location has released
 * for this change, whose units count as changeable.
 */
export async function loadPlanContext(
  executor: Executor,
  order: OrderHead,
  actions: ChangeAction[],
  releasedFulfillmentOrders: string[] = [],
): Promise<PlanContext> {
  const lines = await query<LineNow>(
    executor,
    sql`select line_id, line_no, sku, name, quantity, cancelled, shipped, backordered, allocated, unit_price_minor, discount_minor, tax_minor
        from order_lines where order_id = ${order.id} order by line_no`,
  );
  const allocations = await query<{
    line_id: string;
    quantity: number;
    fo_id: string | null;
    fo_status: string | null;
  }>(
    executor,
    sql`select a.line_id, a.quantity, f.id as fo_id, f.status as fo_status
        from order_allocations a left join fulfillment_orders f on f.id = a.fulfillment_order_id
        where a.order_id = ${order.id} and a.status = 'reserved' order by a.id`,
  );
  const placements = new Map<string, LinePlacement & { startedFulfillmentOrders: string[] }>(
    lines.map((l) => [l.line_id, { changeable: 0, started: 0, locked: 0, startedFulfillmentOrders: [] }]),
  );
  for (const a of allocations) {
    const p = placements.get(a.line_id)!;
    if (a.fo_status === null || CHANGEABLE.includes(a.fo_status) || releasedFulfillmentOrders.includes(a.fo_id!))
      p.changeable += a.quantity;
    else if (STARTED.includes(a.fo_status)) {
      p.started += a.quantity;
      if (!p.startedFulfillmentOrders.includes(a.fo_id!)) p.startedFulfillmentOrders.push(a.fo_id!);
    } else p.locked += a.quantity;
  }
  const skus = actions.flatMap((a) => (a.type === 'add_line' ? [a.sku] : []));
  const pickups = actions.flatMap((a) =>
    a.type === 'change_delivery_method' && a.pickup_location_id ? [a.pickup_location_id] : [],
  );
  const known = skus.length
    ? await query<{ sku: string }>(
        executor,
        sql`select sku from products where active and sku = any(${sql.param(skus)}::text[])`,
      )
    : [];
  const stores = pickups.length
    ? await query<{ id: string }>(
        executor,
        sql`select id from locations where active and 'pickup' = any(capabilities) and id = any(${sql.param(pickups)}::text[])`,
      )
    : [];
  return {
    order,
    lines,
    placements,
    skus: new Set(known.map((k) => k.sku)),
    pickupLocations: new Set(stores.map((s) => s.id)),
  };
}

/** The reserved allocations a change may release, in release order (`releaseLineUnits`). */
export function changeableAllocations(executor: Executor, orderId: string, released: string[]) {
  return reservedAllocations(
    executor,
    orderId,
    sql`and (f.id is null or f.status = 'allocated' or f.id = any(${sql.param(released)}::text[]))`,
  );
}
