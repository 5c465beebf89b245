import { createHash, randomInt } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { queryOne, toIso, type Executor } from '../db/index.ts';
import { applyMovement } from '../inventory/index.ts';
import {
  holdForPayment,
  refreshOrderStatus,
  shipAllocationUnits,
  shipKitPart,
  shipLineUnits,
} from '../orders/index.ts';
import { captureShipment } from '../payments/index.ts';
import { beyondClockSkew } from '../shared/clock.ts';
import { newId } from '../shared/ids.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { isKitPart, reservedAllocations, type AllocationRow } from './allocations.ts';
import { actionable, announce, type StepContext } from './steps.ts';
import { transitionFulfillment, type FulfillmentOrderRow } from '../orders/index.ts';

interface ShipInput {
  carrier: string;
  service?: string | undefined;
  tracking_number?: string | undefined;
  packages?: unknown[] | undefined;
  /** Which lines and how many; omitted = everything still open on this fulfillment order. */
  lines?: { line_id: string; quantity: number }[] | undefined;
  /** When the parcel left, for shipments recorded after the fact; omitted = now. */
  shipped_at?: string | undefined;
}

/** A shipment time given by the caller lies between the order's placement and now. */
async function checkShippedAt(
  executor: Executor,
  orderId: string,
  shippedAt: string | undefined,
): Promise<Result<null>> {
  if (shippedAt === undefined) return ok(null);
  const order = await queryOne<{ placed_at: string }>(
    executor,
    sql`select placed_at from orders where id = ${orderId}`,
  );
  const at = Date.parse(shippedAt);
  const placed = Date.parse(toIso(order?.placed_at)!);
  if (!beyondClockSkew(shippedAt) && at >= placed) return ok(null);
  return fail(
    problem('validation_failed', 'shipped_at must lie between the order being placed and now.', {
      errors: [{ pointer: '/shipped_at', message: `between ${new Date(placed).toISOString()} and now` }],
    }),
  );
}

type Picked = { allocation: AllocationRow; quantity: number }[];

/** Matches the requested line quantities to reserved allocations; errors name the line. */
function pickAllocations(
  allocations: AllocationRow[],
  requested: { line_id: string; quantity: number }[] | undefined,
): Result<Picked> {
  if (!requested) return ok(allocations.map((allocation) => ({ allocation, quantity: allocation.quantity })));
  const picked: Picked = [];
  for (const [i, line] of requested.entries()) {
    let left = line.quantity;
    const open = allocations.filter((a) => a.line_id === line.line_id);
    const available = open.reduce((n, a) => n + a.quantity, 0);
    if (left > available) {
      return fail(
        problem('validation_failed', `Line ${line.line_id} has ${available} units open here, not ${line.quantity}.`, {
          errors: [{ pointer: `/lines/${i}/quantity`, message: `at most ${available}` }],
        }),
      );
    }
    for (const allocation of open) {
      const take = Math.min(left, allocation.quantity);
      if (take > 0 && take < allocation.quantity && allocation.kit_group !== null)
        return fail(
          problem('validation_failed', `Line ${line.line_id}'s split kit ships whole: ${allocation.quantity} here.`, {
            errors: [
              { pointer: `/lines/${i}/quantity`, message: `a split kit's part of ${allocation.quantity} ships whole` },
            ],
          }),
        );
      if (take > 0) picked.push({ allocation, quantity: take });
      left -= take;
    }
  }
  return ok(picked);
}

/**
 * Hands units over (to a carrier, or to the customer at pickup): commits their reservation —
 * on_hand and reserved both fall, a `ship` ledger row each — and moves them to the line's
 * shipped bucket. Returns the shipment ID.
 */
async function commitUnits(
  executor: Executor,
  fo: FulfillmentOrderRow,
  picked: Picked,
  input: ShipInput,
  actor: string,
  delivered: boolean,
): Promise<string> {
  const shipmentId = newId('shp');
  await executor.execute(sql`
    insert into shipments (id, order_id, fulfillment_order_id, location_id, carrier, service, tracking_number, status, packages, delivered_at, shipped_at)
    values (${shipmentId}, ${fo.order_id}, ${fo.id}, ${fo.location_id}, ${input.carrier}, ${input.service ?? null}, ${input.tracking_number ?? null},
            ${delivered ? 'delivered' : 'label_created'}, ${input.packages ? JSON.stringify(input.packages) : null}::jsonb, ${delivered ? sql`now()` : null},
            coalesce(${input.shipped_at ?? null}::timestamptz, now()))`);
  const perLine = new Map<string, { sku: string; quantity: number }>();
  for (const { allocation, quantity } of picked) {
    const level = await applyMovement(
      executor,
      {
        locationId: allocation.location_id,
        sku: allocation.sku,
        components: allocation.components,
        kind: 'ship',
        onHandDelta: -quantity,
        reservedDelta: -quantity,
        reason: isKitPart(allocation) ? `line ${allocation.line_id}, split kit` : null,
        referenceType: 'shipment',
        referenceId: shipmentId,
        actor,
      },
      'none',
    );
    if (!level) throw new Error(`cannot commit ${quantity} of ${allocation.sku} at ${allocation.location_id}`);
    // A split kit's line counts its bundles shipped once its last part ships.
    if (isKitPart(allocation)) {
      if (!(await shipKitPart(executor, allocation, shipmentId))) continue;
    } else await shipAllocationUnits(executor, allocation, quantity);
    const entry = perLine.get(allocation.line_id) ?? { sku: allocation.sku, quantity: 0 };
    entry.quantity += quantity;
    perLine.set(allocation.line_id, entry);
  }
  for (const [lineId, { sku, quantity }] of perLine) {
    await executor.execute(sql`
      insert into shipment_lines (shipment_id, order_id, line_id, sku, quantity) values (${shipmentId}, ${fo.order_id}, ${lineId}, ${sku}, ${quantity})`);
    await shipLineUnits(executor, { orderId: fo.order_id, lineId }, quantity, delivered);
  }
  return shipmentId;
}

/** Captures what the shipment is worth; what could not be captured puts the order on a payment hold. */
async function captureAndHold(executor: Executor, orderId: string, shipmentId: string, actor: string | null) {
  const captured = await captureShipment(executor, shipmentId, actor);
  if (captured.hold_reason) await holdForPayment(executor, orderId, captured.hold_reason, actor);
}

export async function shipFulfillmentOrder(
  executor: Executor,
  id: string,
  input: ShipInput,
  context: StepContext,
): Promise<Result<{ fulfillmentOrder: FulfillmentOrderRow; shipmentId: string }>> {
  const found = await actionable(executor, id, context, 'shipped');
  if (!found.ok) return found;
  const fo = found.value;
  if (fo.status !== 'packed') {
    return fail(
      problem('illegal_transition', `Fulfillment order ${id} is ${fo.status}; pack it before shipping.`, {
        from: fo.status,
        to: 'shipped',
      }),
    );
  }
  if (fo.delivery_method !== 'ship')
    return fail(
      problem('illegal_transition', `Fulfillment order ${id} is for ${fo.delivery_method}; use ready-for-pickup.`),
    );
  const when = await checkShippedAt(executor, fo.order_id, input.shipped_at);
  if (!when.ok) return when;
  const allocations = await reservedAllocations(executor, id);
  const picked = pickAllocations(allocations, input.lines);
  if (!picked.ok) return picked;
  const shipmentId = await commitUnits(executor, fo, picked.value, input, context.actor, false);
  const rest = allocations.reduce((n, a) => n + a.quantity, 0) - picked.value.reduce((n, p) => n + p.quantity, 0);
  const current = rest === 0 ? await transitionFulfillment(executor, fo, 'shipped') : ok(fo);
  if (!current.ok) return current;
  await announce(
    executor,
    current.value,
    rest === 0 ? 'fulfillment_order.shipped' : 'fulfillment_order.partially_shipped',
    context.actor,
    {
      shipment_id: shipmentId,
      carrier: input.carrier,
      tracking_number: input.tracking_number ?? null,
      remaining_units: rest,
    },
  );
  await captureAndHold(executor, fo.order_id, shipmentId, context.actor);
  await refreshOrderStatus(executor, fo.order_id, context.actor);
  return ok({ fulfillmentOrder: current.value, shipmentId });
}

const hashCode = (code: string) => createHash('sha256').update(code).digest('hex');

/**
 * Ready for pickup: issues a 6-digit pickup code, stored hashed. The code goes to the associate
 * in the response and to the storefront in the `ready_for_pickup` event (to notify the customer);
 * the order timeline leaves it out.
 */
export async function readyForPickup(
  executor: Executor,
  id: string,
  context: StepContext,
): Promise<Result<{ fulfillmentOrder: FulfillmentOrderRow; pickupCode: string }>> {
  const found = await actionable(executor, id, context, 'ready_for_pickup');
  if (!found.ok) return found;
  if (found.value.delivery_method === 'ship')
    return fail(problem('illegal_transition', `Fulfillment order ${id} ships; it is not for pickup.`));
  const moved = await transitionFulfillment(executor, found.value, 'ready_for_pickup');
  if (!moved.ok) return moved;
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  await executor.execute(sql`
    insert into fulfillment_order_details (fulfillment_order_id, pickup_code_hash) values (${id}, ${hashCode(code)})
    on conflict (fulfillment_order_id) do update set pickup_code_hash = ${hashCode(code)}`);
  await announce(executor, moved.value, 'fulfillment_order.ready_for_pickup', context.actor, {
    pickup_code: code,
    notify: 'customer',
  });
  return ok({ fulfillmentOrder: moved.value, pickupCode: code });
}

/** Curbside: the customer has arrived at the store. */
export async function customerArrived(
  executor: Executor,
  id: string,
  context: StepContext,
): Promise<Result<FulfillmentOrderRow>> {
  const found = await actionable(executor, id, context, null);
  if (!found.ok) return found;
  if (found.value.delivery_method !== 'curbside' || found.value.status !== 'ready_for_pickup') {
    return fail(
      problem('illegal_transition', `Fulfillment order ${id} is not a curbside order waiting for its customer.`),
    );
  }
  await executor.execute(
    sql`update fulfillment_order_details set arrived_at = now() where fulfillment_order_id = ${id}`,
  );
  await announce(executor, found.value, 'fulfillment_order.customer_arrived', context.actor);
  return ok(found.value);
}

/** Hand-over at the store: needs the pickup code; the units count as shipped and delivered. */
export async function pickedUp(
  executor: Executor,
  id: string,
  code: string,
  context: StepContext,
): Promise<Result<FulfillmentOrderRow>> {
  const found = await actionable(executor, id, context, 'picked_up');
  if (!found.ok) return found;
  const details = await queryOne<{ pickup_code_hash: string | null }>(
    executor,
    sql`select pickup_code_hash from fulfillment_order_details where fulfillment_order_id = ${id}`,
  );
  if (found.value.status === 'ready_for_pickup' && details?.pickup_code_hash !== hashCode(code)) {
    return fail(
      problem(
        'forbidden',
        'The pickup code does not match; ask the customer for the code from their ready-for-pickup message.',
      ),
    );
  }
  const moved = await transitionFulfillment(executor, found.value, 'picked_up');
  if (!moved.ok) return moved;
  const picked = pickAllocations(await reservedAllocations(executor, id), undefined);
  if (!picked.ok) return picked;
  const shipmentId = await commitUnits(executor, moved.value, picked.value, { carrier: 'pickup' }, context.actor, true);
  await executor.execute(
    sql`update fulfillment_order_details set handed_over_at = now() where fulfillment_order_id = ${id}`,
  );
  await announce(executor, moved.value, 'fulfillment_order.picked_up', context.actor, { shipment_id: shipmentId });
  await captureAndHold(executor, moved.value.order_id, shipmentId, context.actor);
  await refreshOrderStatus(executor, moved.value.order_id, context.actor);
  return moved;
}
