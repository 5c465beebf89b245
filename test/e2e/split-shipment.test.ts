import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  aftershipTrackingUpdate,
  easypostTrackerUpdated,
  postAftership,
  postEasypost,
} from '../support/carrier-webhooks.ts';
import { must } from '../support/client.ts';
import { heldMismatches, ledgerMismatches } from '../support/invariants.ts';
import { expectEveryEventDeliveredOnce, startJourney, type Journey } from '../support/journey.ts';
import { orderBody } from '../support/orders.ts';

/**
 * Ship from store, split: no one location holds the whole order, so it leaves from two stores
 * in two parcels with two carriers, and the carriers' own webhooks (EasyPost for one, AfterShip
 * for the other, signed with the server's secrets) carry it to delivered.
 */
const SKU_MIDTOWN = 'SPLIT-CHAIR';
const SKU_BROOKLYN = 'SPLIT-TABLE';
const UPS_TRACKING = '1ZE2E0000000000001';
const USPS_TRACKING = '9400100000000000000001';

let journey: Journey;
let orderId: string;
const shipmentOf: Record<string, string> = {};

beforeAll(async () => {
  journey = await startJourney({
    skus: [SKU_MIDTOWN, SKU_BROOKLYN],
    prepare: async (request, { midtown, brooklyn }) => {
      await must(request, 'PUT', `/v1/inventory/${midtown}/${SKU_MIDTOWN}`, { on_hand: 3 });
      await must(request, 'PUT', `/v1/inventory/${brooklyn}/${SKU_BROOKLYN}`, { on_hand: 2 });
    },
  });
});
afterAll(async () => {
  await journey?.close();
});

const step = (foId: string, name: string, body: unknown = {}) =>
  must(journey.request, 'POST', `/v1/fulfillment-orders/${foId}/${name}`, body);
const getOrder = (id: string) => must(journey.request, 'GET', `/v1/orders/${id}`);
const shipmentStatus = async (id: string) => (await must(journey.request, 'GET', `/v1/shipments/${id}`)).status;

describe('ship from store, split over two stores, tracked by two carrier services', () => {
  it('splits the order into one fulfillment order per store', async () => {
    const placed = await must(
      journey.request,
      'POST',
      '/v1/orders',
      orderBody('SPLIT-1', [
        { sku: SKU_MIDTOWN, quantity: 3 },
        { sku: SKU_BROOKLYN, quantity: 2 },
      ]),
    );
    orderId = placed.id;
    expect(placed.status).toBe('in_process');
    const byLocation = Object.fromEntries(
      placed.fulfillment_orders.map((fo: { location_id: string; lines: unknown[] }) => [fo.location_id, fo.lines]),
    );
    expect(byLocation).toEqual({
      [journey.network.midtown]: [expect.objectContaining({ line_id: 'L1', quantity: 3 })],
      [journey.network.brooklyn]: [expect.objectContaining({ line_id: 'L2', quantity: 2 })],
    });
    const routing = await must(journey.request, 'GET', `/v1/orders/${orderId}/routing`);
    expect(routing.decisions.map((d: { cause: string }) => d.cause)).toEqual(['capture']);
  });

  it('ships each part with its own tracking number: partially shipped, then shipped', async () => {
    const order = await getOrder(orderId);
    const foAt = (location: string) =>
      order.fulfillment_orders.find((fo: { location_id: string }) => fo.location_id === location).id as string;
    const parcels = [
      { fo: foAt(journey.network.midtown), carrier: 'ups', tracking: UPS_TRACKING, after: 'partially_shipped' },
      { fo: foAt(journey.network.brooklyn), carrier: 'usps', tracking: USPS_TRACKING, after: 'shipped' },
    ];
    for (const parcel of parcels) {
      for (const name of ['accept', 'pick', 'pack']) await step(parcel.fo, name);
      const shipped = await step(parcel.fo, 'ship', { carrier: parcel.carrier, tracking_number: parcel.tracking });
      expect(shipped.status).toBe('shipped');
      shipmentOf[parcel.tracking] = shipped.shipment_id;
      expect((await getOrder(orderId)).status).toBe(parcel.after);
    }
    const shipped = await getOrder(orderId);
    expect(shipped.shipments.map((s: { tracking_number: string }) => s.tracking_number).sort()).toEqual(
      [UPS_TRACKING, USPS_TRACKING].sort(),
    );
  });

  it('takes signed EasyPost and AfterShip updates: in transit, then delivered one parcel at a time', async () => {
    const ups = shipmentOf[UPS_TRACKING]!;
    const usps = shipmentOf[USPS_TRACKING]!;

    const upsMoving = await postEasypost(journey.request, easypostTrackerUpdated(UPS_TRACKING, 'in_transit'));
    expect(upsMoving.status, JSON.stringify(upsMoving.body)).toBe(200);
    expect(upsMoving.body).toMatchObject({ result: 'recorded', shipment_id: ups, status: 'in_transit' });
    const uspsMoving = await postAftership(journey.request, aftershipTrackingUpdate(USPS_TRACKING, 'in_transit'));
    expect(uspsMoving.status, JSON.stringify(uspsMoving.body)).toBe(200);
    expect(uspsMoving.body).toMatchObject({ result: 'recorded', shipment_id: usps, status: 'in_transit' });
    expect([await shipmentStatus(ups), await shipmentStatus(usps)]).toEqual(['in_transit', 'in_transit']);
    expect((await getOrder(orderId)).status).toBe('shipped');

    const upsDelivered = await postEasypost(journey.request, easypostTrackerUpdated(UPS_TRACKING, 'delivered'));
    expect(upsDelivered.body).toMatchObject({ result: 'recorded', status: 'delivered' });
    expect(await shipmentStatus(ups)).toBe('delivered');
    expect((await getOrder(orderId)).status).toBe('partially_delivered');

    const uspsDelivered = await postAftership(journey.request, aftershipTrackingUpdate(USPS_TRACKING, 'delivered'));
    expect(uspsDelivered.body).toMatchObject({ result: 'recorded', status: 'delivered' });
    const delivered = await getOrder(orderId);
    expect(delivered.status).toBe('delivered');
    expect(delivered.fulfillment_orders.map((fo: { status: string }) => fo.status)).toEqual(['delivered', 'delivered']);
    expect(delivered.lines.map((l: { quantities: { delivered: number } }) => l.quantities.delivered)).toEqual([3, 2]);
    expect(await ledgerMismatches(journey.database.db)).toEqual([]);
    expect(await heldMismatches(journey.database.db)).toEqual([]);
  });

  it('refuses a carrier update that is not signed with the server’s secret', async () => {
    const forged = await postEasypost(journey.request, easypostTrackerUpdated(UPS_TRACKING, 'delivered'), 'not-it');
    expect(forged.status).toBe(401);
    expect(forged.body.code).toBe('invalid_signature');
  });

  it('delivers every event to the subscriber once, signed, tracking updates included', async () => {
    expect(journey.lastEventIdBefore, 'the stock set-up came before the subscription').toBeGreaterThan(0);
    const events = await expectEveryEventDeliveredOnce(journey);
    const ofOrder = events.filter((e) => e.subject_id === orderId);
    const statuses = ofOrder.filter((e) => e.type === 'order.status_changed').map((e) => e.data.to);
    expect(statuses).toEqual(
      expect.arrayContaining(['in_process', 'partially_shipped', 'shipped', 'partially_delivered', 'delivered']),
    );
    const tracking = ofOrder.filter((e) => e.type === 'shipment.tracking_updated');
    expect(new Set(tracking.map((e) => e.data.source))).toEqual(new Set(['easypost', 'aftership']));
    expect(new Set(tracking.map((e) => e.data.tracking_number))).toEqual(new Set([UPS_TRACKING, USPS_TRACKING]));
    expect(ofOrder.filter((e) => e.type === 'shipment.delivered')).toHaveLength(2);
  });
});
