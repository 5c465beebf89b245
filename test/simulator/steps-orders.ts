import { runDueSubscriptions } from '../../src/subscriptions/index.ts';
import { call, expectEqual, expectThat, nextId, type Sim } from './context.ts';
import { pick, type Intent } from './intent.ts';
import {
  available,
  level,
  orderById,
  stockedProducts,
  routingOutcome,
  unitsOf,
  type CartHold,
  type HoldKind,
  type Line,
  type Order,
  type Product,
} from './model.ts';
import { cancelledValue, refundCancelled } from './money.ts';
import { readOrder, reconcile, voidedIn } from './observe.ts';
import { cancellableUnits, predictRouting } from './routing.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- API bodies are read field by field */

export const usd = (amount: number) => ({ amount, currency: 'USD' });
export const address = {
  name: 'Sam Doe',
  line1: '350 5th Ave',
  city: 'New York',
  region: 'NY',
  postal_code: '10118',
  country: 'US',
  latitude: 40.7484,
  longitude: -73.9857,
};

export interface OrderSpec {
  lines: { product: Product; quantity: number; reservationId?: string; shipFrom?: string }[];
  method: 'ship' | 'pickup';
  pickupLocationId: string | null;
  discountMinor: number;
  taxMinor: number;
  shippingMinor: number;
  /** Less than the total: the order waits on a payment hold. */
  underAuthorizedBy: number;
}

/** Chooses an order from an intent: 1–2 distinct products, 1–3 units each, sometimes a discount, tax or a short authorization. */
export function specFor(sim: Sim, intent: Intent, method: 'ship' | 'pickup'): OrderSpec {
  const products = sim.model.products;
  const first = products[intent.a % products.length]!;
  const second = products[(intent.a + 1 + (intent.b % (products.length - 1))) % products.length]!;
  const chosen = intent.b % 3 === 0 ? [first, second] : [first];
  const subtotal = chosen.reduce((n, p, i) => n + p.priceMinor * (1 + ((intent.c + i) % 3)), 0);
  return {
    lines: chosen.map((product, i) => ({ product, quantity: 1 + ((intent.c + i) % 3) })),
    method,
    pickupLocationId: method === 'pickup' ? (intent.flag ? sim.world.storeA : sim.world.storeB) : null,
    discountMinor: intent.a % 4 === 1 ? Math.min(subtotal - 1, 333 + (intent.c % 5)) : 0,
    taxMinor: intent.b % 2 === 1 ? 101 + (intent.a % 7) * 13 : 0,
    shippingMinor: method === 'ship' ? 599 : 0,
    underAuthorizedBy: intent.a % 13 === 5 ? 300 : 0,
  };
}

/** The `POST /v1/orders` body of a spec, for the web channel (or `channel`). */
export function bodyFor(sim: Sim, spec: OrderSpec, externalId: string, channel = sim.world.channelId) {
  const subtotal = spec.lines.reduce((n, l) => n + l.product.priceMinor * l.quantity, 0);
  const total = subtotal - spec.discountMinor + spec.shippingMinor + spec.taxMinor;
  return {
    channel,
    external_id: externalId,
    customer: { email: `${externalId.toLowerCase()}@example.com`, name: `Customer ${externalId}` },
    lines: spec.lines.map((l, i) => ({
      line_id: `L${i + 1}`,
      sku: l.product.sku,
      quantity: l.quantity,
      unit_price: usd(l.product.priceMinor),
      ...(l.reservationId ? { reservation_id: l.reservationId } : {}),
      ...(l.shipFrom ? { ship_from_location_id: l.shipFrom } : {}),
    })),
    delivery_method: spec.method,
    ...(spec.method === 'ship' ? { shipping_address: address } : { pickup_location_id: spec.pickupLocationId }),
    shipping: usd(spec.shippingMinor),
    ...(spec.discountMinor > 0 ? { discounts: [{ code: 'SIM', amount: usd(spec.discountMinor) }] } : {}),
    ...(spec.taxMinor > 0 ? { taxes: [{ name: 'Sales tax', amount: usd(spec.taxMinor) }] } : {}),
    total: usd(total),
    payments: [
      {
        kind: 'authorization',
        amount: usd(total - spec.underAuthorizedBy),
        gateway: 'test',
        reference: `auth_${externalId}`,
      },
    ],
  };
}

/** A new order in the model, before routing: every unit waits. */
export function modelOrder(
  id: string,
  externalId: string,
  view: any,
  origin: Order['origin'],
  linkedTo: string | null,
): Order {
  const lines: Line[] = view.lines.map((l: any) => ({
    lineId: l.line_id,
    sku: l.sku,
    quantity: l.quantity,
    priceMinor: l.unit_price.amount,
    discountMinor: l.discount.amount,
    taxMinor: l.tax.amount,
    allocated: 0,
    waiting: l.quantity,
    cancelled: 0,
    shipped: 0,
    delivered: 0,
    returnRequested: 0,
    returned: 0,
    refunded: 0,
    invoiced: 0,
    credits: [],
    origin: null,
    shipFrom: l.ship_from_location_id ?? null,
  }));
  const authorized = view.payments
    .filter((p: any) => p.kind === 'authorization' && p.status === 'succeeded')
    .reduce((n: number, p: any) => n + p.amount.amount, 0);
  return {
    id,
    externalId,
    origin,
    managed: true,
    imported: null,
    linkedTo,
    method: view.delivery_method,
    pickupLocationId: view.pickup_location_id,
    status: 'created',
    lines,
    allocations: [],
    fos: [],
    shipments: [],
    holds: authorized < view.total.amount ? ['payment'] : [],
    rejectedAt: [],
    money: {
      totalMinor: view.total.amount,
      shippingMinor: view.shipping.amount,
      authorizedMinor: authorized,
      capturedMinor: 0,
      voidedMinor: 0,
      refundedMinor: 0,
      shippingCaptured: false,
      uncollectedMinor: 0,
      shippingRefundedMinor: 0,
      shortMinor: Math.max(0, view.total.amount - authorized),
      upFrontMinor: 0,
      cancelRefundedMinor: 0,
      changeRefundedMinor: 0,
      upFrontUninvoicedMinor: 0,
    },
  };
}

/** Takes a new order into the model: its lines' shares of discount and tax must add up to the order's. */
export function adoptNewOrder(sim: Sim, view: any, origin: Order['origin'], linkedTo: string | null): Order {
  const order = modelOrder(view.id, view.external_id, view, origin, linkedTo);
  const sum = (pick: (l: Line) => number) => order.lines.reduce((n, l) => n + pick(l), 0);
  expectEqual(
    sum((l) => l.discountMinor),
    view.discount.amount,
    `order ${view.id}: line discounts`,
  );
  expectEqual(
    sum((l) => l.taxMinor),
    view.tax.amount,
    `order ${view.id}: line taxes`,
  );
  sim.model.orders.push(order);
  return order;
}

/**
 * About one ship order in four names the location one of its lines ships from (a seller, a
 * vendor, a store sale): a location of the channel's group — or, now and then, the store outside
 * it, which capture must refuse (`422 ship_from_unusable`). Only a line sharing no SKU (nor kit
 * component) with the order's other line is named, so the model's placeability stays exact.
 */
export function withShipFrom(sim: Sim, spec: OrderSpec, intent: Intent): OrderSpec {
  if (spec.method !== 'ship' || intent.c % 4 !== 3) return spec;
  const index = intent.a % spec.lines.length;
  const other = spec.lines[1 - index];
  const skus = (p: Product) => unitsOf(sim.model, p.sku).map((c) => c.sku);
  if (other && skus(spec.lines[index]!.product).some((sku) => skus(other.product).includes(sku))) return spec;
  const { dc, storeA, storeB, outside } = sim.world;
  const named = spec.lines[index]!;
  // Mostly a location holding the line (else it waits or is refused), sometimes any.
  const holding = [dc, storeA, storeB].filter((id) => available(sim.model, id, named.product.sku) >= named.quantity);
  const any = [dc, storeA, storeB, storeA, dc, storeB, outside][(intent.a + intent.b) % 7]!;
  const location = holding.length > 0 && intent.b % 3 !== 0 ? holding[intent.a % holding.length]! : any;
  return { ...spec, lines: spec.lines.map((l, i) => (i === index ? { ...l, shipFrom: location } : l)) };
}

/** A line names a location outside the channel's group: capture refuses the order. */
export const unusableShipFrom = (sim: Sim, spec: OrderSpec) =>
  spec.lines.some((l) => l.shipFrom && !sim.model.locations.find((loc) => loc.id === l.shipFrom)?.inGroup);

/** Places an order, expecting it placed exactly when the model says its units can be routed. */
async function placeSpec(sim: Sim, spec: OrderSpec, holds: CartHold[] = []): Promise<string> {
  const externalId = nextId(sim, 'order');
  const body = bodyFor(sim, spec, externalId);
  if (unusableShipFrom(sim, spec)) {
    await call(sim, 'POST', '/v1/orders', body, ['422 ship_from_unusable']);
    return `${describe(spec)} → refused: ship-from location outside the channel's group`;
  }
  const draft = modelOrder('draft', externalId, draftView(body), 'order', null);
  // Cart holds become the order's allocations first; routing places the rest.
  for (const hold of holds) for (const l of hold.lines) level(sim.model, l.locationId, l.sku).reserved -= l.quantity;
  const converted = convertHolds(sim, draft, holds, +1);
  const outcome = routingOutcome(sim.model, draft, []);
  convertHolds(sim, draft, holds, -1);
  const placed = await call(sim, 'POST', '/v1/orders', body, outcome.placeable ? [201] : ['409 insufficient_stock']);
  if (placed.status !== 201) {
    for (const hold of holds) for (const l of hold.lines) level(sim.model, l.locationId, l.sku).reserved += l.quantity;
    return `${describe(spec)} → refused: insufficient stock`;
  }
  for (const hold of holds) hold.status = 'committed';
  const order = adoptNewOrder(sim, placed.body, 'order', null);
  for (const line of order.lines) {
    const held = converted.get(line.lineId) ?? 0;
    const after = outcome.waitingAfter.get(line.lineId) ?? line.quantity - held;
    line.allocated = line.quantity - after;
    line.waiting = after;
  }
  reconcile(sim, order, placed.body);
  return `${describe(spec)} → ${order.id} ${order.status}`;
}

/** Moves held units into (sign +1) or out of (−1) the draft's allocated bucket and the model's reserved stock. */
function convertHolds(sim: Sim, draft: Order, holds: CartHold[], sign: 1 | -1): Map<string, number> {
  const converted = new Map<string, number>();
  for (const hold of holds)
    for (const held of hold.lines) {
      const line = draft.lines.find((l) => l.sku === held.sku)!;
      const take = Math.min(held.quantity, line.quantity - (converted.get(line.lineId) ?? 0));
      converted.set(line.lineId, (converted.get(line.lineId) ?? 0) + take);
      line.waiting -= sign * take;
      level(sim.model, held.locationId, held.sku).reserved += sign * take;
    }
  return converted;
}

export function draftView(body: ReturnType<typeof bodyFor>) {
  return {
    delivery_method: body.delivery_method,
    pickup_location_id: 'pickup_location_id' in body ? body.pickup_location_id : null,
    lines: body.lines.map((l) => ({ ...l, discount: usd(0), tax: usd(0) })),
    payments: body.payments.map((p) => ({ ...p, status: 'succeeded' })),
    total: body.total,
    shipping: body.shipping,
  };
}

export const describe = (spec: OrderSpec) =>
  `${spec.method}${spec.pickupLocationId ? '@store' : ''} ${spec.lines.map((l) => `${l.quantity}×${l.product.sku.split('-').at(-1)}${l.shipFrom ? `@${l.shipFrom}` : ''}`).join('+')}${spec.underAuthorizedBy ? ' under-authorized' : ''}`;

export async function placeShipOrder(sim: Sim, intent: Intent) {
  const spec = withShipFrom(sim, specFor(sim, intent, 'ship'), intent);
  // Counted apart in the simulator's report ("place-from"): orders naming a line's location.
  const named = spec.lines.some((l) => l.shipFrom);
  return `${named ? 'place-from' : 'place'} ${await placeSpec(sim, spec)}`;
}

export async function placePickupOrder(sim: Sim, intent: Intent) {
  return `place ${await placeSpec(sim, specFor(sim, intent, 'pickup'))}`;
}

/**
 * A cart hold: held across the channel's locations when they have it, refused otherwise. Given
 * `at` (one of the group's locations), held there or refused: the storefront's usual call, which
 * goes through the group-committed one-statement path.
 */
async function holdCart(sim: Sim, product: Product, quantity: number, at?: string): Promise<CartHold | null> {
  const stock = sim.model.locations
    .filter((l) => l.inGroup && (at === undefined || l.id === at))
    .reduce((n, l) => n + Math.max(0, available(sim.model, l.id, product.sku)), 0);
  const held = await call(
    sim,
    'POST',
    '/v1/reservations',
    {
      lines: [{ sku: product.sku, quantity, ...(at === undefined ? {} : { location_id: at }) }],
      channel: sim.world.channelId,
      expires_in_seconds: 3600,
      reference: nextId(sim, 'cart'),
    },
    // A kit is held as its components (docs/bundles.md): a hold of the kit itself is refused.
    product.components ? ['422 bundle_not_stocked'] : stock >= quantity ? [201] : ['409 insufficient_stock'],
  );
  if (held.status !== 201) return null;
  expectEqual(held.body.channel_id, sim.world.channelId, `hold ${held.body.id}: channel`);
  const hold: CartHold = {
    id: held.body.id,
    status: 'held',
    lines: held.body.lines.map((l: any) => ({ sku: l.sku, locationId: l.location_id, quantity: l.quantity })),
  };
  expectEqual(
    hold.lines.reduce((n, l) => n + l.quantity, 0),
    quantity,
    `hold ${hold.id}: units held`,
  );
  for (const l of hold.lines) {
    const loc = sim.model.locations.find((x) => x.id === l.locationId);
    expectThat(loc?.inGroup, `hold ${hold.id}: held at ${l.locationId}, outside the channel's group`);
    level(sim.model, l.locationId, l.sku).reserved += l.quantity;
  }
  sim.model.holds.push(hold);
  return hold;
}

export async function cartHold(sim: Sim, intent: Intent) {
  const product = pick(sim.model.products, intent.a)!;
  const group = sim.model.locations.filter((l) => l.inGroup);
  const at = intent.flag ? pick(group, intent.b)?.id : undefined;
  const hold = await holdCart(sim, product, 1 + (intent.c % 3), at);
  return hold
    ? `cart hold ${hold.id}: ${hold.lines.map((l) => `${l.quantity}@${l.locationId}`).join(', ')}`
    : 'cart hold refused';
}

export async function placeWithCartHold(sim: Sim, intent: Intent) {
  const spec = specFor(sim, { ...intent, b: 1 }, 'ship');
  const line = spec.lines[0]!;
  const hold = await holdCart(sim, line.product, Math.max(1, line.quantity + ((intent.b % 3) - 1)));
  if (!hold) return 'place with cart hold: the hold was refused';
  line.reservationId = hold.id;
  return `place with ${hold.id}: ${await placeSpec(sim, spec, [hold])}`;
}

export async function releaseCartHold(sim: Sim, intent: Intent) {
  const hold = pick(
    sim.model.holds.filter((h) => h.status === 'held'),
    intent.a,
  );
  if (!hold) return null;
  await call(sim, 'DELETE', `/v1/reservations/${hold.id}`, undefined, [200]);
  hold.status = 'released';
  for (const l of hold.lines) level(sim.model, l.locationId, l.sku).reserved -= l.quantity;
  return `release cart hold ${hold.id}`;
}

const open = (o: Order) => o.status !== 'cancelled' && o.status !== 'delivered';

/**
 * An action Consign takes on its own orders (`cancel`, `hold`, `changes`), asked of an order
 * imported as it was: refused with `409 order_unmanaged`, the order left exactly as imported
 * (ADR 0047).
 */
export async function refuseUnmanaged(sim: Sim, order: Order, action: string, body: unknown) {
  await call(sim, 'POST', `/v1/orders/${order.id}/${action}`, body, ['409 order_unmanaged']);
  reconcile(sim, order, await readOrder(sim, order.id));
  return `unmanaged ${order.id} (${order.status}): ${action} refused`;
}

/** Cancels everything cancellable (flag) or some units of one line; refused when there is nothing to cancel. */
export async function cancel(sim: Sim, intent: Intent) {
  const order = pick(sim.model.orders.filter(open), intent.a);
  if (!order) return null;
  if (!order.managed) return refuseUnmanaged(sim, order, 'cancel', { reason: 'simulated cancellation' });
  const candidates = order.lines.filter((l) => cancellableUnits(order, l.lineId) > 0);
  const line = pick(candidates, intent.b);
  const whole = intent.flag || !line;
  const requested =
    whole || !line ? [] : [{ line_id: line.lineId, quantity: 1 + (intent.c % cancellableUnits(order, line.lineId)) }];
  const plan = whole
    ? order.lines.map((l) => ({ line: l, quantity: cancellableUnits(order, l.lineId) })).filter((p) => p.quantity > 0)
    : requested.map((r) => ({ line: line!, quantity: r.quantity }));
  const reply = await call(
    sim,
    'POST',
    `/v1/orders/${order.id}/cancel`,
    { reason: 'simulated cancellation', ...(whole ? {} : { lines: requested }) },
    plan.length > 0 ? [200] : ['409 illegal_transition'],
  );
  if (reply.status !== 200) return `cancel ${order.id}: nothing cancellable (${order.status})`;
  const refunded = applyCancellation(sim, order, plan, reply.body);
  const units = plan.map((p) => `${p.quantity}×${p.line.lineId}`).join('+');
  return `cancel${refunded > 0 ? '+refund' : ''} ${order.id} ${units}${refunded > 0 ? ` (refunded ${refunded})` : ''} → ${order.status}`;
}

/**
 * What a cancellation of `plan` did, as the model expects it, checked against the order `view`
 * after it: the units leave their buckets, emptied work ends, a routing hold with nothing waiting
 * ends, and money captured up front pays back what the voids did not release. The refund.
 */
export function applyCancellation(sim: Sim, order: Order, plan: { line: Line; quantity: number }[], view: any): number {
  const value = cancelledValue(plan);
  for (const { line: l, quantity } of plan) {
    const fromWaiting = Math.min(quantity, l.waiting);
    l.waiting -= fromWaiting;
    l.allocated -= quantity - fromWaiting;
    l.cancelled += quantity;
  }
  const refunded = refundCancelled(order, value, voidedIn(view) - order.money.voidedMinor);
  // Work left empty ends; with nothing waiting a routing hold ends too, and work starts for the rest.
  for (const fo of order.fos)
    if (
      (fo.status === 'allocated' || fo.status === 'accepted') &&
      !view.allocations.some((a: any) => a.status === 'reserved' && a.fulfillment_order_id === fo.id)
    )
      fo.status = 'cancelled';
  if (order.lines.every((l) => l.waiting === 0)) order.holds = order.holds.filter((h) => h !== 'routing');
  reconcile(sim, order, view);
  return refunded;
}

const holdable = (o: Order) => !['shipped', 'partially_delivered', 'delivered', 'cancelled'].includes(o.status);

export async function hold(sim: Sim, intent: Intent) {
  const order = pick(sim.model.orders.filter(open), intent.a);
  if (!order) return null;
  const kinds: HoldKind[] = ['manual', 'fraud', 'review', 'payment'];
  const kind = kinds[intent.b % kinds.length]!;
  if (!order.managed) return refuseUnmanaged(sim, order, 'hold', { kind, reason: 'simulated hold' });
  const reply = await call(
    sim,
    'POST',
    `/v1/orders/${order.id}/hold`,
    { kind, reason: 'simulated hold' },
    holdable(order) ? [200] : ['409 illegal_transition'],
  );
  if (reply.status !== 200) return `hold ${order.id}: refused (${order.status})`;
  order.holds.push(kind);
  reconcile(sim, order, reply.body);
  return `hold ${order.id} (${kind}) → ${order.status}`;
}

/** Releases every hold: waiting units are routed at once (back on a routing hold if nothing can take them). */
export async function releaseHold(sim: Sim, intent: Intent) {
  const order = pick(
    sim.model.orders.filter((o) => o.holds.length > 0),
    intent.a,
  );
  if (!order) return null;
  const reply = await call(sim, 'POST', `/v1/orders/${order.id}/release-hold`, {}, [200]);
  order.holds = [];
  predictRouting(sim.model, order, [], 'hold');
  reconcile(sim, order, reply.body);
  return `release holds of ${order.id} → ${order.status}${order.holds.length ? ' (routing hold again)' : ''}`;
}

/** One period of a subscription with a single period: ordered through the order pipeline when stock allows, failed otherwise. */
export async function subscriptionPeriod(sim: Sim, intent: Intent) {
  const products = stockedProducts(sim.model);
  const product = products[intent.a % products.length]!;
  const quantity = 1 + (intent.c % 2);
  let shipping = 499;
  // The test gateway declines authorizations whose cents are 02 or 51.
  while ([2, 51].includes((product.priceMinor * quantity + shipping) % 100)) shipping += 1;
  const draft = modelOrder(
    'draft',
    'draft',
    {
      delivery_method: 'ship',
      pickup_location_id: null,
      lines: [
        {
          line_id: '1',
          sku: product.sku,
          quantity,
          unit_price: usd(product.priceMinor),
          discount: usd(0),
          tax: usd(0),
        },
      ],
      payments: [],
      total: usd(0),
      shipping: usd(shipping),
    },
    'subscription',
    null,
  );
  const placeable = routingOutcome(sim.model, draft, []).placeable;
  const created = await call(
    sim,
    'POST',
    '/v1/subscriptions',
    {
      channel: sim.world.channelId,
      customer: { email: `${nextId(sim, 'sub').toLowerCase()}@example.com`, name: 'Subscriber' },
      lines: [{ sku: product.sku, quantity, unit_price: usd(product.priceMinor) }],
      shipping_address: address,
      shipping: usd(shipping),
      schedule: { rrule: 'FREQ=DAILY;COUNT=1' },
      starts_at: new Date(Date.now() - 1000).toISOString(),
      payment: { gateway: 'test', payment_method: 'pm_simulated' },
      retry: { max_attempts: 1, backoff_seconds: 60 },
    },
    [201],
  );
  await runDueSubscriptions(sim.db, { now: new Date() });
  const subscription = (await call(sim, 'GET', `/v1/subscriptions/${created.body.id}`, undefined, [200])).body;
  const ordered = JSON.stringify(subscription).match(/"order_id":"(ord_[0-9a-z]+)"/)?.[1];
  expectThat(
    Boolean(ordered) === placeable,
    () =>
      `subscription ${created.body.id}: expected ${placeable ? 'an order' : 'no order'}: ${JSON.stringify(subscription)}`,
  );
  if (!ordered) return `subscription period ${created.body.id}: failed for stock`;
  const view = await readOrder(sim, ordered);
  const order = adoptNewOrder(sim, view, 'subscription', null);
  const outcome = routingOutcome(sim.model, order, []);
  for (const line of order.lines) {
    line.waiting = outcome.waitingAfter.get(line.lineId) ?? 0;
    line.allocated = line.quantity - line.waiting;
  }
  reconcile(sim, order, view);
  return `subscription period ${created.body.id} → ${order.id} ${order.status}`;
}

export const ordersOf = (sim: Sim, ids: string[]) => ids.map((id) => orderById(sim.model, id));
