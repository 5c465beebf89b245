import { call, expectThat, type Sim } from './context.ts';
import { pick, type Intent } from './intent.ts';
import { foLifecycle, moveStock, unitsValue, type Fo, type FoStatus, type Line, type Order } from './model.ts';
import { invoiceUpFront } from './money.ts';
import { readOrder, reconcile } from './observe.ts';
import { predictRouting } from './routing.ts';

type Target = { order: Order; fo: Fo };

/** A fulfillment order in one of `statuses` (or, now and then, any: to see an illegal step refused). */
function target(sim: Sim, intent: Intent, statuses: FoStatus[]): Target | undefined {
  const all = sim.model.orders.flatMap((order) => order.fos.map((fo) => ({ order, fo })));
  const anyStatus = intent.flag && intent.c % 5 === 0;
  return pick(anyStatus ? all : all.filter((t) => statuses.includes(t.fo.status)), intent.a);
}

const unitsOn = (order: Order, fo: Fo) => order.allocations.filter((a) => a.foId === fo.id);

/** What the step's answer must be: a move the lifecycle allows, and no work moves forward while a hold stops work (a routing hold holds only waiting units). */
function expectedAnswer(t: Target, to: FoStatus, extra = true) {
  if (!foLifecycle[t.fo.status].includes(to) || !extra) return ['409 illegal_transition'] as const;
  if (t.order.holds.some((h) => h !== 'routing') && to !== 'rejected') return ['409 illegal_transition'] as const;
  return [200] as const;
}

async function settle(sim: Sim, order: Order, exclude: string[] = []) {
  reconcile(sim, order, await readOrder(sim, order.id), exclude);
}

export async function accept(sim: Sim, intent: Intent) {
  const t = target(sim, intent, ['allocated']);
  if (!t) return null;
  const reply = await call(sim, 'POST', `/v1/fulfillment-orders/${t.fo.id}/accept`, {}, [
    ...expectedAnswer(t, 'accepted'),
  ]);
  if (reply.status !== 200)
    return `accept ${t.fo.id} (${t.fo.status}${t.order.holds.length ? ', on hold' : ''}): refused`;
  t.fo.status = 'accepted';
  await settle(sim, t.order);
  return `accept ${t.fo.id}`;
}

/** The location's units go back to waiting and are routed again without it; it never gets this order again. */
function unplaceAll(sim: Sim, t: Target) {
  for (const a of unitsOn(t.order, t.fo)) {
    const line = t.order.lines.find((l) => l.lineId === a.lineId)!;
    line.allocated -= a.quantity;
    line.waiting += a.quantity;
  }
  t.fo.status = 'rejected';
  t.order.rejectedAt.push(t.fo.locationId);
  return predictRouting(sim.model, t.order, [t.fo.locationId], 'hold');
}

export async function reject(sim: Sim, intent: Intent) {
  const t = target(sim, intent, ['allocated', 'accepted', 'picking']);
  if (!t) return null;
  const reply = await call(sim, 'POST', `/v1/fulfillment-orders/${t.fo.id}/reject`, { reason: 'simulated rejection' }, [
    ...expectedAnswer(t, 'rejected'),
  ]);
  if (reply.status !== 200) return `reject ${t.fo.id} (${t.fo.status}): refused`;
  const placed = unplaceAll(sim, t);
  await settle(sim, t.order, [t.fo.locationId]);
  return `reject ${t.fo.id} → ${placed ? 're-routed' : 'waiting on a routing hold'}`;
}

/** Picking, now and then short: the missing units leave the location's stock and are routed elsewhere. */
export async function pickStep(sim: Sim, intent: Intent) {
  const t = target(sim, intent, ['accepted']);
  if (!t) return null;
  const units = unitsOn(t.order, t.fo);
  const short = intent.flag ? pick(units, intent.b) : undefined;
  const shortages = short ? [{ line_id: short.lineId, quantity: 1 + (intent.c % short.quantity) }] : [];
  const reply = await call(
    sim,
    'POST',
    `/v1/fulfillment-orders/${t.fo.id}/pick`,
    shortages.length ? { shortages } : {},
    [...expectedAnswer(t, 'picking')],
  );
  if (reply.status !== 200) return `pick ${t.fo.id} (${t.fo.status}): refused`;
  const missing = shortages.reduce((n, s) => n + s.quantity, 0);
  const total = units.reduce((n, a) => n + a.quantity, 0);
  for (const s of shortages) {
    const line = t.order.lines.find((l) => l.lineId === s.line_id)!;
    moveStock(sim.model, t.fo.locationId, line.sku, -s.quantity, 0);
    if (missing < total) {
      line.allocated -= s.quantity;
      line.waiting += s.quantity;
    }
  }
  if (missing > 0 && missing === total) {
    unplaceAll(sim, t);
    await settle(sim, t.order, [t.fo.locationId]);
    return `pick ${t.fo.id}: nothing found → rejected`;
  }
  t.fo.status = 'picking';
  const placed = missing > 0 ? predictRouting(sim.model, t.order, [t.fo.locationId], 'hold') : true;
  await settle(sim, t.order, [t.fo.locationId]);
  return `pick ${t.fo.id}${missing ? ` short ${missing} → ${placed ? 're-routed' : 'waiting'}` : ''}`;
}

export async function pack(sim: Sim, intent: Intent) {
  const t = target(sim, intent, ['picking']);
  if (!t) return null;
  const reply = await call(sim, 'POST', `/v1/fulfillment-orders/${t.fo.id}/pack`, {}, [...expectedAnswer(t, 'packed')]);
  if (reply.status !== 200) return `pack ${t.fo.id} (${t.fo.status}): refused`;
  t.fo.status = 'packed';
  await settle(sim, t.order);
  return `pack ${t.fo.id}`;
}

/**
 * Units handed over move from allocated to shipped (and to delivered at a pickup counter), and
 * what they are worth is charged: their values in shipping order, shipping with the first
 * charge, captured up to what is still authorized; what is not is due on the invoice and puts
 * the order on a payment hold.
 */
function handOver(order: Order, lines: { lineId: string; quantity: number }[], delivered: boolean) {
  // Money captured up front is invoiced first, for the units it paid for; those are not charged again.
  invoiceUpFront(order);
  let due = 0;
  const charged: { line: Line; units: number }[] = [];
  for (const { lineId, quantity } of lines) {
    const line = order.lines.find((l) => l.lineId === lineId)!;
    const billed = Math.min(quantity, Math.max(0, line.invoiced - line.shipped));
    due += unitsValue(line, line.shipped + billed, quantity - billed);
    charged.push({ line, units: quantity - billed });
    line.allocated -= quantity;
    line.shipped += quantity;
    if (delivered) line.delivered += quantity;
  }
  const charge = due + (order.money.shippingCaptured ? 0 : order.money.shippingMinor);
  if (charge === 0) return;
  for (const { line, units } of charged) line.invoiced += units;
  const capturable = order.money.authorizedMinor - order.money.capturedMinor - order.money.voidedMinor;
  const captured = Math.min(charge, Math.max(0, capturable));
  order.money.capturedMinor += captured;
  order.money.shippingCaptured = true;
  if (captured < charge) {
    // Invoiced all the same, with the rest due, and the order waits on a payment hold.
    order.money.uncollectedMinor += charge - captured;
    if (!order.holds.includes('payment')) order.holds.push('payment');
  }
}

const perLine = (order: Order, fo: Fo) => {
  const sums = new Map<string, number>();
  for (const a of unitsOn(order, fo)) sums.set(a.lineId, (sums.get(a.lineId) ?? 0) + a.quantity);
  return [...sums].map(([lineId, quantity]) => ({ lineId, quantity }));
};

export async function ship(sim: Sim, intent: Intent) {
  const t = target(sim, intent, ['packed']);
  if (!t) return null;
  const all = perLine(t.order, t.fo);
  const partial = intent.flag && all.reduce((n, l) => n + l.quantity, 0) > 1;
  const lines = partial ? [{ lineId: pick(all, intent.b)!.lineId, quantity: 1 }] : all;
  const legal = t.fo.method === 'ship';
  const reply = await call(
    sim,
    'POST',
    `/v1/fulfillment-orders/${t.fo.id}/ship`,
    {
      carrier: 'ups',
      tracking_number: `1ZSIM${sim.serial++}`,
      ...(partial ? { lines: lines.map((l) => ({ line_id: l.lineId, quantity: l.quantity })) } : {}),
    },
    [...expectedAnswer(t, 'shipped', legal)],
  );
  if (reply.status !== 200) return `ship ${t.fo.id} (${t.fo.status}, ${t.fo.method}): refused`;
  handOver(t.order, lines, false);
  if (!partial || all.reduce((n, l) => n + l.quantity, 0) === 1) t.fo.status = 'shipped';
  expectThat(reply.body.shipment_id, `ship ${t.fo.id}: no shipment id`);
  await settle(sim, t.order);
  return `ship ${t.fo.id}${partial ? ' (1 unit)' : ''}`;
}

export async function readyForPickup(sim: Sim, intent: Intent) {
  const t = target(sim, intent, ['packed']);
  if (!t) return null;
  const reply = await call(sim, 'POST', `/v1/fulfillment-orders/${t.fo.id}/ready-for-pickup`, {}, [
    ...expectedAnswer(t, 'ready_for_pickup', t.fo.method !== 'ship'),
  ]);
  if (reply.status !== 200) return `ready for pickup ${t.fo.id} (${t.fo.status}, ${t.fo.method}): refused`;
  t.fo.status = 'ready_for_pickup';
  t.fo.pickupCode = reply.body.pickup_code;
  await settle(sim, t.order);
  return `ready for pickup ${t.fo.id}`;
}

export async function pickedUp(sim: Sim, intent: Intent) {
  const t = target(sim, intent, ['ready_for_pickup']);
  if (!t) return null;
  const code = t.fo.pickupCode ?? '000000';
  const reply = await call(sim, 'POST', `/v1/fulfillment-orders/${t.fo.id}/picked-up`, { pickup_code: code }, [
    ...expectedAnswer(t, 'picked_up'),
  ]);
  if (reply.status !== 200) return `picked up ${t.fo.id} (${t.fo.status}): refused`;
  handOver(t.order, perLine(t.order, t.fo), true);
  t.fo.status = 'picked_up';
  await settle(sim, t.order);
  return `picked up ${t.fo.id}`;
}

/** A carrier's delivered event: the shipment's units are delivered, and its work once every shipment of it is. */
export async function deliver(sim: Sim, intent: Intent) {
  const found = pick(
    sim.model.orders.flatMap((order) => order.shipments.filter((s) => !s.delivered).map((s) => ({ order, s }))),
    intent.a,
  );
  if (!found) return null;
  const { order, s } = found;
  await call(
    sim,
    'POST',
    `/v1/shipments/${s.id}/tracking-events`,
    { events: [{ status: 'delivered', occurred_at: new Date().toISOString() }] },
    [201],
  );
  s.delivered = true;
  for (const l of s.lines) order.lines.find((x) => x.lineId === l.lineId)!.delivered += l.quantity;
  const fo = order.fos.find((f) => f.id === s.foId)!;
  if (fo.status === 'shipped' && order.shipments.filter((x) => x.foId === fo.id).every((x) => x.delivered))
    fo.status = 'delivered';
  await settle(sim, order);
  return `deliver ${s.id} of ${order.id} → ${order.status}`;
}
