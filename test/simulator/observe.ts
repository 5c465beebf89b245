import { call, expectEqual, expectThat, type Sim } from './context.ts';
import {
  eligibleLocations,
  expectedStatus,
  moveStock,
  openUnits,
  orderById,
  remainingDue,
  type Allocation,
  type Fo,
  type Order,
  type Shipment,
} from './model.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- the order view is read field by field */

/** The order as `GET /v1/orders/{id}` shows it. */
export async function readOrder(sim: Sim, id: string): Promise<any> {
  return (await call(sim, 'GET', `/v1/orders/${id}`, undefined, [200])).body;
}

function moneyOf(view: any) {
  const sum = (kind: string) =>
    view.payments
      .filter((p: any) => p.kind === kind && p.status === 'succeeded')
      .reduce((n: number, p: any) => n + p.amount.amount, 0);
  const unsettled = view.payments.filter((p: any) => p.status !== 'succeeded' && p.status !== 'failed');
  expectThat(unsettled.length === 0, () => `order ${view.id}: unsettled payments ${JSON.stringify(unsettled)}`);
  return {
    authorized: sum('authorization'),
    captured: sum('capture'),
    voided: sum('void'),
    refunded: sum('refund'),
  };
}

/** What the order's voids released so far, as the API shows it. */
export const voidedIn = (view: any): number => moneyOf(view).voided;

function allocationsOf(view: any): Allocation[] {
  return view.allocations
    .filter((a: any) => a.status === 'reserved')
    .map((a: any) => ({
      lineId: a.line_id,
      sku: a.sku,
      locationId: a.location_id,
      quantity: a.quantity,
      foId: a.fulfillment_order_id,
    }));
}

const reservedAt = (allocations: Allocation[]) => {
  const sums = new Map<string, number>();
  for (const a of allocations)
    sums.set(`${a.locationId}|${a.sku}`, (sums.get(`${a.locationId}|${a.sku}`) ?? 0) + a.quantity);
  return sums;
};

/**
 * Compares what the API shows of an order with what the model expects — status, every line's
 * buckets, holds, fulfillment statuses, captures and refunds — then takes over what routing
 * chose (allocations, new fulfillment orders, shipments) after checking it was allowed: new
 * units only at locations eligible for the order (`exclude` left out). Stock reserved for the
 * order moves in the model by exactly what its allocations moved; shipped units leave on hand.
 */
export function reconcile(sim: Sim, order: Order, view: any, exclude: string[] = []): void {
  const where = `order ${order.id} (${order.externalId})`;
  for (const line of order.lines) {
    const seen = view.lines.find((l: any) => l.line_id === line.lineId);
    expectThat(seen, `${where}: line ${line.lineId} missing`);
    const q = seen.quantities;
    expectEqual(
      [q.allocated, q.backordered, q.cancelled, q.shipped, q.delivered, q.return_requested, q.returned, q.refunded],
      [
        line.allocated,
        line.waiting,
        line.cancelled,
        line.shipped,
        line.delivered,
        line.returnRequested,
        line.returned,
        line.refunded,
      ],
      `${where} line ${line.lineId} buckets [allocated, waiting, cancelled, shipped, delivered, return_requested, returned, refunded]`,
    );
  }
  const holds = [...new Set(view.holds.filter((h: any) => h.released_at === null).map((h: any) => h.kind))].sort();
  expectEqual(holds, [...new Set(order.holds)].sort(), `${where} active holds`);
  // An imported order keeps the status its record gave: Consign never derives it (ADR 0047).
  const status = order.managed ? expectedStatus(order) : order.status;
  expectEqual(view.status, status, `${where} status`);
  expectEqual(view.managed, order.managed, `${where} managed`);

  adoptAllocations(sim, order, allocationsOf(view), exclude);
  adoptFulfillment(order, view);
  adoptShipments(sim, order, view);
  checkMoney(order, view);
  order.status = status;
}

function adoptAllocations(sim: Sim, order: Order, next: Allocation[], exclude: string[]) {
  const where = `order ${order.id}`;
  for (const line of order.lines) {
    const reserved = next.filter((a) => a.lineId === line.lineId).reduce((n, a) => n + a.quantity, 0);
    expectEqual(reserved, line.allocated, `${where} line ${line.lineId}: units in reserved allocations`);
    if (line.shipFrom === null) continue;
    for (const a of next.filter((x) => x.lineId === line.lineId))
      expectEqual(
        a.locationId,
        line.shipFrom,
        `${where} line ${line.lineId}: allocated away from its ship-from location`,
      );
  }
  const before = reservedAt(order.allocations);
  const after = reservedAt(next);
  const eligible = new Set(eligibleLocations(sim.model, order, exclude).map((l) => l.id));
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const delta = (after.get(key) ?? 0) - (before.get(key) ?? 0);
    if (delta === 0) continue;
    const [locationId, sku] = key.split('|') as [string, string];
    if (delta > 0)
      expectThat(eligible.has(locationId), `${where}: ${delta} × ${sku} placed at ${locationId}, not eligible for it`);
    moveStock(sim.model, locationId, sku, 0, delta);
  }
  order.allocations = next;
}

function adoptFulfillment(order: Order, view: any) {
  const fos: Fo[] = view.fulfillment_orders.map((f: any) => {
    const known = order.fos.find((k) => k.id === f.id);
    if (known) expectEqual(f.status, known.status, `order ${order.id} fulfillment order ${f.id} status`);
    else expectEqual(f.status, 'allocated', `order ${order.id} new fulfillment order ${f.id} status`);
    return {
      id: f.id,
      locationId: f.location_id,
      method: f.delivery_method,
      status: f.status,
      pickupCode: known?.pickupCode ?? null,
    };
  });
  for (const known of order.fos)
    expectThat(
      fos.some((f) => f.id === known.id),
      `order ${order.id}: fulfillment order ${known.id} vanished`,
    );
  for (const a of order.allocations) {
    const fo = fos.find((f) => f.id === a.foId);
    if (order.holds.every((h) => h === 'routing'))
      expectThat(
        fo,
        () => `order ${order.id}: ${a.quantity} × ${a.sku} reserved with no fulfillment work while not on hold`,
      );
    if (fo) {
      expectEqual(fo.locationId, a.locationId, `order ${order.id}: allocation and its fulfillment order location`);
      expectThat(
        ['allocated', 'accepted', 'picking', 'packed', 'ready_for_pickup'].includes(fo.status),
        () => `order ${order.id}: units reserved on a ${fo.status} fulfillment order ${fo.id}`,
      );
    }
  }
  order.fos = fos;
}

function adoptShipments(sim: Sim, order: Order, view: any) {
  const shipments: Shipment[] = view.shipments.map((s: any) => ({
    id: s.id,
    foId: s.fulfillment_order_id,
    locationId: s.location_id,
    delivered: s.status === 'delivered',
    lines: s.lines.map((l: any) => ({ lineId: l.line_id, quantity: l.quantity })),
  }));
  for (const s of shipments) {
    if (order.shipments.some((k) => k.id === s.id)) continue;
    for (const l of s.lines) {
      const line = order.lines.find((x) => x.lineId === l.lineId)!;
      if (line.shipFrom !== null)
        expectEqual(
          s.locationId,
          line.shipFrom,
          `order ${order.id} line ${line.lineId}: shipped away from its ship-from location`,
        );
      moveStock(sim.model, s.locationId, line.sku, -l.quantity, 0);
    }
  }
  order.shipments = shipments;
}

/**
 * Money: captures and refunds as the model expects; authorizations are neither lost nor
 * created (authorized = captured + voided + still open); what stays authorized covers the
 * units still to ship when the order was authorized in full (an order placed short stays short
 * by the same amount), and nothing stays authorized once nothing is left to ship.
 */
function checkMoney(order: Order, view: any) {
  const where = `order ${order.id} money`;
  const seen = moneyOf(view);
  expectEqual(seen.captured, order.money.capturedMinor, `${where}: captured`);
  expectEqual(seen.refunded, order.money.refundedMinor, `${where}: refunded`);
  expectEqual(seen.authorized, order.money.authorizedMinor, `${where}: authorized`);
  const open = seen.authorized - seen.captured - seen.voided;
  expectThat(
    open >= 0,
    `${where}: more captured and voided (${seen.captured} + ${seen.voided}) than authorized (${seen.authorized})`,
  );
  expectThat(seen.refunded <= seen.captured, `${where}: refunded ${seen.refunded} more than captured ${seen.captured}`);
  const stillOpen = order.lines.reduce((n, l) => n + openUnits(l), 0);
  if (stillOpen === 0) expectEqual(open, 0, `${where}: authorization left open with nothing left to ship`);
  else if (order.money.shortMinor === 0 && order.money.upFrontMinor === 0)
    expectThat(
      open >= remainingDue(order),
      () => `${where}: ${open} left authorized, less than the ${remainingDue(order)} still to ship`,
    );
  order.money.voidedMinor = seen.voided;
}

/** Reads the orders a step touched and reconciles each. */
export async function reconcileOrders(sim: Sim, ids: Iterable<string>, exclude: Record<string, string[]> = {}) {
  for (const id of new Set(ids)) reconcile(sim, orderById(sim.model, id), await readOrder(sim, id), exclude[id] ?? []);
}
