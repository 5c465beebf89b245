import { rerouteBackorders } from '../../src/orders/index.ts';
import { call, nextId, type Sim } from './context.ts';
import type { Intent } from './intent.ts';
import { level, routingOutcome, stockedProducts, unitsOf, type Order } from './model.ts';
import { readOrder, reconcile } from './observe.ts';
import { predictRouting } from './routing.ts';

/** A level of the sequence's stock: one of its products at one of the locations. */
function chooseLevel(sim: Sim, intent: Intent) {
  const products = stockedProducts(sim.model);
  const product = products[intent.a % products.length]!;
  const location = sim.model.locations[intent.b % sim.model.locations.length]!;
  return { product, location, level: level(sim.model, location.id, product.sku) };
}

export async function restock(sim: Sim, intent: Intent) {
  const { product, location, level: l } = chooseLevel(sim, intent);
  const quantity = 1 + (intent.c % 6);
  await call(
    sim,
    'POST',
    '/v1/inventory/adjustments',
    {
      reason: 'simulated receipt',
      movements: [{ kind: 'receipt', sku: product.sku, location_id: location.id, quantity }],
    },
    [201],
  );
  l.onHand += quantity;
  return `receive ${quantity} × ${product.sku} at ${location.code}`;
}

/**
 * Inbound supply arrives: a purchase order expected today or later is recorded, then received
 * with fewer, as many or more units than expected. The units go on hand and the orders waiting
 * for the SKU that the network can now serve are routed oldest first, as the back-order worker
 * routes them (those with stock of it where their channel sells, found before any is routed);
 * a receipt of no units routes nothing.
 */
export async function supplyReceipt(sim: Sim, intent: Intent) {
  const { product, location, level: l } = chooseLevel(sim, intent);
  const expected = 1 + (intent.c % 5);
  const received = Math.max(0, expected + ((intent.c >> 3) % 3) - 1);
  const created = await call(
    sim,
    'POST',
    '/v1/supplies',
    {
      kind: intent.flag ? 'asn' : 'purchase_order',
      reference: nextId(sim, 'po'),
      location_id: location.id,
      expected_on: new Date(Date.now() + (intent.b % 3) * 86_400_000).toISOString().slice(0, 10),
      lines: [{ sku: product.sku, quantity: expected }],
    },
    [201],
  );
  await call(
    sim,
    'POST',
    `/v1/supplies/${created.body.id}/receive`,
    { lines: [{ sku: product.sku, quantity: received }] },
    [200],
  );
  l.onHand += received;
  const stocked = (order: Order) =>
    sim.model.locations.some((loc) => {
      const there = level(sim.model, loc.id, product.sku);
      return loc.inGroup && !order.rejectedAt.includes(loc.id) && there.onHand - there.reserved > 0;
    });
  // Nothing arrived, nothing changed on hand: the receipt routes nothing (the worker still will).
  const waiting = sim.model.orders.filter(
    (o) =>
      received > 0 &&
      o.managed &&
      o.status !== 'cancelled' &&
      o.lines.some((x) => x.waiting > 0 && unitsOf(sim.model, x.sku).some((c) => c.sku === product.sku)) &&
      stocked(o),
  );
  const routed: Order[] = [];
  for (const order of waiting) {
    if (predictRouting(sim.model, order, [], 'keep')) routed.push(order);
    reconcile(sim, order, await readOrder(sim, order.id));
  }
  return `supply of ${expected} × ${product.sku} at ${location.code}, ${received} received: ${routed.map((o) => o.id).join(', ') || 'nothing routed'}`;
}

/** A person's count: applies when it covers what is reserved, refused (below_reserved) otherwise. */
export async function count(sim: Sim, intent: Intent) {
  const { product, location, level: l } = chooseLevel(sim, intent);
  const onHand = intent.c % 7;
  const ok = onHand >= l.reserved;
  const answer = await call(
    sim,
    'PUT',
    `/v1/inventory/${location.id}/${product.sku}`,
    { on_hand: onHand },
    ok ? [200] : ['409 below_reserved'],
  );
  if (answer.status === 200) l.onHand = onHand;
  return `count ${product.sku} at ${location.code}: ${onHand}${ok ? '' : ' refused (below reserved)'}`;
}

/** A bulk feed of two rows: a snapshot (absolute) or a delta; a row below what is reserved rejects all of it. */
export async function feed(sim: Sim, intent: Intent) {
  const first = chooseLevel(sim, intent);
  const second = chooseLevel(sim, { ...intent, a: intent.a + 1, b: intent.b + 2 });
  const snapshot = intent.flag;
  const rows = [first, second].map((x, i) => {
    const delta = ((intent.c + i) % 6) - 2; // a delta of zero is not a movement
    const value = snapshot ? (intent.c + 3 * i) % 8 : delta >= 0 ? delta + 1 : delta;
    return { x, value, after: snapshot ? value : x.level.onHand + value };
  });
  const ok = rows.every((r) => r.after >= r.x.level.reserved);
  await call(
    sim,
    'POST',
    '/v1/inventory/feeds',
    {
      feed_id: nextId(sim, 'feed'),
      mode: snapshot ? 'snapshot' : 'delta',
      as_of: new Date().toISOString(),
      rows: rows.map((r) => ({
        location_id: r.x.location.id,
        sku: r.x.product.sku,
        ...(snapshot ? { on_hand: r.value } : { quantity: r.value }),
      })),
    },
    ok ? [201] : ['422 feed_rejected'],
  );
  if (ok) for (const r of rows) r.x.level.onHand = r.after;
  return `${snapshot ? 'snapshot' : 'delta'} feed ${rows.map((r) => `${r.x.product.sku}@${r.x.location.code}→${r.after}`).join(', ')}${ok ? '' : ' rejected'}`;
}

/**
 * The back-order worker: the oldest waiting order first, each routed when all of its waiting
 * units can be placed (or, for a product that may be back-ordered, as many as there are).
 */
export async function backorderTick(sim: Sim) {
  // Imported orders' units wait nowhere: the worker passes them by (ADR 0047).
  const waiting = sim.model.orders.filter(
    (o) => o.managed && o.status !== 'cancelled' && o.lines.some((l) => l.waiting > 0),
  );
  await rerouteBackorders(sim.db);
  const routed: Order[] = [];
  for (const order of waiting) {
    // Within one tick the worker sees the stock the orders before it left.
    if (predictRouting(sim.model, order, [], 'keep')) routed.push(order);
    reconcile(sim, order, await readOrder(sim, order.id));
  }
  return `back-order worker: ${routed.map((o) => o.id).join(', ') || 'nothing routed'}`;
}

/** Right after the worker ran, nothing may wait that the network could place. */
export function stuckWhileStocked(sim: Sim): string | null {
  for (const order of sim.model.orders) {
    // An imported order's units wait nowhere: the worker passes them by (ADR 0047).
    if (!order.managed || order.status === 'cancelled' || order.lines.every((l) => l.waiting === 0)) continue;
    const outcome = routingOutcome(sim.model, order, []);
    if (outcome.placeable && order.lines.some((l) => (outcome.waitingAfter.get(l.lineId) ?? l.waiting) < l.waiting)) {
      const blocked = order.lines.filter((l) => l.waiting > 0).map((l) => l.sku);
      return `${order.id} waits for ${blocked.join(', ')} that the network now holds`;
    }
  }
  return null;
}
