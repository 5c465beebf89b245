import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../src/db/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createSmallNetwork, setStock, type SmallNetwork } from '../support/fixtures.ts';
import { orderBody, placeOrder } from '../support/orders.ts';
import type { TestServer } from '../support/server.ts';
import { ship, startPaymentsServer } from './payments-support.ts';

let database: TestDatabase;
let server: TestServer;
let net: SmallNetwork;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startPaymentsServer(database);
  net = await createSmallNetwork(server, 3);
  await server.request('PATCH', `/v1/locations/${net.storeA}`, { body: { latitude: 42.36, longitude: -71.06 } });
  await server.request('PATCH', `/v1/locations/${net.storeB}`, { body: { latitude: 42.65, longitude: -73.75 } });
  for (const sku of net.skus) {
    await setStock(server, net.storeA, sku, 1000);
    await setStock(server, net.storeB, sku, 1000);
  }
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

const usd = (amount: number) => ({ amount, currency: 'USD' });
let counter = 0;
/** 3 × SKU-1 at 12.99 and 2 × SKU-2 at 25.00, shipped to Boston. */
async function newOrder() {
  counter += 1;
  const body = orderBody(`CHG-${counter}`, [
    { sku: net.skus[0]!, quantity: 3, price: 1299 },
    { sku: net.skus[1]!, quantity: 2, price: 2500 },
  ]);
  const response = await placeOrder(server, body);
  if (response.status !== 201) throw new Error(JSON.stringify(response.body));
  return response.body;
}
const getOrder = async (id: string) => (await server.request('GET', `/v1/orders/${id}`)).body;
const draft = (orderId: string, actions: unknown[], headers?: Record<string, string>) =>
  server.request('POST', `/v1/orders/${orderId}/changes`, { body: { reason: 'customer called', actions }, headers });
const confirm = (orderId: string, changeId: string, body: unknown = {}, headers?: Record<string, string>) =>
  server.request('POST', `/v1/orders/${orderId}/changes/${changeId}/confirm`, { body, headers });
const paymentsOf = async (id: string) =>
  (await server.request('GET', `/v1/orders/${id}/payments`)).body.data as {
    kind: string;
    status: string;
    amount: { amount: number };
    idempotency_key: string | null;
  }[];
const counts = async (orderId: string) =>
  (
    await query<{ changes: number; events: number; payments: number; versions: number }>(
      database.db,
      sql`select (select count(*)::int from order_changes where order_id = ${orderId}) as changes,
                 (select count(*)::int from events where subject_id = ${orderId}) as events,
                 (select count(*)::int from payments where order_id = ${orderId}) as payments,
                 (select count(*)::int from order_versions where order_id = ${orderId}) as versions`,
    )
  )[0]!;
const bucketsHold = async (orderId: string) =>
  (
    await query<{ bad: number }>(
      database.db,
      sql`select count(*)::int as bad from order_lines l where l.order_id = ${orderId}
            and l.allocated <> coalesce((select sum(quantity) from order_allocations a
                                          where a.order_id = l.order_id and a.line_id = l.line_id and a.status = 'reserved'), 0)`,
    )
  )[0]!.bad === 0;

describe('change orders', () => {
  it('a dearer change previews its totals and routing, then takes an additional authorization and a new version', async () => {
    const order = await newOrder();
    expect(order.version).toBeGreaterThanOrEqual(1);
    const drafted = await draft(order.id, [
      { type: 'change_quantity', line_id: 'L1', quantity: 5 },
      { type: 'add_line', sku: net.skus[2], quantity: 1, unit_price: usd(999), tax: usd(80) },
    ]);
    expect(drafted.status).toBe(201);
    const change = drafted.body;
    expect(change.status).toBe('draft');
    expect(change.base_version).toBe(order.version);
    const grownDiscount = 2 * Math.floor(order.lines[0].discount.amount / 3);
    const grownTax = 2 * Math.floor(order.lines[0].tax.amount / 3);
    const delta = 2 * 1299 - grownDiscount + grownTax + 999 + 80;
    expect(change.preview.delta).toEqual(usd(delta));
    expect(change.preview.after.total.amount).toBe(order.total.amount + delta);
    expect(change.preview.settlement.authorize).toEqual(usd(delta));
    expect(change.preview.routing.placed.map((p: { line_id: string }) => p.line_id).sort()).toEqual(['L1', 'L3']);
    // The preview wrote nothing that lasts.
    const untouched = await getOrder(order.id);
    expect(untouched.lines).toHaveLength(2);
    expect(untouched.version).toBe(order.version);

    const confirmed = await confirm(order.id, change.id);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.status).toBe('confirmed');
    expect(confirmed.body.result_version).toBeGreaterThan(order.version);
    const after = await getOrder(order.id);
    expect(after.version).toBe(confirmed.body.result_version);
    expect(after.total.amount).toBe(order.total.amount + delta);
    expect(after.lines[0].quantities).toMatchObject({ ordered: 5, allocated: 5 });
    expect(after.lines[2]).toMatchObject({ line_id: 'L3', sku: net.skus[2], quantity: 1 });
    expect(after.lines[2].quantities.allocated).toBe(1);
    expect(await bucketsHold(order.id)).toBe(true);
    const payments = await paymentsOf(order.id);
    const extra = payments.find((p) => p.idempotency_key === `change:${change.id}:1`);
    expect(extra).toMatchObject({ kind: 'authorization', status: 'succeeded', amount: { amount: delta } });
    const event = after.timeline.find((e: { type: string }) => e.type === 'order.change_confirmed');
    expect(event.actor).toBeTruthy();
    expect(event.data).toMatchObject({ change_id: change.id, reason: 'customer called', delta: usd(delta) });
    const history = (await server.request('GET', `/v1/orders/${order.id}/changes`)).body;
    expect(history.versions.map((v: { total: { amount: number } }) => v.total.amount)).toEqual([
      order.total.amount,
      order.total.amount + delta,
    ]);
    expect(history.versions[1].delta).toEqual(usd(delta));
    expect(history.data[0]).toMatchObject({ id: change.id, status: 'confirmed' });
  });

  it('a cheaper change releases stock and voids the difference from the open authorization', async () => {
    const order = await newOrder();
    const line2 = order.lines[1];
    const value = 2 * 2500 - line2.discount.amount + line2.tax.amount;
    const change = (await draft(order.id, [{ type: 'remove_line', line_id: 'L2' }])).body;
    expect(change.preview.delta).toEqual(usd(-value));
    expect(change.preview.settlement).toMatchObject({ void: usd(value), refund: usd(0) });
    expect(change.preview.routing.released).toEqual([
      expect.objectContaining({ line_id: 'L2', quantity: 2, location_id: order.fulfillment_orders[0].location_id }),
    ]);
    const confirmed = await confirm(order.id, change.id);
    expect(confirmed.body.settlement).toMatchObject({ delta_minor: -value, voided_minor: value, refunded_minor: 0 });
    const after = await getOrder(order.id);
    expect(after.lines[1].quantities).toMatchObject({ ordered: 2, cancelled: 2, allocated: 0 });
    expect(after.total.amount).toBe(order.total.amount - value);
    const voids = (await paymentsOf(order.id)).filter((p) => p.kind === 'void');
    expect(voids.reduce((n, p) => n + p.amount.amount, 0)).toBe(value);
    expect(await bucketsHold(order.id)).toBe(true);
    const stock = (await server.request('GET', `/v1/availability?skus=${net.skus[1]}`)).body;
    expect(JSON.stringify(stock)).toBeTruthy();
  });

  it('a declined additional authorization leaves the order at its version, on a payment hold', async () => {
    const order = await newOrder();
    const change = (await draft(order.id, [{ type: 'change_quantity', line_id: 'L2', quantity: 3 }])).body;
    const before = await counts(order.id);
    const declined = await confirm(order.id, change.id, { payment_method: '4000000000000002' });
    expect(declined.status).toBe(200);
    expect(declined.body.status).toBe('declined');
    expect(declined.body.settlement.declined.code).toBe('card_declined');
    const after = await getOrder(order.id);
    // The order keeps its content (the hold may move its status, and so its row version).
    expect(declined.body.result_version).toBeNull();
    expect(declined.body.base_version).toBe(after.version);
    expect(after.total).toEqual(order.total);
    expect(after.lines[1].quantity).toBe(2);
    expect(after.on_hold).toBe(true);
    expect(
      after.holds.some((h: { kind: string; reason: string }) => h.kind === 'payment' && h.reason.includes(change.id)),
    ).toBe(true);
    const failed = (await paymentsOf(order.id)).find((p) => p.idempotency_key === `change:${change.id}:1`);
    expect(failed).toMatchObject({ kind: 'authorization', status: 'failed' });
    expect(after.timeline.some((e: { type: string }) => e.type === 'order.change_declined')).toBe(true);
    expect((await counts(order.id)).versions).toBe(before.versions);

    // Another card: the same change confirms with the next authorization key.
    const retried = await confirm(order.id, change.id, { payment_method: 'tok_visa' });
    expect(retried.body.status).toBe('confirmed');
    expect((await paymentsOf(order.id)).find((p) => p.idempotency_key === `change:${change.id}:2`)?.status).toBe(
      'succeeded',
    );
  });

  it('two concurrent confirms of the same version: one wins, the other is a 409 with the current version', async () => {
    const order = await newOrder();
    const a = (await draft(order.id, [{ type: 'change_quantity', line_id: 'L1', quantity: 4 }])).body;
    const b = (await draft(order.id, [{ type: 'change_quantity', line_id: 'L1', quantity: 1 }])).body;
    const [ra, rb] = await Promise.all([confirm(order.id, a.id), confirm(order.id, b.id)]);
    const statuses = [ra.status, rb.status].sort();
    expect(statuses).toEqual([200, 409]);
    const loser = ra.status === 409 ? ra : rb;
    const winner = ra.status === 200 ? ra : rb;
    expect(loser.body.code).toBe('version_conflict');
    expect(loser.body.current_version).toBe(winner.body.result_version);
    const after = await getOrder(order.id);
    expect(after.version).toBe(winner.body.result_version);
    expect(after.lines[0].quantity - after.lines[0].quantities.cancelled).toBe(ra.status === 200 ? 4 : 1);
    expect(await bucketsHold(order.id)).toBe(true);
  });

  it('is idempotent by key: a retried draft and a retried confirm answer the first result', async () => {
    const order = await newOrder();
    const key = { 'idempotency-key': `chg-${order.id}` };
    const first = await draft(order.id, [{ type: 'set_shipping', amount: usd(0) }], key);
    const again = await draft(order.id, [{ type: 'set_shipping', amount: usd(0) }], key);
    expect(again.body.id).toBe(first.body.id);
    const other = await draft(order.id, [{ type: 'set_shipping', amount: usd(1) }], key);
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('idempotency_conflict');
    const confirmKey = { 'idempotency-key': `confirm-${order.id}` };
    const c1 = await confirm(order.id, first.body.id, {}, confirmKey);
    const c2 = await confirm(order.id, first.body.id, {}, confirmKey);
    expect(c2.status).toBe(200);
    expect(c2.body).toEqual(c1.body);
    const after = await getOrder(order.id);
    expect(after.shipping).toEqual(usd(0));
    expect(after.total.amount).toBe(order.total.amount - 799);
    const third = await confirm(order.id, first.body.id);
    expect(third.status).toBe(409);
    expect(third.body.code).toBe('change_not_open');
  });

  it('a new address re-routes the open units; a pickup change sends them to the store', async () => {
    const order = await newOrder();
    const first = order.fulfillment_orders[0].location_id;
    const [other, city, latitude, longitude] =
      first === net.storeA ? [net.storeB, 'Albany', 42.65, -73.75] : [net.storeA, 'Boston', 42.36, -71.06];
    const moved = (
      await draft(order.id, [
        {
          type: 'change_shipping_address',
          shipping_address: { line1: '1 State St', city, country: 'US', latitude, longitude },
        },
      ])
    ).body;
    expect(moved.preview.delta).toEqual(usd(0));
    expect(moved.preview.routing.placed.every((p: { location_id: string }) => p.location_id === other)).toBe(true);
    expect((await confirm(order.id, moved.id)).body.status).toBe('confirmed');
    const after = await getOrder(order.id);
    expect(after.shipping_address.city).toBe(city);
    const live = after.fulfillment_orders.filter((f: { status: string }) => f.status === 'allocated');
    expect(live.map((f: { location_id: string }) => f.location_id)).toEqual([other]);
    expect(after.fulfillment_orders.find((f: { location_id: string }) => f.location_id === first).status).toBe(
      'cancelled',
    );
    expect(await bucketsHold(order.id)).toBe(true);

    const pickup = (
      await draft(order.id, [{ type: 'change_delivery_method', delivery_method: 'pickup', pickup_location_id: first }])
    ).body;
    expect((await confirm(order.id, pickup.id)).body.status).toBe('confirmed');
    const picked = await getOrder(order.id);
    expect(picked.delivery_method).toBe('pickup');
    const open = picked.fulfillment_orders.filter((f: { status: string }) => f.status === 'allocated');
    expect(open).toEqual([expect.objectContaining({ location_id: first, delivery_method: 'pickup' })]);
  });

  it('refuses bad changes with a stable code and writes nothing', async () => {
    const order = await newOrder();
    const fo = order.fulfillment_orders[0].id;
    await ship(server, fo, [{ line_id: 'L1', quantity: 2 }]);
    const before = await counts(order.id);
    const cases: [unknown[], number, string][] = [
      [[{ type: 'change_quantity', line_id: 'L1', quantity: 1 }], 409, 'line_shipped'],
      [[{ type: 'remove_line', line_id: 'L1' }], 409, 'line_shipped'],
      [[{ type: 'change_price', line_id: 'L1', unit_price: usd(1), reason: 'match' }], 409, 'line_shipped'],
      [[{ type: 'set_shipping', amount: usd(0) }], 409, 'shipping_charged'],
      [[{ type: 'add_discount', amount: usd(999_999) }], 422, 'negative_total'],
      [[{ type: 'change_price', line_id: 'L2', unit_price: usd(0), reason: 'free' }], 422, 'negative_total'],
      [[{ type: 'change_quantity', line_id: 'L9', quantity: 1 }], 422, 'unknown_reference'],
      [[{ type: 'add_line', sku: 'NOPE', quantity: 1, unit_price: usd(100) }], 422, 'unknown_sku'],
      [
        [{ type: 'add_line', sku: net.skus[0], quantity: 1, unit_price: { amount: 100, currency: 'EUR' } }],
        422,
        'invalid_change',
      ],
      [
        [{ type: 'add_line', line_id: 'L1', sku: net.skus[0], quantity: 1, unit_price: usd(100) }],
        422,
        'invalid_change',
      ],
      [
        [{ type: 'change_delivery_method', delivery_method: 'pickup', pickup_location_id: 'loc_nope' }],
        422,
        'unknown_location',
      ],
      [[{ type: 'change_quantity', line_id: 'L2', quantity: 0 }], 400, 'validation_failed'],
      [[{ type: 'teleport' }], 400, 'validation_failed'],
    ];
    for (const [actions, status, code] of cases) {
      const refused = await draft(order.id, actions);
      expect([refused.status, refused.body.code, JSON.stringify(actions)]).toEqual([
        status,
        code,
        JSON.stringify(actions),
      ]);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
    }
    expect(await counts(order.id)).toEqual(before);
    const missing = await confirm(order.id, 'chg_nope');
    expect(missing.status).toBe(404);
    // The last unit of the partly shipped line is in work that has shipped: it can no longer change.
    const fewer = (await draft(order.id, [{ type: 'change_quantity', line_id: 'L1', quantity: 2 }])).body;
    expect([fewer.status, fewer.code]).toEqual([409, 'line_in_fulfillment']);
  });

  it('refuses to change an order that has shipped in full', async () => {
    const order = await newOrder();
    await ship(server, order.fulfillment_orders[0].id);
    const refused = await draft(order.id, [{ type: 'change_quantity', line_id: 'L1', quantity: 4 }]);
    expect([refused.status, refused.body.code]).toEqual([409, 'illegal_transition']);
  });

  it('units a location has started on wait for its release; cancelling the change withdraws the request', async () => {
    const order = await newOrder();
    const fo = order.fulfillment_orders[0].id;
    await server.request('POST', `/v1/fulfillment-orders/${fo}/accept`, { body: {} });
    const change = (await draft(order.id, [{ type: 'remove_line', line_id: 'L2' }])).body;
    expect(change.preview.release_needed).toEqual([fo]);
    const waiting = await confirm(order.id, change.id);
    expect(waiting.body.status).toBe('awaiting_release');
    expect(waiting.body.release_requests).toEqual([
      expect.objectContaining({
        fulfillment_order_id: fo,
        location_id: order.fulfillment_orders[0].location_id,
        status: 'requested',
      }),
    ]);
    expect((await getOrder(order.id)).version).toBe(
      order.version === undefined ? undefined : (await getOrder(order.id)).version,
    );
    const cancelled = await server.request('POST', `/v1/orders/${order.id}/changes/${change.id}/cancel`, { body: {} });
    expect(cancelled.body.status).toBe('cancelled');
    expect(cancelled.body.release_requests[0].status).toBe('withdrawn');
  });

  it('a location releases picking work; the change then applies and the emptied work is cancelled', async () => {
    const order = await newOrder();
    const fo = order.fulfillment_orders[0];
    for (const step of ['accept', 'pick'])
      await server.request('POST', `/v1/fulfillment-orders/${fo.id}/${step}`, { body: {} });
    const change = (
      await draft(order.id, [
        { type: 'remove_line', line_id: 'L1' },
        { type: 'remove_line', line_id: 'L2' },
      ])
    ).body;
    expect((await confirm(order.id, change.id)).body.status).toBe('awaiting_release');
    const queue = (await server.request('GET', `/v1/fulfillment-orders?location_id=${fo.location_id}&status=picking`))
      .body;
    const listed = queue.data.find((f: { id: string }) => f.id === fo.id);
    expect(listed.release_requests).toEqual([
      expect.objectContaining({ change_id: change.id, reason: 'customer called' }),
    ]);
    const released = await server.request('POST', `/v1/fulfillment-orders/${fo.id}/release-for-change`, { body: {} });
    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({ status: 'cancelled', release_requests: [], confirmed: [change.id] });
    const after = await getOrder(order.id);
    expect(after.status).toBe('cancelled');
    expect(after.lines.map((l: { quantities: { cancelled: number } }) => l.quantities.cancelled)).toEqual([3, 2]);
    const voided = (await paymentsOf(order.id)).filter((p) => p.kind === 'void');
    expect(voided.reduce((n, p) => n + p.amount.amount, 0)).toBe(order.total.amount);
    expect(await bucketsHold(order.id)).toBe(true);
    const again = await server.request('POST', `/v1/fulfillment-orders/${fo.id}/release-for-change`, { body: {} });
    expect([again.status, again.body.code]).toEqual([409, 'illegal_transition']);
  });
});

describe('a change on an order on hold', () => {
  const reservedWithoutWork = async (orderId: string) =>
    (
      await query<{ n: number }>(
        database.db,
        sql`select coalesce(sum(quantity), 0)::int as n from order_allocations
            where order_id = ${orderId} and status = 'reserved' and fulfillment_order_id is null`,
      )
    )[0]!.n;

  it('gives the units it placed fulfillment work once the hold is released, even when other units still wait', async () => {
    const sku = 'HELD-CHANGE';
    await server.request('POST', '/v1/products', { body: { sku, name: 'Held change', weight_grams: 100 } });
    await setStock(server, net.storeA, sku, 2);
    const placed = await placeOrder(server, orderBody('CHG-HELD', [{ sku, quantity: 1, price: 1500 }]));
    expect(placed.status).toBe(201);
    const order = placed.body;
    expect(order.fulfillment_orders).toHaveLength(1);
    const held = await server.request('POST', `/v1/orders/${order.id}/hold`, {
      body: { kind: 'manual', reason: 'customer called' },
    });
    expect(held.status).toBe(200);

    // One more unit: placed (the store has it), but no work while the order is on hold.
    const more = (await draft(order.id, [{ type: 'change_quantity', line_id: 'L1', quantity: 2 }])).body;
    expect((await confirm(order.id, more.id, { payment_method: 'tok_visa' })).body.status).toBe('confirmed');
    expect(await reservedWithoutWork(order.id)).toBe(1);
    // One more again: nothing can place it, so it waits on a routing hold.
    const again = (await draft(order.id, [{ type: 'change_quantity', line_id: 'L1', quantity: 3 }])).body;
    expect((await confirm(order.id, again.id, { payment_method: 'tok_visa' })).body.status).toBe('confirmed');
    const waiting = await getOrder(order.id);
    expect(waiting.lines[0].quantities).toMatchObject({ allocated: 2, backordered: 1 });

    const released = await server.request('POST', `/v1/orders/${order.id}/release-hold`, { body: { kind: 'manual' } });
    expect(released.status).toBe(200);
    // Only the unit nothing could place waits (a routing hold holds only it); the placed one has work.
    expect(
      released.body.holds.filter((h: { active?: boolean; released_at?: string | null }) => !h.released_at),
    ).toEqual([expect.objectContaining({ kind: 'routing' })]);
    expect(await reservedWithoutWork(order.id)).toBe(0);
    expect(released.body.fulfillment_orders).toHaveLength(2);
    expect(await bucketsHold(order.id)).toBe(true);
  });
});
