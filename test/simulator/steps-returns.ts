import { call, expectEqual, expectThat, nextId, type Sim } from './context.ts';
import { pick, type Intent } from './intent.ts';
import {
  available,
  creditParts,
  eligibleLocations,
  moveStock,
  orderById,
  reshippedUnits,
  settledUnits,
  unitsValue,
  type Line,
  type Order,
  type Part,
  type Return,
} from './model.ts';
import { readOrder, reconcile } from './observe.ts';
import { adoptNewOrder } from './steps-orders.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- API bodies are read field by field */

const usd = (amount: number) => ({ amount, currency: 'USD' });
const returnable = (l: Line) => l.delivered - l.returned - l.returnRequested;

function returnTarget(sim: Sim, intent: Intent) {
  const order = pick(
    sim.model.orders.filter((o) => o.lines.some((l) => returnable(l) > 0)),
    intent.a,
  );
  if (!order) return undefined;
  const line = pick(
    order.lines.filter((l) => returnable(l) > 0),
    intent.b,
  )!;
  return { order, line, quantity: 1 + (intent.c % returnable(line)) };
}

/** Whether a replacement order of `sku` × `quantity` can be reserved in full now (it is only promised from stock). */
function reservable(sim: Sim, original: Order, sku: string, quantity: number) {
  const stock = eligibleLocations(sim.model, { ...original, rejectedAt: [] }, []).reduce(
    (n, l) => n + Math.max(0, available(sim.model, l.id, sku)),
    0,
  );
  return stock >= quantity;
}

async function createReturn(sim: Sim, order: Order, lines: any[], extra: Record<string, unknown> = {}) {
  return call(
    sim,
    'POST',
    '/v1/returns',
    {
      order_id: order.id,
      method: 'mail_in',
      location_id: sim.world.storeA,
      carrier: 'ups',
      tracking_number: nextId(sim, 'rma'),
      lines,
      ...extra,
    },
    [201],
  );
}

function modelReturn(sim: Sim, view: any, order: Order, exchange: Return['lines'][number]['exchange']) {
  const ret: Return = {
    id: view.id,
    orderId: order.id,
    status: 'initiated',
    exchangeOrderId: null,
    lines: view.lines.map((l: any) => ({
      lineId: l.line_id,
      sku: l.sku,
      quantity: l.quantity,
      received: 0,
      restocked: 0,
      refunded: 0,
      exchange,
    })),
  };
  for (const l of ret.lines) order.lines.find((x) => x.lineId === l.lineId)!.returnRequested += l.quantity;
  sim.model.returns.push(ret);
  expectEqual(view.status, 'initiated', `return ${ret.id} status`);
  return ret;
}

export async function startReturn(sim: Sim, intent: Intent) {
  const t = returnTarget(sim, intent);
  if (!t) return null;
  const reply = await createReturn(sim, t.order, [
    { line_id: t.line.lineId, quantity: t.quantity, reason: intent.flag ? 'damaged' : 'changed_mind' },
  ]);
  const ret = modelReturn(sim, reply.body, t.order, null);
  reconcile(sim, t.order, await readOrder(sim, t.order.id));
  return `return ${t.quantity} × ${t.line.lineId} of ${t.order.id} → ${ret.id}`;
}

/** An exchange: even (the same product), dearer (paid on the linked order) or cheaper (the difference refunded). */
export async function startExchange(sim: Sim, intent: Intent) {
  const t = returnTarget(sim, intent);
  if (!t) return null;
  const choices = sim.model.products.filter((p) => p.sku !== t.line.sku);
  const target = intent.flag ? sim.model.products.find((p) => p.sku === t.line.sku)! : pick(choices, intent.c)!;
  const exchange = { sku: target.sku, priceMinor: target.priceMinor };
  const dearer = target.priceMinor > t.line.priceMinor;
  const reply = await createReturn(
    sim,
    t.order,
    [
      {
        line_id: t.line.lineId,
        quantity: t.quantity,
        reason: 'size_fit',
        exchange: { sku: target.sku, unit_price: usd(target.priceMinor) },
      },
    ],
    dearer ? { exchange_payment: { gateway: 'test', reference: nextId(sim, 'auth-exchange') } } : {},
  );
  const ret = modelReturn(sim, reply.body, t.order, exchange);
  reconcile(sim, t.order, await readOrder(sim, t.order.id));
  return `exchange ${t.quantity} × ${t.line.sku} of ${t.order.id} for ${target.sku} → ${ret.id}`;
}

const retByStatus = (sim: Sim, statuses: Return['status'][], n: number) =>
  pick(
    sim.model.returns.filter((r) => statuses.includes(r.status)),
    n,
  );

/** Authorizes (or, with the flag, rejects) an initiated return; an exchange places its linked order now, all or nothing. */
export async function authorizeReturn(sim: Sim, intent: Intent) {
  const ret = retByStatus(sim, ['initiated'], intent.a);
  if (!ret) return null;
  const order = orderById(sim.model, ret.orderId);
  if (intent.flag) return closeReturnAs(sim, ret, 'reject');
  const exchanges = ret.lines.filter((l) => l.exchange);
  const ok = exchanges.every((l) => reservable(sim, order, l.exchange!.sku, l.quantity));
  const reply = await call(sim, 'POST', `/v1/returns/${ret.id}/authorize`, {}, ok ? [200] : ['409 insufficient_stock']);
  if (reply.status !== 200) return `authorize ${ret.id}: refused, no stock for the replacement`;
  ret.status = 'authorized';
  if (exchanges.length > 0) {
    const view = (await call(sim, 'GET', `/v1/returns/${ret.id}`, undefined, [200])).body;
    ret.exchangeOrderId = view.exchange_order_id;
    const linked = await readOrder(sim, view.exchange_order_id);
    const replacement = adoptNewOrder(sim, linked, 'exchange', order.id);
    exchanges.forEach((l, i) => {
      replacement.lines[i]!.origin = { returnId: ret.id, orderId: order.id, lineId: l.lineId };
    });
    for (const line of replacement.lines) {
      line.allocated = line.quantity;
      line.waiting = 0;
    }
    reconcile(sim, replacement, linked);
  }
  reconcile(sim, order, await readOrder(sim, order.id));
  return `authorize ${ret.id}${ret.exchangeOrderId ? ` → replacement ${ret.exchangeOrderId}` : ''}`;
}

async function closeReturnAs(sim: Sim, ret: Return, action: 'reject' | 'cancel') {
  const order = orderById(sim.model, ret.orderId);
  await call(sim, 'POST', `/v1/returns/${ret.id}/${action}`, { reason: 'simulated' }, [200]);
  ret.status = action === 'reject' ? 'rejected' : 'cancelled';
  for (const l of ret.lines) order.lines.find((x) => x.lineId === l.lineId)!.returnRequested -= l.quantity - l.received;
  reconcile(sim, order, await readOrder(sim, order.id));
  return `${action} ${ret.id}`;
}

export async function closeReturn(sim: Sim, intent: Intent) {
  const ret = retByStatus(sim, ['initiated', 'authorized'], intent.a);
  if (!ret || ret.exchangeOrderId) return null;
  return closeReturnAs(sim, ret, ret.status === 'initiated' && intent.flag ? 'reject' : 'cancel');
}

/**
 * Receives some units of an authorized return: restocked at the store, or written off; `close`
 * ends receiving. A partly received return is sometimes closed with nothing more arriving.
 */
export async function receiveReturn(sim: Sim, intent: Intent) {
  const ret = retByStatus(sim, ['authorized', 'received'], intent.a);
  if (!ret) return null;
  const order = orderById(sim.model, ret.orderId);
  if (ret.status === 'received' && intent.c % 2 === 1) return closeReceiving(sim, ret, order);
  const line = pick(
    ret.lines.filter((l) => l.received < l.quantity),
    intent.b,
  )!;
  const quantity = 1 + (intent.c % (line.quantity - line.received));
  const restock = intent.flag;
  const close = intent.c % 3 === 0;
  await call(
    sim,
    'POST',
    `/v1/returns/${ret.id}/receive`,
    {
      lines: [
        {
          line_id: line.lineId,
          quantity,
          condition: restock ? 'new' : 'damaged',
          disposition: restock ? 'restock' : 'write_off',
        },
      ],
      ...(close ? { close: true } : {}),
    },
    [200],
  );
  const orderLine = order.lines.find((l) => l.lineId === line.lineId)!;
  line.received += quantity;
  orderLine.returnRequested -= quantity;
  orderLine.returned += quantity;
  if (restock) {
    line.restocked += quantity;
    moveStock(sim.model, sim.world.storeA, line.sku, quantity, 0);
  }
  ret.status = 'received';
  const outstanding = ret.lines.reduce((n, l) => n + l.quantity - l.received, 0);
  if (outstanding === 0 || close) finishReceiving(ret, order, close);
  reconcile(sim, order, await readOrder(sim, order.id));
  // Sometimes the rest is known at once not to be coming: the partly received return is closed.
  if (ret.status === 'received' && intent.c % 4 === 2)
    return `${await closeReceiving(sim, ret, order)}, after receiving ${quantity} × ${line.lineId}`;
  return `receive ${quantity} × ${line.lineId} on ${ret.id} (${restock ? 'restock' : 'write off'}${close ? ', close' : ''}) → ${ret.status}`;
}

/** Receiving ends: units that did not arrive stop being requested; the return is restocked or written off. */
function finishReceiving(ret: Return, order: Order, close: boolean) {
  if (close)
    for (const l of ret.lines)
      order.lines.find((x) => x.lineId === l.lineId)!.returnRequested -= l.quantity - l.received;
  ret.status = ret.lines.some((l) => l.restocked > 0) ? 'restocked' : 'written_off';
}

/** Closes a partly received return with what arrived: the rest is not coming (a receipt of no lines). */
async function closeReceiving(sim: Sim, ret: Return, order: Order) {
  await call(sim, 'POST', `/v1/returns/${ret.id}/receive`, { lines: [], close: true }, [200]);
  const missing = ret.lines.reduce((n, l) => n + l.quantity - l.received, 0);
  finishReceiving(ret, order, true);
  reconcile(sim, order, await readOrder(sim, order.id));
  return `close ${ret.id} with ${missing} unit(s) not received → ${ret.status}`;
}

/** Splits `amount` off the own part first, then off the credits in order. */
function takeFrom(amount: number, own: number, credits: Part[]) {
  const fromOwn = Math.min(amount, own);
  let left = amount - fromOwn;
  const taken = credits.map((c) => {
    const t = Math.min(left, c.amountMinor);
    left -= t;
    return { ...c, amountMinor: t };
  });
  return {
    taken: { own: fromOwn, credits: taken },
    rest: {
      own: own - fromOwn,
      credits: credits.map((c, i) => ({ ...c, amountMinor: c.amountMinor - taken[i]!.amountMinor })),
    },
  };
}

/** Units of an exchanged line that its return may still receive and refund. */
function stillToSettle(sim: Sim, origin: { returnId: string | null; lineId: string }): number {
  const ret = sim.model.returns.find((r) => r.id === origin.returnId);
  if (!ret) return 0;
  const line = ret.lines.find((l) => l.lineId === origin.lineId)!;
  if (['initiated', 'authorized', 'received'].includes(ret.status)) return line.quantity - line.refunded;
  if (['restocked', 'written_off'].includes(ret.status)) return line.received - line.refunded;
  return 0;
}

/**
 * What a return refund gives back (ADRs 0006, 0010, 0011): each received unit not yet refunded
 * at what was paid for it — on its own order (units in refund order) and, for a replacement, the
 * credits its units carry from the orders that paid them; an exchanged unit only the price
 * difference of a cheaper replacement, never more than it was paid, the rest carried to the
 * replacement as its credit. Each order gives back its part, cut to what it still has refundable.
 * A replacement whose originals may still come back waits (exchange_not_settled).
 */
export async function refundReturn(sim: Sim, intent: Intent) {
  const ret = retByStatus(sim, ['restocked', 'written_off'], intent.a);
  if (!ret) return null;
  const order = orderById(sim.model, ret.orderId);
  const parts = new Map<string, number>();
  const add = (orderId: string, amount: number) => parts.set(orderId, (parts.get(orderId) ?? 0) + amount);
  const carry: { line: Line; units: number; own: number; credits: Part[]; from: Line }[] = [];
  let unsettled = false;
  for (const l of ret.lines) {
    const quantity = l.received - l.refunded;
    if (quantity === 0) continue;
    const line = order.lines.find((x) => x.lineId === l.lineId)!;
    if (line.origin?.returnId && stillToSettle(sim, line.origin) > 0 && line.refunded + quantity > settledUnits(line))
      unsettled = true;
    const own = unitsValue(line, line.refunded, quantity);
    const credits = creditParts(line.credits, line.refunded, quantity);
    if (l.exchange) {
      const listed = Math.max(0, line.priceMinor - l.exchange.priceMinor) * quantity;
      const given = takeFrom(Math.min(listed, own + credits.reduce((n, c) => n + c.amountMinor, 0)), own, credits);
      add(order.id, given.taken.own);
      for (const c of given.taken.credits) add(c.orderId, c.amountMinor);
      const replacement = sim.model.orders
        .flatMap((o) => o.lines)
        .find((x) => x.origin?.returnId === ret.id && x.origin.lineId === l.lineId)!;
      carry.push({ line: replacement, units: quantity, own: given.rest.own, credits: given.rest.credits, from: line });
    } else {
      add(order.id, own);
      for (const c of credits) add(c.orderId, c.amountMinor);
    }
  }
  // With the flag an agent refunds the order's shipping too: once per order, whatever the policy.
  const shipping = intent.flag ? order.money.shippingMinor - order.money.shippingRefundedMinor : 0;
  add(order.id, shipping);
  const body = intent.flag ? { refund_shipping: true } : {};
  // The preview runs the refund's own computation and writes nothing: it says what every order gives.
  const preview = await call(
    sim,
    'POST',
    `/v1/returns/${ret.id}/refund-preview`,
    body,
    unsettled ? ['409 exchange_not_settled'] : [200],
  );
  if (!unsettled)
    expectEqual(
      preview.body.total.amount,
      [...parts.values()].reduce((n, v) => n + v, 0),
      `refund preview of ${ret.id}`,
    );
  const reply = await call(
    sim,
    'POST',
    `/v1/returns/${ret.id}/refund`,
    body,
    unsettled ? ['409 exchange_not_settled'] : [200, 201],
  );
  if (unsettled) return `refund ${ret.id}: refused, its replacement's originals are not settled`;
  order.money.shippingRefundedMinor += shipping;
  const given: string[] = [];
  for (const [orderId, due] of parts) {
    const payer = orderById(sim.model, orderId);
    const amount = Math.min(due, payer.money.capturedMinor - payer.money.refundedMinor);
    payer.money.refundedMinor += amount;
    given.push(`${amount}${amount < due ? ` of ${due}` : ''} from ${orderId}`);
  }
  for (const c of carry) {
    const from = settledUnits(c.line);
    c.line.credits.push({ from, units: c.units, orderId: order.id, lineId: c.from.lineId, amountMinor: c.own });
    for (const p of c.credits) c.line.credits.push({ from, units: c.units, ...p });
  }
  for (const l of ret.lines) {
    const quantity = l.received - l.refunded;
    order.lines.find((x) => x.lineId === l.lineId)!.refunded += quantity;
    l.refunded += quantity;
  }
  ret.status = 'refunded';
  for (const orderId of new Set([order.id, ...parts.keys()]))
    reconcile(sim, orderById(sim.model, orderId), await readOrder(sim, orderId));
  expectThat(reply.body, 'refund answer');
  return `refund ${ret.id}${shipping ? ` with shipping ${shipping}` : ''}: ${given.join(', ') || 'nothing due'}`;
}

/** An agent's goodwill refund: any amount up to what is still refundable; more is refused. */
export async function goodwillRefund(sim: Sim, intent: Intent) {
  const order = pick(
    sim.model.orders.filter((o) => o.money.capturedMinor > 0),
    intent.a,
  );
  if (!order) return null;
  const refundable = order.money.capturedMinor - order.money.refundedMinor;
  const amount = intent.flag ? refundable + 1 + (intent.c % 50) : 1 + ((intent.c * 97) % Math.max(1, refundable));
  const ok = amount <= refundable;
  await call(
    sim,
    'POST',
    `/v1/orders/${order.id}/refunds`,
    { amount: usd(amount), reason: 'simulated goodwill' },
    ok ? [201] : ['409 refund_exceeds_captured'],
  );
  if (ok) order.money.refundedMinor += amount;
  reconcile(sim, order, await readOrder(sim, order.id));
  return `goodwill ${amount} on ${order.id}${ok ? '' : ' refused (more than refundable)'}`;
}

/** Sends shipped units again as a zero-price linked order; never more than shipped less already reshipped. */
export async function reship(sim: Sim, intent: Intent) {
  const order = pick(
    sim.model.orders.filter((o) => o.lines.some((l) => l.shipped > 0)),
    intent.a,
  );
  if (!order) return null;
  const line = pick(
    order.lines.filter((l) => l.shipped > 0),
    intent.b,
  )!;
  const left = line.shipped - reshippedUnits(sim.model, order.id, line.lineId);
  const quantity = 1 + (intent.c % (line.shipped + 1));
  const stocked = reservable(sim, order, line.sku, quantity);
  const expected =
    quantity > line.shipped
      ? ['400 validation_failed' as const]
      : quantity > left
        ? ['409 reship_limit_exceeded' as const]
        : stocked
          ? [201]
          : ['409 insufficient_stock' as const];
  const reply = await call(
    sim,
    'POST',
    `/v1/orders/${order.id}/reship`,
    { reason: 'lost', lines: [{ line_id: line.lineId, quantity }] },
    [...expected],
  );
  if (reply.status !== 201) return `reship ${quantity} × ${line.lineId} of ${order.id}: refused (${reply.body.code})`;
  const linked = await readOrder(sim, reply.body.reship_order_id);
  const replacement = adoptNewOrder(sim, linked, 'reship', order.id);
  replacement.lines[0]!.origin = { returnId: null, orderId: order.id, lineId: line.lineId };
  for (const l of replacement.lines) {
    l.allocated = l.quantity;
    l.waiting = 0;
  }
  reconcile(sim, replacement, linked);
  return `reship ${quantity} × ${line.lineId} of ${order.id} → ${replacement.id}`;
}
