import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRoutingRules } from '../../src/routing/index.ts';
import { setStock } from '../support/fixtures.ts';
import { heldMismatches, ledgerMismatches } from '../support/invariants.ts';
import { orderBody, placeOrder } from '../support/orders.ts';
import { ship } from './payments-support.ts';
import {
  deliver,
  plainMoney,
  receiveAll,
  returnBody,
  startReturnsWorld,
  type ReturnsWorld,
} from './returns-support.ts';

let world: ReturnsWorld;
let n = 0;

beforeAll(async () => {
  world = await startReturnsWorld();
});
afterAll(async () => {
  await world?.close();
});

const request = (method: string, path: string, body?: unknown) =>
  world.server.request(method, path, body === undefined ? {} : { body });

async function useRules(bundles: 'one_location' | 'split_components') {
  const saved = await request('PUT', '/v1/routing/rules', {
    rules: { ...defaultRoutingRules, bundles },
    activate: true,
  });
  expect(saved.status).toBeLessThan(300);
}

/** A new kit of 2 × P + 1 × Q (price weights 3 and 4); P only at store A, Q only at store B. */
async function splitKit(p: number, q: number) {
  const id = ++n;
  const [kit, a, b] = [`SPLIT-${id}`, `SPLIT-${id}-P`, `SPLIT-${id}-Q`];
  for (const sku of [a, b, kit]) await request('POST', '/v1/products', { sku, name: sku });
  const set = await request('PUT', `/v1/products/${kit}/components`, {
    components: [
      { sku: a, quantity: 2, price_weight: 3 },
      { sku: b, quantity: 1, price_weight: 4 },
    ],
  });
  expect(set.status).toBe(200);
  await setStock(world.server, world.net.storeA, a, p);
  await setStock(world.server, world.net.storeB, b, q);
  return { kit, a, b };
}

const level = async (location: string, sku: string) =>
  (await request('GET', `/v1/inventory/${location}/${sku}`)).body as { on_hand: number; reserved: number };
const order = async (id: string) => (await request('GET', `/v1/orders/${id}`)).body;

describe('a kit whose components no single location holds', () => {
  it('waits or is refused under one_location, as before', async () => {
    await useRules('one_location');
    const { kit, a, b } = await splitKit(4, 2);
    const placed = await placeOrder(world.server, orderBody(`SPLIT-ONE-${n}`, [{ sku: kit, quantity: 1 }]));
    expect(placed.status).toBe(409);
    expect(placed.body.code).toBe('insufficient_stock');
    expect(await level(world.net.storeA, a)).toMatchObject({ reserved: 0 });
    expect(await level(world.net.storeB, b)).toMatchObject({ reserved: 0 });
  });

  it('is split under split_components: each location picks its components, the line ships when both have', async () => {
    await useRules('split_components');
    const { kit, a, b } = await splitKit(10, 10);
    const lines = [{ sku: kit, quantity: 2, price: 1999 }];
    const placed = await placeOrder(world.server, orderBody(`SPLIT-TWO-${n}`, lines, plainMoney(lines)));
    expect(placed.status).toBe(201);
    const { id } = placed.body;
    expect(placed.body.lines[0].quantities).toMatchObject({ allocated: 2, backordered: 0 });
    const parts = placed.body.allocations;
    expect(parts).toEqual([
      expect.objectContaining({ location_id: world.net.storeA, quantity: 2, components: [{ sku: a, quantity: 2 }] }),
      expect.objectContaining({ location_id: world.net.storeB, quantity: 2, components: [{ sku: b, quantity: 1 }] }),
    ]);
    expect(parts[0].kit_group).toBe(parts[1].kit_group);
    expect(await level(world.net.storeA, a)).toMatchObject({ on_hand: 10, reserved: 4 });
    expect(await level(world.net.storeB, b)).toMatchObject({ on_hand: 10, reserved: 2 });

    // The ledger names the bundle's line at each location.
    for (const [location, sku] of [
      [world.net.storeA, a],
      [world.net.storeB, b],
    ] as const) {
      const ledger = (await request('GET', `/v1/inventory/ledger?location_id=${location}&sku=${sku}`)).body.data;
      expect(ledger.find((r: { kind: string }) => r.kind === 'reservation')).toMatchObject({
        reference_id: id,
        reason: `bundle ${kit} line L1, split kit`,
      });
    }
    // The explanation says why the kit was split.
    const decision = (await request('GET', `/v1/orders/${id}/routing`)).body.latest;
    expect(decision.explanation.explanation.kitSplits).toEqual([
      expect.objectContaining({ lineId: 'L1', sku: kit, quantity: 2 }),
    ]);
    expect(decision.explanation.explanation.kitSplits[0].reason).toContain(
      `no eligible location holds every component of 2 more ${kit}`,
    );

    // Each location's work lists only the components it picks, for the bundle's line.
    const fos = placed.body.fulfillment_orders as { id: string; location_id: string }[];
    expect(fos.map((f) => f.location_id).sort()).toEqual([world.net.storeA, world.net.storeB].sort());
    const foAt = (location: string) => fos.find((f) => f.location_id === location)!.id;
    const queued = (await request('GET', `/v1/fulfillment-orders/${foAt(world.net.storeB)}`)).body;
    expect(queued.lines).toEqual([
      expect.objectContaining({ line_id: 'L1', sku: kit, quantity: 2, components: [{ sku: b, quantity: 2 }] }),
    ]);

    const first = await ship(world.server, foAt(world.net.storeA));
    expect(await level(world.net.storeA, a)).toMatchObject({ on_hand: 6, reserved: 0 });
    expect((await order(id)).lines[0].quantities).toMatchObject({ allocated: 2, shipped: 0 });
    const second = await ship(world.server, foAt(world.net.storeB));
    expect(await level(world.net.storeB, b)).toMatchObject({ on_hand: 8, reserved: 0 });
    expect((await order(id)).lines[0].quantities).toMatchObject({ allocated: 0, shipped: 2 });
    // The shipment that carried the kit's last part arrives first: the kit is not delivered until both have.
    await deliver(world.server, second.shipment_id);
    expect((await order(id)).lines[0].quantities).toMatchObject({ shipped: 2, delivered: 0 });
    await deliver(world.server, first.shipment_id);
    const delivered = await order(id);
    expect(delivered.lines[0].quantities).toMatchObject({ shipped: 2, delivered: 2 });

    // The invoice apportions the line over its components as for any bundle (60 / 40).
    const invoices = (await request('GET', `/v1/orders/${id}/invoices`)).body.data;
    const invoice = (await request('GET', `/v1/invoices/${invoices[0].id}`)).body;
    const line = invoice.document?.lines?.[0] ?? invoice.lines[0];
    expect(line.total.amount).toBe(3998);
    expect(line.components.map((c: { subtotal: { amount: number } }) => c.subtotal.amount)).toEqual([2399, 1599]);

    // A return of one kit restocks both components where it is received; the refund is the line's.
    const [beforeA, beforeB] = [await level(world.net.storeA, a), await level(world.net.storeA, b)];
    const created = await request('POST', '/v1/returns', returnBody(id, [{ line_id: 'L1', quantity: 1 }]));
    expect(created.status).toBe(201);
    await receiveAll(world.server, created.body);
    expect((await level(world.net.storeA, a)).on_hand).toBe(beforeA.on_hand + 2);
    expect((await level(world.net.storeA, b)).on_hand).toBe(beforeB.on_hand + 1);
    const refunded = await request('POST', `/v1/returns/${created.body.id}/refund`, {});
    expect(refunded.status).toBe(201);
    const memo = (await request('GET', `/v1/invoices/${refunded.body.return.credit_memos[0].id}`)).body;
    const memoLine = memo.document?.lines?.[0] ?? memo.lines[0];
    expect(memoLine.components.map((c: { subtotal: { amount: number } }) => c.subtotal.amount)).toEqual([1199, 800]);
    expect(await ledgerMismatches(world.database.db)).toEqual([]);
    expect(await heldMismatches(world.database.db)).toEqual([]);
  });

  it('releases every location when the split kit is cancelled', async () => {
    await useRules('split_components');
    const { kit, a, b } = await splitKit(10, 10);
    const placed = await placeOrder(world.server, orderBody(`SPLIT-CANCEL-${n}`, [{ sku: kit, quantity: 3 }]));
    expect(placed.status).toBe(201);
    expect(await level(world.net.storeA, a)).toMatchObject({ reserved: 6 });
    const partly = await request('POST', `/v1/orders/${placed.body.id}/cancel`, {
      reason: 'test',
      lines: [{ line_id: 'L1', quantity: 1 }],
    });
    expect(partly.status).toBe(200);
    expect(await level(world.net.storeA, a)).toMatchObject({ reserved: 4 });
    expect(await level(world.net.storeB, b)).toMatchObject({ reserved: 2 });
    const rest = await request('POST', `/v1/orders/${placed.body.id}/cancel`, { reason: 'test' });
    expect(rest.status).toBe(200);
    expect(await level(world.net.storeA, a)).toMatchObject({ reserved: 0 });
    expect(await level(world.net.storeB, b)).toMatchObject({ reserved: 0 });
    expect((await order(placed.body.id)).lines[0].quantities).toMatchObject({ cancelled: 3, allocated: 0 });
    expect(await ledgerMismatches(world.database.db)).toEqual([]);
    expect(await heldMismatches(world.database.db)).toEqual([]);
  });

  it('follows a change of the split kit line: fewer kits release their parts, more are split again', async () => {
    await useRules('split_components');
    const { kit, a, b } = await splitKit(10, 10);
    const lines = [{ sku: kit, quantity: 3, price: 1999 }];
    const placed = await placeOrder(world.server, orderBody(`SPLIT-CHANGE-${n}`, lines, plainMoney(lines)));
    expect(placed.status).toBe(201);
    const change = async (quantity: number) => {
      const drafted = await request('POST', `/v1/orders/${placed.body.id}/changes`, {
        reason: 'customer called',
        actions: [{ type: 'change_quantity', line_id: 'L1', quantity }],
      });
      expect(drafted.status, JSON.stringify(drafted.body)).toBe(201);
      const confirmed = await request('POST', `/v1/orders/${placed.body.id}/changes/${drafted.body.id}/confirm`, {});
      expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    };
    await change(1);
    expect(await level(world.net.storeA, a)).toMatchObject({ reserved: 2 });
    expect(await level(world.net.storeB, b)).toMatchObject({ reserved: 1 });
    expect((await order(placed.body.id)).lines[0].quantities).toMatchObject({ allocated: 1, cancelled: 2 });
    await change(4);
    expect(await level(world.net.storeA, a)).toMatchObject({ reserved: 8 });
    expect(await level(world.net.storeB, b)).toMatchObject({ reserved: 4 });
    const after = await order(placed.body.id);
    // The line's quantity counts what was ordered, the two cancelled by the first change included.
    expect(after.lines[0].quantity).toBe(6);
    expect(after.lines[0].quantities).toMatchObject({ allocated: 4, cancelled: 2, backordered: 0 });
    // The kit left and the three added are two split groups, each a part at each store.
    const parts = after.allocations.filter((x: { status: string }) => x.status === 'reserved');
    const kitsAt = (location: string) =>
      parts
        .filter((x: { location_id: string }) => x.location_id === location)
        .reduce((total: number, x: { quantity: number }) => total + x.quantity, 0);
    expect([parts.length, kitsAt(world.net.storeA), kitsAt(world.net.storeB)]).toEqual([4, 4, 4]);
    expect(await ledgerMismatches(world.database.db)).toEqual([]);
    expect(await heldMismatches(world.database.db)).toEqual([]);
  });

  it('sends the whole kit back to routing when one location rejects its part', async () => {
    await useRules('split_components');
    const { kit, a, b } = await splitKit(4, 2);
    const placed = await placeOrder(world.server, orderBody(`SPLIT-REJECT-${n}`, [{ sku: kit, quantity: 2 }]));
    expect(placed.status).toBe(201);
    const fo = placed.body.fulfillment_orders.find((f: { location_id: string }) => f.location_id === world.net.storeB);
    const rejected = await request('POST', `/v1/fulfillment-orders/${fo.id}/reject`, { reason: 'closed' });
    expect(rejected.status).toBe(200);
    // Store B is left out now, so no location has Q: the kit waits, and store A's P is free again.
    expect(await level(world.net.storeA, a)).toMatchObject({ reserved: 0 });
    expect(await level(world.net.storeB, b)).toMatchObject({ reserved: 0 });
    expect((await order(placed.body.id)).lines[0].quantities).toMatchObject({ allocated: 0, backordered: 2 });
    expect(await ledgerMismatches(world.database.db)).toEqual([]);
    expect(await heldMismatches(world.database.db)).toEqual([]);
  });

  it("records a short pick of one part on that location's components and sends the whole kit back to routing", async () => {
    await useRules('split_components');
    const { kit, a, b } = await splitKit(4, 2);
    const placed = await placeOrder(world.server, orderBody(`SPLIT-SHORT-${n}`, [{ sku: kit, quantity: 2 }]));
    expect(placed.status).toBe(201);
    const fo = placed.body.fulfillment_orders.find((f: { location_id: string }) => f.location_id === world.net.storeA);
    expect((await request('POST', `/v1/fulfillment-orders/${fo.id}/accept`, {})).status).toBe(200);
    const picked = await request('POST', `/v1/fulfillment-orders/${fo.id}/pick`, {
      shortages: [{ line_id: 'L1', quantity: 1 }],
    });
    expect(picked.status).toBe(200);
    // One kit's P (2 units) left store A's stock; both kits were released and routed again
    // without store A, the only one with P: they wait, and nothing stays reserved.
    expect(await level(world.net.storeA, a)).toMatchObject({ on_hand: 2, reserved: 0 });
    expect(await level(world.net.storeB, b)).toMatchObject({ on_hand: 2, reserved: 0 });
    const ledger = (await request('GET', `/v1/inventory/ledger?location_id=${world.net.storeA}&sku=${a}`)).body.data;
    expect(ledger.find((r: { kind: string }) => r.kind === 'shortage')).toMatchObject({
      on_hand_delta: -2,
      reason: expect.stringContaining(`bundle ${kit} line L1, split kit`),
    });
    const after = await order(placed.body.id);
    expect(after.lines[0].quantities.shipped).toBe(0);
    expect(after.lines[0].quantities).toMatchObject({ allocated: 0, backordered: 2 });
    expect(await ledgerMismatches(world.database.db)).toEqual([]);
    expect(await heldMismatches(world.database.db)).toEqual([]);
  });
});
