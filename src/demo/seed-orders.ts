import type { Tx } from '../db/index.ts';
import { pickFulfillmentOrder, shipFulfillmentOrder, simpleStep } from '../fulfillment/index.ts';
import { requestHash } from '../http/idempotency.ts';
import { cancelOrder, placeOrder, type OrderView } from '../orders/index.ts';
import { ProblemError } from '../shared/problem.ts';
import { ok, type Result } from '../shared/result.ts';
import { ownEvents, recordTrackingEvents } from '../tracking/index.ts';
import { demoOrderInput, planDemoOrders, type DemoOrderPlan } from './orders.ts';
import { demoProducts } from './products.ts';

const ACTOR = 'demo';
const HOUR_MS = 3_600_000;
const steps = { actor: ACTOR, locationIds: null };

interface DemoOrdersProgress {
  done: number;
  total: number;
}

const at = (plan: DemoOrderPlan, hours: number) => new Date(plan.placedAtMs + hours * HOUR_MS).toISOString();

/** Ships one fulfillment order: accept, pick, pack, then one parcel or two (its first line first). */
async function shipFulfillment(
  tx: Tx,
  plan: DemoOrderPlan,
  fo: OrderView['fulfillment_orders'][number],
  fate: Extract<DemoOrderPlan['fate'], { kind: 'shipped' }>,
): Promise<Result<{ id: string; hours: number }[]>> {
  for (const step of [
    () => simpleStep(tx, fo.id, 'accepted', steps),
    () => pickFulfillmentOrder(tx, fo.id, [], steps),
    () => simpleStep(tx, fo.id, 'packed', steps),
  ]) {
    const done = await step();
    if (!done.ok) return done;
  }
  const lineIds = [...new Set(fo.lines.map((l) => l.line_id))];
  const parcels =
    fate.secondParcelHours !== null && lineIds.length > 1
      ? [
          { hours: fate.shipHours, lines: fo.lines.filter((l) => l.line_id === lineIds[0]) },
          { hours: fate.shipHours + fate.secondParcelHours, lines: undefined },
        ]
      : [{ hours: fate.shipHours, lines: undefined }];
  const shipments: { id: string; hours: number }[] = [];
  for (const [i, parcel] of parcels.entries()) {
    const shipped = await shipFulfillmentOrder(
      tx,
      fo.id,
      {
        carrier: 'ups',
        service: 'ground',
        tracking_number: `1ZHP${String(plan.number).padStart(6, '0')}${fo.location_id.slice(-3).toUpperCase()}${i}`,
        lines: parcel.lines?.map((l) => ({ line_id: l.line_id, quantity: l.quantity })),
        shipped_at: at(plan, parcel.hours),
      },
      steps,
    );
    if (!shipped.ok) return shipped;
    shipments.push({ id: shipped.value.shipmentId, hours: parcel.hours });
  }
  return ok(shipments);
}

/** What happened to the order after it was placed, through the same use cases as the API. */
async function playFate(tx: Tx, plan: DemoOrderPlan, order: OrderView): Promise<Result<unknown>> {
  const fate = plan.fate;
  if (fate.kind === 'cancelled')
    return cancelOrder(tx, order.id, { reason: 'customer changed their mind', actor: ACTOR });
  if (fate.kind === 'open' || order.on_hold) return ok(null);
  for (const fo of order.fulfillment_orders.filter((f) => f.status === 'allocated')) {
    const shipments = await shipFulfillment(tx, plan, fo, fate);
    if (!shipments.ok) return shipments;
    if (fate.deliverHours === null) continue;
    for (const shipment of shipments.value) {
      const delivered = await recordTrackingEvents(tx, shipment.id, {
        source: 'api',
        actor: ACTOR,
        events: ownEvents({
          events: [{ status: 'delivered', occurred_at: at(plan, shipment.hours + fate.deliverHours) }],
        }),
      });
      if (!delivered.ok) return delivered;
    }
  }
  return ok(null);
}

/** One order and its history in a savepoint: an order the demo stock cannot take is left out whole. */
async function seedOrder(tx: Tx, plan: DemoOrderPlan): Promise<boolean> {
  const input = demoOrderInput(plan);
  try {
    await tx.transaction(async (savepoint) => {
      const placed = await placeOrder(savepoint, input, {
        requestHash: requestHash('POST', '/v1/orders', input),
        actor: ACTOR,
        channelOfKey: null,
        live: true,
      });
      if (!placed.ok) throw new ProblemError(placed.problem);
      const played = await playFate(savepoint, plan, placed.value.order);
      if (!played.ok) throw new ProblemError(played.problem);
    });
    return true;
  } catch (error) {
    if (error instanceof ProblemError) return false;
    throw error;
  }
}

/**
 * The demo's order history over the last 30 days on both channels, so the dashboards and the
 * customer 360 have something to show on first start. Returns how many orders went in.
 */
export async function seedDemoOrders(
  tx: Tx,
  nowMs: number,
  report: (progress: DemoOrdersProgress) => void = () => {},
): Promise<number> {
  const plans = planDemoOrders(nowMs, demoProducts);
  let placed = 0;
  for (const [i, plan] of plans.entries()) {
    if (await seedOrder(tx, plan)) placed += 1;
    report({ done: i + 1, total: plans.length });
  }
  return placed;
}
