import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { must } from '../support/client.ts';
import { heldMismatches, ledgerMismatches } from '../support/invariants.ts';
import { expectEveryEventDeliveredOnce, startJourney, type Journey } from '../support/journey.ts';
import { orderBody } from '../support/orders.ts';

/**
 * A store turns the work down: its reservation is released, the order is routed again without
 * it and lands on the DC of the channel's group (farther away, so it was not the first choice),
 * which ships it. The routing history explains both decisions.
 */
const SKU = 'REROUTE-KETTLE';
const QUANTITY = 2;
const ON_HAND = 10; // the same at the store and the DC: only distance tells them apart

let journey: Journey;
let orderId: string;

beforeAll(async () => {
  journey = await startJourney({
    skus: [SKU],
    prepare: async (request, { midtown, dc }) => {
      await must(request, 'PUT', `/v1/inventory/${midtown}/${SKU}`, { on_hand: ON_HAND });
      await must(request, 'PUT', `/v1/inventory/${dc}/${SKU}`, { on_hand: ON_HAND });
    },
  });
});
afterAll(async () => {
  await journey?.close();
});

const step = (foId: string, name: string, body: unknown = {}) =>
  must(journey.request, 'POST', `/v1/fulfillment-orders/${foId}/${name}`, body);
const getOrder = (id: string) => must(journey.request, 'GET', `/v1/orders/${id}`);
const level = (location: string) => must(journey.request, 'GET', `/v1/inventory/${location}/${SKU}`);
const openAt = (order: { fulfillment_orders: { location_id: string; status: string; id: string }[] }) =>
  order.fulfillment_orders.filter((fo) => !['rejected', 'cancelled'].includes(fo.status));

describe('a store rejects; the DC of the channel’s group ships instead', () => {
  it('routes the order to the nearer store first', async () => {
    const placed = await must(
      journey.request,
      'POST',
      '/v1/orders',
      orderBody('REROUTE-1', [{ sku: SKU, quantity: QUANTITY }]),
    );
    orderId = placed.id;
    expect(openAt(placed)).toEqual([
      expect.objectContaining({ location_id: journey.network.midtown, status: 'allocated' }),
    ]);
    expect(await level(journey.network.midtown)).toMatchObject({ on_hand: ON_HAND, reserved: QUANTITY });
  });

  it('releases the store’s stock on rejection and re-routes the units to the DC', async () => {
    const { midtown, dc } = journey.network;
    const storeWork = openAt(await getOrder(orderId))[0]!;
    await step(storeWork.id, 'accept');
    const rejected = await step(storeWork.id, 'reject', { reason: 'damaged on the shelf' });
    expect(rejected.status).toBe('rejected');

    const order = await getOrder(orderId);
    expect(order.status).toBe('in_process');
    expect(order.on_hold).toBe(false);
    expect(openAt(order)).toEqual([expect.objectContaining({ location_id: dc, status: 'allocated' })]);
    expect(await level(midtown)).toMatchObject({ on_hand: ON_HAND, reserved: 0 });
    expect(await level(dc)).toMatchObject({ on_hand: ON_HAND, reserved: QUANTITY });
    const rerouted = order.timeline.find((e: { type: string }) => e.type === 'order.rerouted');
    expect(rerouted.data).toMatchObject({ reason: 'damaged on the shelf', excluded_location_ids: [midtown] });
  });

  it('ships from the DC: the order is shipped and its stock committed there', async () => {
    const { dc } = journey.network;
    const dcWork = openAt(await getOrder(orderId))[0]!;
    for (const name of ['accept', 'pick', 'pack']) await step(dcWork.id, name);
    const shipped = await step(dcWork.id, 'ship', { carrier: 'fedex', tracking_number: '794600000001' });
    expect(shipped.status).toBe('shipped');
    const order = await getOrder(orderId);
    expect(order.status).toBe('shipped');
    expect(order.shipments).toEqual([expect.objectContaining({ location_id: dc, tracking_number: '794600000001' })]);
    expect(await level(dc)).toMatchObject({ on_hand: ON_HAND - QUANTITY, reserved: 0 });
    expect(await ledgerMismatches(journey.database.db)).toEqual([]);
    expect(await heldMismatches(journey.database.db)).toEqual([]);
  });

  it('explains both routing decisions, with the rejecting store excluded from the second', async () => {
    const { midtown, dc, brooklyn } = journey.network;
    const routing = await must(journey.request, 'GET', `/v1/orders/${orderId}/routing`);
    expect(routing.decisions.map((d: { cause: string }) => d.cause)).toEqual(['capture', 'reroute']);
    const [capture, reroute] = routing.decisions;
    const allocatedAt = (decision: { explanation: { allocations: { locationId: string }[] } }) =>
      decision.explanation.allocations.map((a) => a.locationId);
    expect(allocatedAt(capture)).toEqual([midtown]);
    expect(allocatedAt(reroute)).toEqual([dc]);
    const candidate = (id: string) =>
      reroute.explanation.explanation.candidates.find((c: { locationId: string }) => c.locationId === id);
    const codes = (id: string) => candidate(id).excludedBy.map((e: { code: string }) => e.code);
    expect(codes(midtown)).toContain('excluded');
    expect(codes(dc)).toEqual([]);
    // Brooklyn holds none of the SKU: counted, and listed on request.
    expect(candidate(brooklyn)).toBeUndefined();
    expect(reroute.explanation.explanation.omitted).toBeDefined();
    const detailed = await must(journey.request, 'GET', `/v1/orders/${orderId}/routing?detail=all`);
    const omitted = detailed.decisions[1].explanation.explanation.omitted.locations;
    const brooklynDetail = omitted.find((c: { locationId: string }) => c.locationId === brooklyn);
    expect(brooklynDetail.excludedBy.map((e: { code: string }) => e.code)).toContain('no_stock');
    expect(routing.latest.id).toBe(reroute.id);
  });

  it('delivers every event to the subscriber once, signed', async () => {
    expect(journey.lastEventIdBefore, 'the stock set-up came before the subscription').toBeGreaterThan(0);
    const events = await expectEveryEventDeliveredOnce(journey);
    const ofOrder = events.filter((e) => e.subject_id === orderId);
    const statuses = ofOrder.filter((e) => e.type === 'order.status_changed').map((e) => e.data.to);
    expect(statuses).toEqual(expect.arrayContaining(['in_process', 'shipped']));
    expect(ofOrder.map((e) => e.type)).toEqual(
      expect.arrayContaining(['fulfillment_order.rejected', 'order.rerouted', 'fulfillment_order.shipped']),
    );
  });
});
