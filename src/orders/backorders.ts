import { sql } from 'drizzle-orm';
import { bundleLeavesSql } from '../catalog/index.ts';
import { inTransaction, query, queryOne, type Db, type Executor } from '../db/index.ts';
import { startIntervalWorker } from '../shared/interval-worker.ts';
import { ok, type Result } from '../shared/result.ts';
import { refreshOrderStatus } from './refresh-status.ts';
import { routeOrder } from './route-order.ts';

/**
 * Orders with units waiting for a location (back-ordered, or awaiting routing after a rejection
 * or short pick) whose SKU now has stock where their channel sells (a line naming its ship-from
 * location: there), oldest order first (FIFO),
 * at most `batch` of them. A bundle has no stock of its own: its line counts as servable where
 * one location holds a whole bundle of its leaf components, and a receipt of any component
 * (`skus`) wakes it. The search starts from the lines that wait (a partial index holds only
 * those), so a tick costs what is waiting, not every order ever placed.
 */
async function waitingOrders(executor: Executor, batch: number, skus?: string[]) {
  const asked = skus ? sql.param(skus) : null;
  return query<{ id: string }>(
    executor,
    sql`with recursive ${bundleLeavesSql(sql`select distinct sku from order_lines where backordered > 0`)},
        waiting as materialized (
          select distinct l.order_id from order_lines l
          where l.backordered > 0
            ${asked ? sql`and (l.sku = any(${asked}::text[]) or l.sku in (select bundle_sku from bundle_leaves where component_sku = any(${asked}::text[])))` : sql``}
            and exists (
              select 1 from orders lo
              join channels c on c.id = lo.channel_id
              join location_group_members m on m.group_id = c.location_group_id
              where lo.id = l.order_id and lo.status <> 'cancelled' and lo.managed
                -- a line naming its ship-from location waits for stock there only
                and (l.ship_from_location_id is null or l.ship_from_location_id = m.location_id)
                and (exists (select 1 from stock_levels s
                             where s.location_id = m.location_id and s.sku = l.sku
                               and s.on_hand - s.reserved - s.safety_stock > 0)
                     or (exists (select 1 from bundle_leaves b where b.bundle_sku = l.sku)
                         and not exists (select 1 from bundle_leaves b
                                         left join stock_levels s on s.sku = b.component_sku and s.location_id = m.location_id
                                         where b.bundle_sku = l.sku
                                           and coalesce(s.on_hand - s.reserved - s.safety_stock, 0) < b.quantity)))
                -- a location that rejected the order's work is never offered it again
                and not exists (select 1 from fulfillment_orders f
                                where f.order_id = l.order_id and f.location_id = m.location_id and f.status = 'rejected')))
        select o.id from waiting w join orders o on o.id = w.order_id
        order by o.placed_at, o.id
        limit ${batch}`,
  );
}

/**
 * Routes back-ordered lines again now that stock has arrived, one order per transaction in
 * order-time order, so the oldest waiting order gets the stock first. Safe with several
 * processes: an order being routed elsewhere is skipped (SKIP LOCKED). Returns how many orders
 * got stock.
 */
export async function rerouteBackorders(db: Db, batch = 100): Promise<number> {
  let routed = 0;
  for (const { id } of await waitingOrders(db, batch)) {
    const result = await inTransaction(db, (tx) => serveWaitingOrder(tx, id));
    if (result.ok && result.value) routed++;
  }
  return routed;
}

/**
 * The same, for the orders waiting for `skus`, in the caller's transaction: a supply received
 * serves the orders waiting for it, oldest first, in the transaction that puts it on hand. An
 * order another transaction is working on is left to the worker.
 */
export async function serveBackorders(executor: Executor, skus: string[], batch = 100): Promise<number> {
  let routed = 0;
  for (const { id } of await waitingOrders(executor, batch, skus)) {
    const result = await serveWaitingOrder(executor, id);
    if (result.ok && result.value) routed++;
  }
  return routed;
}

/** Routes one waiting order's units; whether it placed any. */
async function serveWaitingOrder(executor: Executor, id: string): Promise<Result<boolean>> {
  const locked = await queryOne<{ id: string }>(
    executor,
    sql`select id from orders where id = ${id} for update skip locked`,
  );
  if (!locked) return ok(false);
  const outcome = await routeOrder(executor, id, { cause: 'backorder', actor: 'backorder-worker', onFailure: 'keep' });
  if (!outcome.ok) return outcome;
  await refreshOrderStatus(executor, id, 'backorder-worker');
  return ok(outcome.value !== null && outcome.value.status !== 'rejected' && outcome.value.allocations.length > 0);
}

/** Re-routes waiting back-orders every `intervalMs` until stopped; ticks never overlap. */
export function startBackorderWorker(db: Db, options: { intervalMs: number; onError?: (error: unknown) => void }) {
  return startIntervalWorker(
    options.intervalMs,
    async () => void (await rerouteBackorders(db)),
    (error) => options.onError?.(error),
  );
}
