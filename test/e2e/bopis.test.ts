import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { must } from '../support/client.ts';
import { heldMismatches, ledgerMismatches } from '../support/invariants.ts';
import { expectEveryEventDeliveredOnce, startJourney, type Journey } from '../support/journey.ts';
import { orderBody } from '../support/orders.ts';

/**
 * Buy online, pick up in store, through HTTP only: the order is routed to the pickup store, the
 * store works it from its queue, the customer collects it with the code, and a subscriber gets
 * every event of it, signed, once.
 */
const SKU = 'BOPIS-LAMP';
const QUANTITY = 2;
const ON_HAND = 5;

let journey: Journey;
let orderId: string;

beforeAll(async () => {
  journey = await startJourney({
    skus: [SKU],
    prepare: async (request, { midtown, brooklyn, dc }) => {
      await must(request, 'PUT', `/v1/inventory/${midtown}/${SKU}`, { on_hand: ON_HAND });
      // The other locations hold it too: pickup must still go to the customer's store.
      await must(request, 'PUT', `/v1/inventory/${brooklyn}/${SKU}`, { on_hand: 50 });
      await must(request, 'PUT', `/v1/inventory/${dc}/${SKU}`, { on_hand: 50 });
    },
  });
});
afterAll(async () => {
  await journey?.close();
});

const step = (foId: string, name: string, body: unknown = {}) =>
  journey.request('POST', `/v1/fulfillment-orders/${foId}/${name}`, { body });
const getOrder = (id: string) => must(journey.request, 'GET', `/v1/orders/${id}`);

describe('BOPIS: order → store queue → pickup with the code', () => {
  it('routes a pickup order to the pickup store and puts it in that store’s queue', async () => {
    const { midtown } = journey.network;
    const placed = await journey.request('POST', '/v1/orders', {
      body: orderBody('BOPIS-1', [{ sku: SKU, quantity: QUANTITY }], {
        delivery_method: 'pickup',
        pickup_location_id: midtown,
      }),
    });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    orderId = placed.body.id;
    expect(placed.body.status).toBe('in_process');
    expect(placed.body.fulfillment_orders).toEqual([
      expect.objectContaining({ location_id: midtown, delivery_method: 'pickup', status: 'allocated' }),
    ]);
    const queue = await must(journey.request, 'GET', `/v1/fulfillment-orders?location_id=${midtown}&status=allocated`);
    expect(queue.data).toEqual([
      expect.objectContaining({
        order_id: orderId,
        order_external_id: 'BOPIS-1',
        delivery_method: 'pickup',
        lines: [expect.objectContaining({ line_id: 'L1', sku: SKU, quantity: QUANTITY, status: 'reserved' })],
      }),
    ]);
    const level = await must(journey.request, 'GET', `/v1/inventory/${midtown}/${SKU}`);
    expect(level).toMatchObject({ on_hand: ON_HAND, reserved: QUANTITY });
  });

  it('accepts, picks, packs and readies it; hands it over only for the right code', async () => {
    const foId = (await getOrder(orderId)).fulfillment_orders[0].id;
    for (const [name, status] of [
      ['accept', 'accepted'],
      ['pick', 'picking'],
      ['pack', 'packed'],
    ]) {
      const moved = await step(foId, name!);
      expect(moved.status, JSON.stringify(moved.body)).toBe(200);
      expect(moved.body.status).toBe(status);
    }
    const ready = await step(foId, 'ready-for-pickup');
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('ready_for_pickup');
    const code: string = ready.body.pickup_code;
    expect(code).toMatch(/^\d{6}$/);

    const wrong = await step(foId, 'picked-up', { pickup_code: code === '000000' ? '999999' : '000000' });
    expect(wrong.status).toBe(403);
    expect((await getOrder(orderId)).status).toBe('in_process');

    const handedOver = await step(foId, 'picked-up', { pickup_code: code });
    expect(handedOver.status, JSON.stringify(handedOver.body)).toBe(200);
    expect(handedOver.body.status).toBe('picked_up');
  });

  it('delivers the order, commits the stock with ship ledger rows and tells the story in the timeline', async () => {
    const { midtown } = journey.network;
    const order = await getOrder(orderId);
    expect(order.status).toBe('delivered');
    expect(order.lines[0].quantities).toMatchObject({
      ordered: QUANTITY,
      allocated: 0,
      shipped: QUANTITY,
      delivered: QUANTITY,
    });
    expect(order.shipments).toEqual([
      expect.objectContaining({ location_id: midtown, carrier: 'pickup', status: 'delivered' }),
    ]);

    const level = await must(journey.request, 'GET', `/v1/inventory/${midtown}/${SKU}`);
    expect(level).toMatchObject({ on_hand: ON_HAND - QUANTITY, reserved: 0 });
    const ledger = await must(journey.request, 'GET', `/v1/inventory/ledger?reference_id=${order.shipments[0].id}`);
    expect(ledger.data).toEqual([
      expect.objectContaining({
        kind: 'ship',
        location_id: midtown,
        sku: SKU,
        on_hand_delta: -QUANTITY,
        reserved_delta: -QUANTITY,
      }),
    ]);

    const types = order.timeline.map((e: { type: string }) => e.type);
    const inOrder = [
      'order.created',
      'order.routed',
      'fulfillment_order.accepted',
      'fulfillment_order.picking',
      'fulfillment_order.packed',
      'fulfillment_order.ready_for_pickup',
      'fulfillment_order.picked_up',
    ];
    expect(types.filter((t: string) => inOrder.includes(t))).toEqual(inOrder);
    const statuses = order.timeline
      .filter((e: { type: string }) => e.type === 'order.status_changed')
      .map((e: { data: { to: string } }) => e.data.to);
    expect(statuses.at(-1)).toBe('delivered');
    expect(await ledgerMismatches(journey.database.db)).toEqual([]);
    expect(await heldMismatches(journey.database.db)).toEqual([]);
  });

  it('delivers every event to the subscriber once, signed', async () => {
    expect(journey.lastEventIdBefore, 'the stock set-up came before the subscription').toBeGreaterThan(0);
    const events = await expectEveryEventDeliveredOnce(journey);
    const ofOrder = events.filter((e) => e.subject_id === orderId);
    const statuses = ofOrder.filter((e) => e.type === 'order.status_changed').map((e) => e.data.to);
    expect(statuses).toEqual(expect.arrayContaining(['in_process', 'delivered']));
    expect(ofOrder.map((e) => e.type)).toEqual(
      expect.arrayContaining(['order.created', 'fulfillment_order.ready_for_pickup', 'fulfillment_order.picked_up']),
    );
    expect(events.some((e) => e.type === 'inventory.availability_changed')).toBe(true);
  });
});
