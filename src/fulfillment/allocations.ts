import { sql } from 'drizzle-orm';
import { query, type Executor } from '../db/index.ts';
import { applyMovement, recordShortage } from '../inventory/index.ts';
import { releaseKit, releaseKitPartStock, unplaceUnits, type KitPart } from '../orders/index.ts';

export interface AllocationRow {
  id: number;
  order_id: string;
  line_id: string;
  sku: string;
  location_id: string;
  quantity: number;
  /** A split kit's part (both null otherwise): see `order_allocations.kit_group`. */
  kit_group: string | null;
  components: { sku: string; quantity: number }[] | null;
}

/** The reserved (not yet shipped) allocations of a fulfillment order, in lock order. */
export async function reservedAllocations(executor: Executor, fulfillmentOrderId: string): Promise<AllocationRow[]> {
  return query<AllocationRow>(
    executor,
    sql`select id, order_id, line_id, sku, location_id, quantity, kit_group, components from order_allocations
        where fulfillment_order_id = ${fulfillmentOrderId} and status = 'reserved'
        order by sku, location_id, id`,
  );
}

/**
 * Gives `quantity` units of an allocation back to available stock (ledger `release`) and moves
 * them on the order line from allocated to waiting for a location (routing places them next).
 * The allocation keeps any rest.
 */
export async function releaseAllocation(
  executor: Executor,
  allocation: AllocationRow,
  quantity: number,
  reason: string,
  actor: string | null,
): Promise<void> {
  if (isKitPart(allocation)) {
    await releaseKit(executor, allocation.kit_group, allocation.quantity, { reason, actor, into: 'backordered' });
    return;
  }
  const level = await applyMovement(
    executor,
    {
      locationId: allocation.location_id,
      sku: allocation.sku,
      kind: 'release',
      onHandDelta: 0,
      reservedDelta: -quantity,
      reason,
      referenceType: 'order',
      referenceId: allocation.order_id,
      actor,
    },
    'none',
  );
  if (!level) throw new Error(`cannot release ${quantity} of ${allocation.sku} at ${allocation.location_id}`);
  await unplaceUnits(executor, allocation, quantity);
}

/**
 * Units of an allocation the location could not find: they leave its stock (`recordShortage`:
 * on hand and reserved fall, with a ledger row and an event) and wait for a location again.
 */
export async function shortAllocation(
  executor: Executor,
  allocation: AllocationRow,
  quantity: number,
  fulfillmentOrderId: string,
  actor: string | null,
): Promise<void> {
  if (isKitPart(allocation)) return shortKitPart(executor, allocation, quantity, fulfillmentOrderId, actor);
  await recordShortage(executor, {
    locationId: allocation.location_id,
    sku: allocation.sku,
    quantity,
    orderId: allocation.order_id,
    fulfillmentOrderId,
    reason: `short pick: ${quantity} not found for order ${allocation.order_id}`,
    actor,
  });
  await unplaceUnits(executor, allocation, quantity);
}

export const isKitPart = (a: AllocationRow): a is AllocationRow & KitPart => a.kit_group !== null;

/**
 * A split kit's part short at picking: its components' missing units leave this location's
 * stock, the rest of them here is released, and so is every other location's part: the whole
 * kit waits for a location again.
 */
async function shortKitPart(
  executor: Executor,
  part: KitPart,
  quantity: number,
  fulfillmentOrderId: string,
  actor: string | null,
): Promise<void> {
  const reason = `short pick: ${quantity} not found for order ${part.order_id}; bundle ${part.sku} line ${part.line_id}, split kit`;
  for (const component of part.components)
    await recordShortage(executor, {
      locationId: part.location_id,
      sku: component.sku,
      quantity: quantity * component.quantity,
      orderId: part.order_id,
      fulfillmentOrderId,
      reason,
      actor,
    });
  if (quantity < part.quantity)
    await releaseKitPartStock(executor, part, part.quantity - quantity, 'short pick', actor);
  await releaseKit(executor, part.kit_group, part.quantity, {
    reason: 'short pick elsewhere',
    actor,
    into: 'backordered',
    except: part.id,
  });
}
