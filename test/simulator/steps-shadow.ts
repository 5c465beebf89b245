import { call, expectEqual, expectThat, nextId, type Sim } from './context.ts';
import type { Intent } from './intent.ts';
import { available, eligibleLocations, routingOutcome, unitsOf, type ShadowOrder } from './model.ts';
import {
  bodyFor,
  describe,
  draftView,
  modelOrder,
  specFor,
  unusableShipFrom,
  withShipFrom,
  type OrderSpec,
} from './steps-orders.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- API bodies are read field by field */

/**
 * One order in three asks for one to two units of the product that may be back-ordered more than
 * the channel's locations hold, to ship: decided with its line waiting in part (or whole).
 */
function beyondStock(sim: Sim, intent: Intent): OrderSpec {
  const spec = specFor(sim, intent, 'ship');
  const product = sim.model.products.find((p) => p.allowBackorder)!;
  const held = sim.model.locations
    .filter((l) => l.inGroup)
    .reduce((n, l) => n + Math.max(0, available(sim.model, l.id, product.sku)), 0);
  return { ...spec, lines: [{ product, quantity: held + 1 + (intent.c % 2) }], discountMinor: 0 };
}

/**
 * An order placed through `POST /v1/orders` on the shadow channel (ADR 0048, docs/shadow-mode.md):
 * validated as any order (a ship-from location outside the group is refused the same), then
 * decided only. The model predicts the answer — `201` with the shadow order (`sho_…`, mode
 * `shadow`), its lines' amounts adding up with shipping to the total, and the decision routing
 * would make on the stock now: `allocated`, `partially_allocated` with each line's back-ordered
 * units, or `rejected` where a live order would be refused for stock — and checks that each
 * allocation is at a location eligible for the order with the stock for it. Nothing is reserved
 * (stock levels do not move: the database checks after the step), no order is written (`404` for
 * its ID, none listed for the channel), no event names it (the event checks). The same order
 * again is `200` with the same shadow order; the same external ID with other content is
 * `409 idempotency_conflict`.
 */
export async function placeShadow(sim: Sim, intent: Intent) {
  const method = intent.b % 4 === 2 ? 'pickup' : 'ship';
  const spec = intent.a % 3 === 0 ? beyondStock(sim, intent) : withShipFrom(sim, specFor(sim, intent, method), intent);
  const externalId = nextId(sim, 'shadow');
  const body = bodyFor(sim, spec, externalId, sim.world.shadowChannelId);
  if (unusableShipFrom(sim, spec)) {
    await call(sim, 'POST', '/v1/orders', body, ['422 ship_from_unusable']);
    return `shadow:refused ${describe(spec)}: ship-from location outside the channel's group`;
  }
  const draft = modelOrder('draft', externalId, draftView(body), 'order', null);
  const outcome = routingOutcome(sim.model, draft, []);
  const waiting = draft.lines
    .map((l) => [l.lineId, outcome.waitingAfter.get(l.lineId) ?? 0] as [string, number])
    .filter(([, n]) => n > 0);
  const expected: ShadowOrder['decision'] = !outcome.placeable
    ? 'rejected'
    : waiting.length > 0
      ? 'partially_allocated'
      : 'allocated';
  const placed = await call(sim, 'POST', '/v1/orders', body, [201]);
  const shadow = placed.body;
  const where = `shadow order ${shadow.id} (${externalId})`;
  expectThat(/^sho_/.test(shadow.id), `${where}: not a shadow order's ID`);
  expectEqual(
    [shadow.mode, shadow.channel_id, shadow.external_id, shadow.total.amount],
    ['shadow', sim.world.shadowChannelId, externalId, body.total.amount],
    `${where} [mode, channel, external ID, total]`,
  );
  expectEqual(
    shadow.lines.map((l: any) => [l.line_id, l.sku, l.quantity]),
    body.lines.map((l) => [l.line_id, l.sku, l.quantity]),
    `${where} lines [line, SKU, quantity]`,
  );
  expectEqual(
    shadow.lines.reduce((n: number, l: any) => n + l.amount_minor, 0) + body.shipping.amount,
    body.total.amount,
    `${where}: the lines' amounts and shipping against the total`,
  );
  const decision = shadow.decision;
  expectEqual(decision.status, expected, `${where} decision`);
  expectEqual(
    decision.backorders.map((b: any) => [b.line_id, b.quantity]).sort(),
    expected === 'rejected' ? [] : waiting.sort(),
    `${where} back-ordered units per line`,
  );
  if (expected === 'rejected') expectEqual(decision.allocations, [], `${where}: allocations of a rejected order`);
  else
    for (const line of draft.lines) {
      const units = decision.allocations
        .filter((a: any) => a.line_id === line.lineId)
        .reduce((n: number, a: any) => n + a.quantity, 0);
      expectEqual(units, line.quantity - (outcome.waitingAfter.get(line.lineId) ?? 0), `${where} line ${line.lineId}`);
    }
  // Each allocation where the order may go, within the stock there (a kit's counted in its components).
  const eligible = new Set(eligibleLocations(sim.model, draft, []).map((l) => l.id));
  const taken = new Map<string, number>();
  for (const a of decision.allocations) {
    const line = draft.lines.find((l) => l.lineId === a.line_id)!;
    expectThat(eligible.has(a.location_id), `${where}: ${a.quantity} × ${a.sku} at ${a.location_id}, not eligible`);
    if (line.shipFrom) expectEqual(a.location_id, line.shipFrom, `${where} line ${line.lineId}: ship-from location`);
    for (const c of unitsOf(sim.model, a.sku))
      taken.set(`${a.location_id}|${c.sku}`, (taken.get(`${a.location_id}|${c.sku}`) ?? 0) + a.quantity * c.quantity);
  }
  for (const [key, units] of taken) {
    const [locationId, sku] = key.split('|') as [string, string];
    const free = available(sim.model, locationId, sku);
    expectThat(units <= free, `${where}: ${units} × ${sku} decided at ${locationId}, which has ${free}`);
  }
  await call(sim, 'GET', `/v1/orders/${shadow.id}`, undefined, ['404 not_found']);
  const listed = await call(sim, 'GET', `/v1/orders?channel=${sim.world.shadowChannelId}&limit=1`, undefined, [200]);
  expectEqual(listed.body.data, [], `orders listed for the shadow channel after ${shadow.id}`);
  const again = await call(sim, 'POST', '/v1/orders', body, [200]);
  expectEqual(again.body, shadow, `${where}: the same order again`);
  if (intent.c % 3 === 0) {
    const other = { ...body, customer: { ...body.customer, name: `${body.customer.name} again` } };
    await call(sim, 'POST', '/v1/orders', other, ['409 idempotency_conflict']);
  }
  sim.model.shadows.push({ id: shadow.id, externalId, decision: expected });
  return `shadow:${expected} ${describe(spec)} → ${shadow.id}`;
}
