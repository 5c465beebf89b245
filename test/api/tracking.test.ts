import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/index.ts';
import { query, queryOne } from '../../src/db/index.ts';
import { aftershipSignature, easypostSignature } from '../../src/tracking/signatures.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createSmallNetwork, setStock, type SmallNetwork } from '../support/fixtures.ts';
import { countRows, tableCounts } from '../support/invariants.ts';
import { orderBody, placeOrder } from '../support/orders.ts';
import type { TestServer } from '../support/server.ts';
import { shipDirectly, startTrackingServer } from '../support/shipments.ts';

const EASYPOST_SECRET = 'whsec_consign_tracking_tests';
const AFTERSHIP_SECRET = 'as_consign_tracking_tests';
const SHIPPO_TOKEN = 'shippo_token_consign_tracking_tests';
const SECRET_VARIABLES = [
  'CONSIGN_EASYPOST_WEBHOOK_SECRET',
  'CONSIGN_AFTERSHIP_WEBHOOK_SECRET',
  'CONSIGN_SHIPPO_WEBHOOK_TOKEN',
] as const;

let database: TestDatabase;
let server: TestServer;
let net: SmallNetwork;
let orderCount = 0;

type Json = Record<string, unknown>;
type Fixture = any;

const fixture = (name: string): Fixture =>
  JSON.parse(readFileSync(new URL(`../fixtures/carriers/${name}`, import.meta.url), 'utf8')) as Fixture;

function easypostBody(
  trackingNumber: string,
  name = 'easypost/tracker-updated-in-transit.json',
  carrier = 'UPS',
): string {
  const body = fixture(name);
  body.result.tracking_code = trackingNumber;
  body.result.carrier = carrier;
  return JSON.stringify(body);
}

function aftershipBody(trackingNumber: string, name = 'aftership/tracking-update-in-transit.json'): string {
  const body = fixture(name);
  body.msg.tracking_number = trackingNumber;
  return JSON.stringify(body);
}

function shippoBody(trackingNumber: string, name = 'shippo/track-updated-transit.json'): string {
  const body = fixture(name);
  body.data.tracking_number = trackingNumber;
  return JSON.stringify(body);
}

const postEasypost = (raw: string, secret = EASYPOST_SECRET, on = server) =>
  on.request('POST', '/v1/webhooks/carriers/easypost', {
    rawBody: raw,
    key: null,
    headers: { 'x-hmac-signature': easypostSignature(raw, secret) },
  });
const postAftership = (raw: string, secret = AFTERSHIP_SECRET) =>
  server.request('POST', '/v1/webhooks/carriers/aftership', {
    rawBody: raw,
    key: null,
    headers: { 'aftership-hmac-sha256': aftershipSignature(raw, secret) },
  });
const postShippo = (raw: string, token = SHIPPO_TOKEN) =>
  server.request('POST', `/v1/webhooks/carriers/shippo?token=${encodeURIComponent(token)}`, {
    rawBody: raw,
    key: null,
  });

/** An order of `lines` placed through the API; every unit comes from store A. */
async function placeOrderOf(lines: { sku: string; quantity: number }[]): Promise<Json & { id: string }> {
  orderCount += 1;
  const response = await placeOrder(server, orderBody(`TRK-${orderCount}`, lines));
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

/** An order of one line, shipped whole in one shipment with this tracking number. */
async function shippedOrder(trackingNumber: string, carrier = 'ups', quantity = 2) {
  const order = await placeOrderOf([{ sku: net.skus[0]!, quantity }]);
  const shipmentId = await shipDirectly(database.db, order.id, { carrier, trackingNumber });
  return { orderId: order.id, shipmentId };
}

const getOrder = async (id: string) => (await server.request('GET', `/v1/orders/${id}`)).body;
const getShipment = async (id: string) => (await server.request('GET', `/v1/shipments/${id}`)).body;
const eventsOf = (orderId: string, type: string) =>
  query<{ payload: Json }>(
    database.db,
    sql`select payload from events where subject_id = ${orderId} and type = ${type} order by id`,
  );
const countTracking = (shipmentId: string) =>
  queryOne<{ n: number }>(
    database.db,
    sql`select count(*)::int as n from tracking_events where shipment_id = ${shipmentId}`,
  ).then((r) => r!.n);

beforeAll(async () => {
  process.env.CONSIGN_EASYPOST_WEBHOOK_SECRET = EASYPOST_SECRET;
  process.env.CONSIGN_AFTERSHIP_WEBHOOK_SECRET = AFTERSHIP_SECRET;
  process.env.CONSIGN_SHIPPO_WEBHOOK_TOKEN = SHIPPO_TOKEN;
  database = await createTestDatabase();
  server = await startTrackingServer(database);
  net = await createSmallNetwork(server, 3);
  for (const sku of net.skus) await setStock(server, net.storeA, sku, 500);
  // routing needs coordinates to rate a location
  for (const [id, latitude, longitude] of [
    [net.storeA, 42.3601, -71.0589],
    [net.storeB, 42.6526, -73.7562],
  ] as const) {
    await server.request('PATCH', `/v1/locations/${id}`, { body: { latitude, longitude } });
  }
});
afterAll(async () => {
  await server?.close();
  await database?.close();
  for (const name of SECRET_VARIABLES) delete process.env[name];
});

describe('POST /v1/shipments/{id}/tracking-events (Consign format)', () => {
  it('records events, derives the shipment status and shows them in the shipment and order timelines', async () => {
    const { orderId, shipmentId } = await shippedOrder('1ZOWN0000000000001');
    const body = {
      events: [
        { status: 'pre_transit', description: 'Label created', occurred_at: '2025-06-01T09:00:00Z' },
        {
          id: 'scan-2',
          status: 'in_transit',
          description: 'Departed facility',
          location: 'Secaucus, NJ',
          occurred_at: '2025-06-01T21:30:00Z',
        },
      ],
    };
    const first = await server.request('POST', `/v1/shipments/${shipmentId}/tracking-events`, { body });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      recorded: 2,
      duplicates: 0,
      shipment: { id: shipmentId, status: 'in_transit', last_event_at: '2025-06-01T21:30:00.000Z' },
    });
    expect(first.body.shipment.tracking.map((e: Json) => [e.status, e.source, e.location])).toEqual([
      ['pre_transit', 'api', null],
      ['in_transit', 'api', 'Secaucus, NJ'],
    ]);

    const again = await server.request('POST', `/v1/shipments/${shipmentId}/tracking-events`, { body });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ recorded: 0, duplicates: 2 });
    expect(await countTracking(shipmentId)).toBe(2);

    const order = await getOrder(orderId);
    const updates = order.timeline.filter((e: Json) => e.type === 'shipment.tracking_updated');
    expect(updates.map((e: { data: Json }) => e.data.status)).toEqual(['pre_transit', 'in_transit']);
    expect(updates[1].data).toMatchObject({
      shipment_id: shipmentId,
      tracking_number: '1ZOWN0000000000001',
      description: 'Departed facility',
      occurred_at: '2025-06-01T21:30:00.000Z',
    });
  });

  it('keeps a delivered shipment delivered whatever arrives after it, and delivers the order once', async () => {
    const { orderId, shipmentId } = await shippedOrder('1ZOWN0000000000002');
    const post = (events: Json[]) =>
      server.request('POST', `/v1/shipments/${shipmentId}/tracking-events`, { body: { events } });
    const delivered = await post([
      { status: 'delivered', description: 'Left at front door', occurred_at: '2025-06-03T15:00:00Z' },
    ]);
    expect(delivered.body.shipment).toMatchObject({ status: 'delivered', delivered_at: '2025-06-03T15:00:00.000Z' });
    expect(await getOrder(orderId)).toMatchObject({
      status: 'delivered',
      lines: [{ quantities: { shipped: 2, delivered: 2 } }],
    });

    const late = await post([
      { status: 'in_transit', occurred_at: '2025-06-02T10:00:00Z' }, // older, arriving late
      { status: 'out_for_delivery', occurred_at: '2025-06-04T08:00:00Z' }, // newer, but delivered is final
    ]);
    expect(late.status).toBe(201);
    expect(late.body.shipment).toMatchObject({
      status: 'delivered',
      delivered_at: '2025-06-03T15:00:00.000Z',
      last_event_at: '2025-06-04T08:00:00.000Z',
    });
    const order = await getOrder(orderId);
    expect(order).toMatchObject({ status: 'delivered', lines: [{ quantities: { shipped: 2, delivered: 2 } }] });
    expect(order.fulfillment_orders[0].status).toBe('delivered');
    expect(await eventsOf(orderId, 'shipment.delivered')).toHaveLength(1);
  });

  it('replays a retry with the same Idempotency-Key', async () => {
    const { shipmentId } = await shippedOrder('1ZOWN0000000000003');
    const body = { events: [{ status: 'in_transit', occurred_at: '2025-06-01T10:00:00Z' }] };
    const headers = { 'idempotency-key': 'trk-retry-1' };
    const first = await server.request('POST', `/v1/shipments/${shipmentId}/tracking-events`, { body, headers });
    const retry = await server.request('POST', `/v1/shipments/${shipmentId}/tracking-events`, { body, headers });
    expect([first.status, retry.status]).toEqual([201, 201]);
    expect(retry.body).toEqual(first.body);
    const other = await server.request('POST', `/v1/shipments/${shipmentId}/tracking-events`, {
      body: { events: [{ status: 'exception', occurred_at: '2025-06-01T11:00:00Z' }] },
      headers,
    });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('idempotency_conflict');
  });

  it('refuses invalid bodies and unknown shipments, writing nothing', async () => {
    const { shipmentId } = await shippedOrder('1ZOWN0000000000004');
    const before = { ...(await tableCounts(database.db)), tracking: await countRows(database.db, 'tracking_events') };
    const post = (body: unknown, id = shipmentId) =>
      server.request('POST', `/v1/shipments/${id}/tracking-events`, { body });
    const cases: [unknown, number, string][] = [
      [{ events: [] }, 400, 'validation_failed'],
      [{ events: [{ status: 'lost_in_space', occurred_at: '2025-06-01T10:00:00Z' }] }, 400, 'validation_failed'],
      [{ events: [{ status: 'in_transit', occurred_at: 'yesterday' }] }, 400, 'validation_failed'],
      [
        { events: [{ status: 'in_transit', occurred_at: '2025-06-01T10:00:00Z', colour: 'brown' }] },
        400,
        'validation_failed',
      ],
      [{ events: [{ status: 'in_transit', occurred_at: '2025-06-01T10:00:00Z' }], extra: 1 }, 400, 'validation_failed'],
    ];
    for (const [body, status, code] of cases) {
      const response = await post(body);
      expect([response.status, response.body.code], JSON.stringify(body)).toEqual([status, code]);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
    const unknown = await post({ events: [{ status: 'in_transit', occurred_at: '2025-06-01T10:00:00Z' }] }, 'shp_nope');
    expect([unknown.status, unknown.body.code]).toEqual([404, 'not_found']);
    expect({ ...(await tableCounts(database.db)), tracking: await countRows(database.db, 'tracking_events') }).toEqual(
      before,
    );
  });

  it('lets agents post; channel keys read their own shipments but may not post', async () => {
    const { shipmentId } = await shippedOrder('1ZOWN0000000000005');
    const agent = await createApiKey(database.db, { role: 'agent', name: 'cs' });
    const channel = await createApiKey(database.db, { role: 'channel', name: 'web', channelId: net.channelId });
    const body = { events: [{ status: 'in_transit', occurred_at: '2025-06-01T10:00:00Z' }] };
    expect(
      (await server.request('POST', `/v1/shipments/${shipmentId}/tracking-events`, { body, key: agent.secret })).status,
    ).toBe(201);
    expect(
      (await server.request('POST', `/v1/shipments/${shipmentId}/tracking-events`, { body, key: channel.secret }))
        .status,
    ).toBe(403);
    expect(
      (await server.request('POST', `/v1/shipments/${shipmentId}/tracking-events`, { body, key: null })).status,
    ).toBe(401);
    const read = await server.request('GET', `/v1/shipments/${shipmentId}`, { key: channel.secret });
    expect(read.status).toBe(200);
    expect(read.body.lines).toEqual([{ line_id: 'L1', sku: net.skus[0], quantity: 2 }]);
    expect((await server.request('GET', '/v1/shipments/shp_nope')).status).toBe(404);
  });
});

describe('POST /v1/webhooks/carriers/{carrier}', () => {
  it('takes signed EasyPost tracker webhooks; a later one fills in the history and delivers the order', async () => {
    const { orderId, shipmentId } = await shippedOrder('1ZEASYPOST00000001', 'ups', 3);
    const first = await postEasypost(easypostBody('1ZEASYPOST00000001'));
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      result: 'recorded',
      shipment_id: shipmentId,
      order_id: orderId,
      recorded: 3,
      duplicates: 0,
      status: 'in_transit',
    });
    expect((await getOrder(orderId)).status).toBe('shipped');

    const later = await postEasypost(easypostBody('1ZEASYPOST00000001', 'easypost/tracker-updated-delivered.json'));
    expect(later.body).toMatchObject({ recorded: 3, duplicates: 3, status: 'delivered' });
    const shipment = await getShipment(shipmentId);
    expect(shipment).toMatchObject({ status: 'delivered', delivered_at: '2025-03-06T13:47:00.000Z' });
    expect(shipment.tracking.map((e: Json) => e.status)).toEqual([
      'pre_transit',
      'in_transit',
      'in_transit',
      'in_transit',
      'out_for_delivery',
      'delivered',
    ]);
    expect(shipment.tracking.every((e: Json) => e.source === 'easypost')).toBe(true);
    expect(shipment.tracking[5]).toMatchObject({
      raw_status: 'delivered/arrived_at_destination',
      description: 'Delivered',
      location: 'NEW YORK, NY, 10118, US',
    });

    const order = await getOrder(orderId);
    expect(order).toMatchObject({ status: 'delivered', lines: [{ quantities: { shipped: 3, delivered: 3 } }] });
    expect(order.fulfillment_orders[0].status).toBe('delivered');
    expect(order.timeline.map((e: Json) => e.type)).toEqual(
      expect.arrayContaining(['shipment.delivered', 'fulfillment_order.delivered']),
    );
  });

  it('ignores a repeated delivery: nothing is recorded or counted twice', async () => {
    const { orderId, shipmentId } = await shippedOrder('1ZEASYPOST00000002');
    const delivered = easypostBody('1ZEASYPOST00000002', 'easypost/tracker-updated-delivered.json');
    expect((await postEasypost(delivered)).body).toMatchObject({ recorded: 6, status: 'delivered' });
    const outboxBefore = await countRows(database.db, 'events');
    const again = await postEasypost(delivered);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ recorded: 0, duplicates: 6, status: 'delivered' });
    expect(await countTracking(shipmentId)).toBe(6);
    expect(await countRows(database.db, 'events')).toBe(outboxBefore);
    expect(await eventsOf(orderId, 'shipment.delivered')).toHaveLength(1);
    expect((await getOrder(orderId)).lines[0].quantities).toMatchObject({ shipped: 2, delivered: 2 });
  });

  it('records a late in-transit webhook after the delivery without moving the shipment back', async () => {
    const { orderId, shipmentId } = await shippedOrder('1ZEASYPOST00000006');
    await postEasypost(easypostBody('1ZEASYPOST00000006', 'easypost/tracker-updated-delivered.json'));
    const stale = fixture('easypost/tracker-updated-in-transit.json');
    stale.result.tracking_code = '1ZEASYPOST00000006';
    stale.result.tracking_details.push({
      ...stale.result.tracking_details[2],
      message: 'Arrived at Hub',
      status_detail: 'arrived_at_facility',
      datetime: '2025-03-04T18:00:00Z',
    });
    const late = await postEasypost(JSON.stringify(stale));
    expect(late.body).toMatchObject({ recorded: 1, duplicates: 3, status: 'delivered' });
    expect(await getShipment(shipmentId)).toMatchObject({
      status: 'delivered',
      delivered_at: '2025-03-06T13:47:00.000Z',
    });
    expect((await getOrder(orderId)).status).toBe('delivered');
  });

  it('counts a delivery once when the same webhook arrives several times at once', async () => {
    const { orderId, shipmentId } = await shippedOrder('1ZEASYPOST00000007', 'ups', 4);
    const delivered = easypostBody('1ZEASYPOST00000007', 'easypost/tracker-updated-delivered.json');
    const answers = await Promise.all(Array.from({ length: 6 }, () => postEasypost(delivered)));
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(200));
    expect(answers.reduce((n, a) => n + (a.body.recorded as number), 0)).toBe(6);
    expect(await countTracking(shipmentId)).toBe(6);
    expect(await eventsOf(orderId, 'shipment.delivered')).toHaveLength(1);
    expect(await eventsOf(orderId, 'shipment.tracking_updated')).toHaveLength(6);
    expect(await getOrder(orderId)).toMatchObject({
      status: 'delivered',
      lines: [{ quantities: { shipped: 4, delivered: 4 } }],
    });
  });

  it('takes signed AfterShip webhooks', async () => {
    const { orderId, shipmentId } = await shippedOrder('9405511899223100000101', 'usps');
    const first = await postAftership(aftershipBody('9405511899223100000101'));
    expect(first.body).toMatchObject({
      result: 'recorded',
      shipment_id: shipmentId,
      recorded: 3,
      status: 'in_transit',
    });
    const later = await postAftership(
      aftershipBody('9405511899223100000101', 'aftership/tracking-update-delivered.json'),
    );
    expect(later.body).toMatchObject({ recorded: 2, duplicates: 3, status: 'delivered' });
    expect((await getShipment(shipmentId)).delivered_at).toBe('2025-05-14T14:21:00.000Z');
    expect((await getOrder(orderId)).status).toBe('delivered');
  });

  it('takes Shippo webhooks carrying the configured token, and refuses another token', async () => {
    const { shipmentId } = await shippedOrder('9400111899223100000201', 'usps');
    const refused = await postShippo(shippoBody('9400111899223100000201'), 'not-the-token');
    expect([refused.status, refused.body.code]).toEqual([401, 'invalid_signature']);
    expect(await countTracking(shipmentId)).toBe(0);
    const accepted = await postShippo(shippoBody('9400111899223100000201'));
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({
      result: 'recorded',
      shipment_id: shipmentId,
      recorded: 3,
      status: 'in_transit',
    });
  });

  it('delivers an order partly, then wholly, as its shipments arrive', async () => {
    const order = await placeOrderOf([
      { sku: net.skus[1]!, quantity: 1 },
      { sku: net.skus[2]!, quantity: 2 },
    ]);
    const first = await shipDirectly(database.db, order.id, {
      carrier: 'usps',
      trackingNumber: '9405511899223100000301',
      lines: [{ line_id: 'L1', quantity: 1 }],
    });
    await shipDirectly(database.db, order.id, {
      carrier: 'usps',
      trackingNumber: '9400111899223100000302',
      lines: [{ line_id: 'L2', quantity: 2 }],
    });
    expect((await getOrder(order.id)).status).toBe('shipped');

    await postAftership(aftershipBody('9405511899223100000301', 'aftership/tracking-update-delivered.json'));
    let view = await getOrder(order.id);
    expect(view.status).toBe('partially_delivered');
    expect(view.lines.map((l: { quantities: Json }) => l.quantities.delivered)).toEqual([1, 0]);
    expect(view.fulfillment_orders[0].status).toBe('shipped'); // the other shipment is still on its way
    expect((await getShipment(first)).status).toBe('delivered');

    expect(
      (await postShippo(shippoBody('9400111899223100000302', 'shippo/track-updated-delivered.json'))).body.status,
    ).toBe('delivered');
    view = await getOrder(order.id);
    expect(view.status).toBe('delivered');
    expect(view.lines.map((l: { quantities: Json }) => l.quantities.delivered)).toEqual([1, 2]);
    expect(view.fulfillment_orders[0].status).toBe('delivered');
    expect((await eventsOf(order.id, 'fulfillment_order.delivered')).length).toBe(1);
  });

  it('refuses a bad signature with 401 problem+json and writes nothing', async () => {
    const { shipmentId } = await shippedOrder('1ZEASYPOST00000003');
    const before = { ...(await tableCounts(database.db)), tracking: await countRows(database.db, 'tracking_events') };
    const raw = easypostBody('1ZEASYPOST00000003');
    const attempts = [
      await postEasypost(raw, 'whsec_wrong'),
      await server.request('POST', '/v1/webhooks/carriers/easypost', { rawBody: raw, key: null }),
      // signed, then changed in transit
      await server.request('POST', '/v1/webhooks/carriers/easypost', {
        rawBody: raw.replace('in_transit', 'delivered'),
        key: null,
        headers: { 'x-hmac-signature': easypostSignature(raw, EASYPOST_SECRET) },
      }),
      await postAftership(aftershipBody('1ZEASYPOST00000003'), 'as_wrong'),
      await server.request('POST', '/v1/webhooks/carriers/shippo', {
        rawBody: shippoBody('1ZEASYPOST00000003'),
        key: null,
      }),
    ];
    for (const response of attempts) {
      expect([response.status, response.body.code]).toEqual([401, 'invalid_signature']);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
    expect({ ...(await tableCounts(database.db)), tracking: await countRows(database.db, 'tracking_events') }).toEqual(
      before,
    );
    expect((await getShipment(shipmentId)).status).toBe('label_created');
  });

  it('acknowledges, without recording, updates for unknown tracking numbers, other carriers and other event types', async () => {
    const { shipmentId } = await shippedOrder('1ZEASYPOST00000004');
    const unknown = await postEasypost(easypostBody('1ZNOTOURS000000001'));
    expect(unknown.status).toBe(202);
    expect(unknown.body).toMatchObject({ result: 'ignored', reason: 'unknown_tracking_number' });
    const otherCarrier = await postEasypost(
      easypostBody('1ZEASYPOST00000004', 'easypost/tracker-updated-in-transit.json', 'FedEx'),
    );
    expect(otherCarrier.body).toMatchObject({ result: 'ignored', reason: 'unknown_tracking_number' });
    const batch = await postEasypost(JSON.stringify(fixture('easypost/batch-updated.json')));
    expect(batch.status).toBe(202);
    expect(batch.body).toMatchObject({ result: 'ignored', reason: 'not_a_tracking_event' });
    const transaction = await postShippo(JSON.stringify(fixture('shippo/transaction-created.json')));
    expect(transaction.body).toMatchObject({ result: 'ignored', reason: 'not_a_tracking_event' });
    expect(await countTracking(shipmentId)).toBe(0);
  });

  it('answers signed but unreadable bodies and unknown services with problem+json', async () => {
    const malformed = await postEasypost('{"object": "Event", ');
    expect([malformed.status, malformed.body.code]).toEqual([400, 'malformed_json']);
    const body = fixture('easypost/tracker-updated-in-transit.json');
    delete body.result.tracking_code;
    const invalid = await postEasypost(JSON.stringify(body));
    expect([invalid.status, invalid.body.code]).toEqual([400, 'validation_failed']);
    expect(invalid.body.errors).toEqual([{ pointer: '/result/tracking_code', message: expect.any(String) }]);
    const unknown = await server.request('POST', '/v1/webhooks/carriers/parcelforce', { body: {}, key: null });
    expect([unknown.status, unknown.body.code]).toEqual([404, 'not_found']);
    const text = await server.request('POST', '/v1/webhooks/carriers/easypost', {
      rawBody: 'hello',
      key: null,
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(415);
  });

  it('answers 503 naming the variable to set when a service has no secret configured', async () => {
    const saved = Object.fromEntries(SECRET_VARIABLES.map((name) => [name, process.env[name]]));
    for (const name of SECRET_VARIABLES) delete process.env[name];
    const bare = await startTrackingServer(database);
    try {
      const raw = easypostBody('1ZEASYPOST00000005');
      const easypost = await postEasypost(raw, EASYPOST_SECRET, bare);
      expect([easypost.status, easypost.body.code, easypost.body.variable]).toEqual([
        503,
        'service_unavailable',
        'CONSIGN_EASYPOST_WEBHOOK_SECRET',
      ]);
      expect(easypost.body.detail).toContain('CONSIGN_EASYPOST_WEBHOOK_SECRET');
      const shippo = await bare.request('POST', `/v1/webhooks/carriers/shippo?token=${SHIPPO_TOKEN}`, {
        rawBody: shippoBody('x'),
        key: null,
      });
      expect([shippo.status, shippo.body.variable]).toEqual([503, 'CONSIGN_SHIPPO_WEBHOOK_TOKEN']);
      const aftership = await bare.request('POST', '/v1/webhooks/carriers/aftership', {
        rawBody: aftershipBody('x'),
        key: null,
      });
      expect([aftership.status, aftership.body.variable]).toEqual([503, 'CONSIGN_AFTERSHIP_WEBHOOK_SECRET']);
    } finally {
      await bare.close();
      Object.assign(process.env, saved);
    }
  });
});
