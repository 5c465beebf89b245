import { sql } from 'drizzle-orm';
import { readLeaves } from '../catalog/index.ts';
import { queryOne, type Executor } from '../db/index.ts';
import { movementCtes, type Level } from './movements.ts';

interface ShortageInput {
  locationId: string;
  sku: string;
  /** Reserved units the location looked for and did not find. */
  quantity: number;
  orderId: string;
  fulfillmentOrderId: string;
  reason: string;
  actor: string | null;
}

/**
 * Reserved units a location could not find (a short pick) leave its stock: on hand and reserved
 * both fall, so they are neither promised nor routed to again. One statement writes the guarded
 * update, a `shortage` ledger row with the reason, an `inventory.availability_changed` event and
 * an `inventory.shortage_recorded` event naming the order and its fulfillment order. Throws when
 * the level does not hold that many reserved units: the caller's allocation says it does.
 * A bundle has no level of its own: its missing units are its leaf components' (units × the
 * component's units per bundle), each recorded on its own level, in SKU order, naming the bundle.
 */
export async function recordShortage(executor: Executor, input: ShortageInput): Promise<void> {
  const leaves = (await readLeaves(executor, [input.sku])).get(input.sku);
  if (!leaves) {
    await shortLevel(executor, input);
    return;
  }
  for (const leaf of leaves)
    await shortLevel(executor, {
      ...input,
      sku: leaf.sku,
      quantity: input.quantity * leaf.quantity,
      reason: `${input.reason}; bundle ${input.sku}`,
    });
}

async function shortLevel(executor: Executor, input: ShortageInput): Promise<Level> {
  const details = JSON.stringify({
    quantity: input.quantity,
    reason: input.reason,
    order_id: input.orderId,
    fulfillment_order_id: input.fulfillmentOrderId,
    actor: input.actor,
  });
  const level = await queryOne<Level>(
    executor,
    sql`
    with ${movementCtes(
      {
        locationId: input.locationId,
        sku: input.sku,
        kind: 'shortage',
        onHandDelta: -input.quantity,
        reservedDelta: -input.quantity,
        reason: input.reason,
        referenceType: 'fulfillment_order',
        referenceId: input.fulfillmentOrderId,
        actor: input.actor,
      },
      'none',
      {
        events: sql`select 'inventory.shortage_recorded', 'stock_level', location_id || '/' || sku,
                           jsonb_build_object('location_id', location_id, 'sku', sku, 'on_hand', on_hand, 'reserved', reserved)
                           || ${details}::jsonb
                    from moved`,
      },
    )}
    select location_id, sku, on_hand, reserved, safety_stock, greatest(on_hand - reserved - safety_stock, 0) as available
    from moved`,
  );
  if (!level) throw new Error(`${input.locationId}/${input.sku} holds fewer than ${input.quantity} reserved units`);
  return level;
}
