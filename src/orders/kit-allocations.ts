import { sql } from 'drizzle-orm';
import { query, queryOne, type Executor } from '../db/index.ts';
import { applyMovement } from '../inventory/index.ts';

/**
 * A split kit's allocation group (see `kit-parts.ts`) as its units move: its parts are released
 * or shipped together as far as the line is concerned, which counts the group's bundles once.
 */

export interface KitPart {
  id: number;
  order_id: string;
  line_id: string;
  sku: string;
  location_id: string;
  quantity: number;
  kit_group: string;
  components: { sku: string; quantity: number }[];
}

/** The group's reserved parts at every location, in lock order. */
export async function reservedKitParts(executor: Executor, kitGroup: string): Promise<KitPart[]> {
  return query<KitPart>(
    executor,
    sql`select id, order_id, line_id, sku, location_id, quantity, kit_group, components from order_allocations
        where kit_group = ${kitGroup} and status = 'reserved' order by location_id, id`,
  );
}

/** Gives a part's reserved components back to available stock at its location (ledger `release`, naming the bundle). */
export async function releaseKitPartStock(
  executor: Executor,
  part: KitPart,
  quantity: number,
  reason: string,
  actor: string | null,
): Promise<void> {
  const level = await applyMovement(
    executor,
    {
      locationId: part.location_id,
      sku: part.sku,
      components: part.components,
      kind: 'release',
      onHandDelta: 0,
      reservedDelta: -quantity,
      reason: `${reason}; line ${part.line_id}, split kit`,
      referenceType: 'order',
      referenceId: part.order_id,
      actor,
    },
    'none',
  );
  if (!level) throw new Error(`cannot release ${quantity} of ${part.sku}'s part at ${part.location_id}`);
}

/**
 * `quantity` bundles of a group leave every one of its reserved parts (`status`: released or
 * shipped for the parts that are all of it; the rest keep the remainder).
 */
async function shrinkKit(executor: Executor, kitGroup: string, quantity: number, status: 'released'): Promise<void> {
  await executor.execute(sql`
    update order_allocations
    set status = case when quantity = ${quantity} then ${status} else status end,
        quantity = case when quantity = ${quantity} then quantity else quantity - ${quantity} end
    where kit_group = ${kitGroup} and status = 'reserved'`);
}

/**
 * Releases a whole split kit: every part's stock at its location, and the group's bundles move
 * on the line from allocated to waiting for a location (routing places them next), or to
 * cancelled. `except`: a part whose stock the caller has moved itself (a short pick).
 */
export async function releaseKit(
  executor: Executor,
  kitGroup: string,
  quantity: number,
  options: { reason: string; actor: string | null; into: 'backordered' | 'cancelled'; except?: number },
): Promise<void> {
  const first = await releaseKitUnits(executor, kitGroup, quantity, options);
  await executor.execute(sql`
    update order_lines set allocated = allocated - ${quantity},
      ${options.into === 'cancelled' ? sql`cancelled = cancelled + ${quantity}` : sql`backordered = backordered + ${quantity}`}
    where order_id = ${first.order_id} and line_id = ${first.line_id}`);
}

/**
 * Releases `quantity` bundles of a split kit from every reserved part, each part's stock at its
 * location, leaving the line's buckets to the caller. Returns a part (for its order and line).
 */
export async function releaseKitUnits(
  executor: Executor,
  kitGroup: string,
  quantity: number,
  options: { reason: string; actor: string | null; except?: number },
): Promise<KitPart> {
  const parts = await reservedKitParts(executor, kitGroup);
  const first = parts[0];
  if (!first) throw new Error(`kit ${kitGroup} has no reserved part`);
  for (const part of parts)
    if (part.id !== options.except) await releaseKitPartStock(executor, part, quantity, options.reason, options.actor);
  await shrinkKit(executor, kitGroup, quantity, 'released');
  return first;
}

/**
 * A part left in a shipment: it is `shipped`. Returns true when that was the group's last
 * reserved part: the kit is complete, and the caller moves the line's bundles to shipped.
 */
export async function shipKitPart(executor: Executor, part: KitPart, shipmentId: string): Promise<boolean> {
  // Two locations shipping the kit's last parts at once: the second waits and sees the first's.
  await executor.execute(
    sql`select id from order_allocations where kit_group = ${part.kit_group} order by id for update`,
  );
  const row = await queryOne<{ completes: boolean }>(
    executor,
    sql`update order_allocations set status = 'shipped', shipment_id = ${shipmentId},
               completes_kit = not exists (select 1 from order_allocations o
                                           where o.kit_group = ${part.kit_group} and o.status = 'reserved' and o.id <> ${part.id})
        where id = ${part.id} returning completes_kit as completes`,
  );
  return row!.completes;
}
