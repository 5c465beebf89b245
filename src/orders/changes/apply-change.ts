import { sql } from 'drizzle-orm';
import { queryOne, type Executor } from '../../db/index.ts';
import { problem } from '../../shared/problem.ts';
import { fail, ok, type Result } from '../../shared/result.ts';
import { adjustOrderTax, type TaxAdjustment } from '../../tax/index.ts';
import { cancelEmptyFulfillmentOrders, releaseLineUnits } from '../cancel-order.ts';
import { destinationOf } from '../destination.ts';
import { releaseRoutingHold, startFulfillmentIfFree, waitingUnits } from '../fulfillment-start.ts';
import { refreshOrderStatus } from '../refresh-status.ts';
import { routeOrder } from '../route-order.ts';
import { changeableAllocations, type OrderHead } from './load-change.ts';
import type { ChangePlan, PlannedLine } from './plan-change.ts';

/**
 * Writes a planned change: the order's new head and totals with its version bumped by
 * compare-and-set, new and changed lines, cancelled units (their stock released), units to
 * route again, then routes what waits — only what the change touched — refreshes the
 * order's status and quotes its tax again (the difference is an adjustment; a preview, with no
 * change ID, only estimates it). Returns the order's new version and the tax difference.
 * Called under the order's row lock.
 */
export async function applyChange(
  executor: Executor,
  order: OrderHead,
  plan: ChangePlan,
  options: { changeId: string | null; actor: string; released: string[] },
): Promise<Result<{ version: number; tax: TaxAdjustment | null }>> {
  await keepVersion(executor, order.id, order.version, null, 0, null);
  const head = await writeHead(executor, order, plan);
  if (!head)
    return fail(problem('version_conflict', `Order ${order.id} changed; read it again.`, { current_version: null }));
  for (const line of plan.lines.filter((l) => l.is_new)) await insertLine(executor, order.id, line);
  for (const line of plan.lines.filter((l) => !l.is_new && (l.grown > 0 || l.money_changed)))
    await rewriteLine(executor, order.id, line);
  const allocations = await changeableAllocations(executor, order.id, options.released);
  const reason = options.changeId ? `order change ${options.changeId}` : 'order change';
  for (const line of plan.lines.filter((l) => !l.is_new && l.cancel > 0)) {
    const now = await queryOne<{ backordered: number }>(
      executor,
      sql`select backordered from order_lines where order_id = ${order.id} and line_id = ${line.line_id}`,
    );
    await releaseLineUnits(
      executor,
      order.id,
      { line_id: line.line_id, backordered: now!.backordered },
      allocations,
      line.cancel,
      { into: 'cancelled', reason, actor: options.actor },
    );
  }
  if (plan.reroute) {
    for (const line of plan.lines.filter((l) => !l.is_new)) {
      const open = allocations.filter((a) => a.line_id === line.line_id).reduce((n, a) => n + a.quantity, 0);
      if (open > 0)
        await releaseLineUnits(executor, order.id, { line_id: line.line_id, backordered: 0 }, allocations, open, {
          into: 'backordered',
          reason: `${reason}: new destination`,
          actor: options.actor,
        });
    }
  }
  await cancelEmptyFulfillmentOrders(executor, order.id, options.actor, options.released);
  if ((await waitingUnits(executor, order.id)) > 0) {
    const routed = await routeOrder(executor, order.id, { cause: 'reroute', actor: options.actor, onFailure: 'hold' });
    if (!routed.ok) return routed;
  } else {
    await releaseRoutingHold(executor, order.id, options.actor, 'the waiting units were changed');
    await startFulfillmentIfFree(executor, order.id, options.actor);
  }
  await refreshOrderStatus(executor, order.id, options.actor);
  const version = await queryOne<{ version: number }>(executor, sql`select version from orders where id = ${order.id}`);
  const tax = await adjustOrderTax(executor, order.id, {
    description: `order change ${options.changeId ?? 'preview'} (version ${version!.version})`,
    reason: 'PriceAdjusted',
    estimate: options.changeId === null,
  });
  if (!tax.ok) return tax;
  await keepVersion(executor, order.id, version!.version, options.changeId, plan.deltaMinor, options.actor);
  return ok({ version: version!.version, tax: tax.value });
}

/** Keeps the totals of the order's current version (once: a version's totals never change). */
async function keepVersion(
  executor: Executor,
  orderId: string,
  version: number,
  changeId: string | null,
  deltaMinor: number,
  actor: string | null,
): Promise<void> {
  await executor.execute(sql`
    insert into order_versions (order_id, version, change_id, currency, subtotal_minor, discount_minor, shipping_minor, tax_minor, total_minor, delta_minor, created_by, created_at)
    select id, ${version}, ${changeId}, currency, subtotal_minor, discount_minor, shipping_minor, tax_minor, total_minor, ${deltaMinor}, ${actor},
           case when ${changeId}::text is null then placed_at else now() end
    from orders where id = ${orderId} and version = ${version}
    on conflict (order_id, version) do nothing`);
}

/** The order's head and totals, and its version bumped by compare-and-set. */
async function writeHead(executor: Executor, order: OrderHead, plan: ChangePlan) {
  const t = plan.after;
  const address = plan.shippingAddress;
  const destination = address ? await destinationOf(executor, address) : null;
  const method = plan.deliveryMethod;
  return queryOne<{ version: number }>(
    executor,
    sql`update orders set
          subtotal_minor = ${t.subtotalMinor}, discount_minor = ${t.discountMinor}, shipping_minor = ${t.shippingMinor},
          tax_minor = ${t.taxMinor}, total_minor = ${t.totalMinor},
          ${
            address
              ? sql`shipping_address = ${JSON.stringify(address)}::jsonb, destination_latitude = ${destination?.latitude ?? null},
                    destination_longitude = ${destination?.longitude ?? null},`
              : sql``
          }
          ${method ? sql`delivery_method = ${method.delivery_method}, pickup_location_id = ${method.pickup_location_id},` : sql``}
          version = version + 1, updated_at = now()
        where id = ${order.id} and version = ${order.version}
        returning version`,
  );
}

async function insertLine(executor: Executor, orderId: string, line: PlannedLine): Promise<void> {
  await executor.execute(sql`
    insert into order_lines (order_id, line_id, line_no, sku, name, unit_price_minor, discount_minor, tax_minor, quantity, backordered, cancelled)
    values (${orderId}, ${line.line_id}, ${line.line_no}, ${line.sku},
            coalesce(${line.name}::text, (select name from products where sku = ${line.sku})),
            ${line.unit_price_minor}, ${line.discount_minor}, ${line.tax_minor}, ${line.quantity}, ${line.backordered}, ${line.cancelled})`);
}

/** A line's new quantity (grown units wait for routing) and money. */
async function rewriteLine(executor: Executor, orderId: string, line: PlannedLine): Promise<void> {
  await executor.execute(sql`
    update order_lines set quantity = quantity + ${line.grown}, backordered = backordered + ${line.grown},
           unit_price_minor = ${line.unit_price_minor}, discount_minor = ${line.discount_minor}, tax_minor = ${line.tax_minor}
    where order_id = ${orderId} and line_id = ${line.line_id}`);
}
