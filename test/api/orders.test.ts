import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/index.ts';
import type { Executor } from '../../src/db/index.ts';
import { reserveAll } from '../../src/inventory/index.ts';
import { orderStatuses } from '../../src/orders/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createSmallNetwork, setStock, type SmallNetwork } from '../support/fixtures.ts';
import { heldMismatches, ledgerMismatches, tableCounts } from '../support/invariants.ts';
import { orderBody, placeOrder } from '../support/orders.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let database: TestDatabase;
let server: TestServer;
let net: SmallNetwork;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  net = await createSmallNetwork(server, 6);
  for (const sku of net.skus.slice(0, 4)) {
    await setStock(server, net.storeA, sku, 10);
    await setStock(server, net.storeB, sku, 3);
  }
  // Stores sit in Boston and Albany; give them coordinates so distance decides.
  await server.request('PATCH', `/v1/locations/${net.storeA}`, { body: { latitude: 42.3601, longitude: -71.0589 } });
  await server.request('PATCH', `/v1/locations/${net.storeB}`, { body: { latitude: 42.6526, longitude: -73.7562 } });
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

describe('POST /v1/orders', () => {
  it('captures, routes and reserves in one go, with an explanation', async () => {
    const response = await placeOrder(
      server,
      orderBody('WEB-1001', [
        { sku: net.skus[0]!, quantity: 2 },
        { sku: net.skus[1]!, quantity: 1 },
      ]),
    );
    expect(response.status).toBe(201);
    const order = response.body;
    expect(order).toMatchObject({ status: 'in_process', payment_status: 'authorized', on_hold: false });
    expect(order.fulfillment_orders).toHaveLength(1);
    expect(order.fulfillment_orders[0]).toMatchObject({ status: 'allocated', delivery_method: 'ship' });
    expect(order.lines[0].quantities).toMatchObject({ ordered: 2, allocated: 2 });
    expect(order.timeline.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['order.created', 'order.routed', 'fulfillment_order.created', 'order.status_changed']),
    );
    const routing = await server.request('GET', `/v1/orders/${order.id}/routing`);
    expect(routing.body.latest.outcome).toBe('allocated');
    const explanation = routing.body.latest.explanation.explanation;
    // The candidates are the locations holding the SKUs; the others are listed on request.
    expect(explanation.candidates.length).toBeGreaterThanOrEqual(1);
    expect(explanation.candidates.map((c: { locationId: string }) => c.locationId)).not.toContain(net.dc);
    const detailed = await server.request('GET', `/v1/orders/${order.id}/routing?detail=all`);
    const dc = detailed.body.latest.explanation.explanation.omitted.locations.find(
      (c: { locationId: string }) => c.locationId === net.dc,
    );
    expect(dc.eligible).toBe(false);
    expect(dc.excludedBy.map((e: { code: string }) => e.code)).toEqual(['not_in_channel_group', 'no_stock']);
    const level = await server.request(
      'GET',
      `/v1/inventory/${order.fulfillment_orders[0].location_id}/${net.skus[0]}`,
    );
    expect(level.body.reserved).toBe(2);
  });

  it('is one order per (channel, external_id): a replay returns it, other content is a 409', async () => {
    const body = orderBody('WEB-1002', [{ sku: net.skus[2]!, quantity: 1 }]);
    const first = await placeOrder(server, body);
    const again = await placeOrder(server, body);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    const changed = await placeOrder(server, orderBody('WEB-1002', [{ sku: net.skus[2]!, quantity: 2 }]));
    expect(changed.status).toBe(409);
    expect(changed.body.code).toBe('idempotency_conflict');
  });

  it('answers a capture with the order as read back, and writes the events every path writes', async () => {
    const sku = net.skus[3]!;
    const response = await placeOrder(server, orderBody('WEB-1010', [{ sku, quantity: 1 }]));
    expect(response.status).toBe(201);
    const order = response.body;
    expect((await server.request('GET', `/v1/orders/${order.id}`)).body).toEqual(order);
    const [fo] = order.fulfillment_orders;
    expect(order.allocations).toEqual([
      {
        id: expect.any(Number),
        line_id: order.lines[0].line_id,
        sku,
        location_id: fo.location_id,
        quantity: 1,
        status: 'reserved',
        fulfillment_order_id: fo.id,
      },
    ]);
    const decision = (await server.request('GET', `/v1/orders/${order.id}/routing`)).body.latest;
    expect(decision).toMatchObject({ cause: 'capture', outcome: 'allocated', rules_version: order.rules_version });
    const events = (await server.request('GET', `/v1/events?subject_id=${order.id}&limit=100`)).body.data;
    const head = {
      order_id: order.id,
      channel_id: order.channel_id,
      external_id: 'WEB-1010',
      actor: expect.any(String),
    };
    expect(events.map((e: { type: string; data: unknown }) => ({ type: e.type, data: e.data }))).toEqual([
      {
        type: 'order.created',
        data: { ...head, order_status: 'created', total: order.total, payment_hold: false },
      },
      {
        type: 'order.routed',
        data: {
          ...head,
          order_status: 'created',
          cause: 'capture',
          rules_version: order.rules_version,
          decision_id: decision.id,
          locations: [fo.location_id],
          backordered: [],
        },
      },
      {
        type: 'fulfillment_order.created',
        data: {
          order_id: order.id,
          channel_id: order.channel_id,
          actor: expect.any(String),
          fulfillment_order_id: fo.id,
          location_id: fo.location_id,
          delivery_method: 'ship',
          status: 'allocated',
        },
      },
      {
        type: 'order.status_changed',
        data: { ...head, order_status: 'in_process', from: 'created', to: 'in_process' },
      },
      { type: 'order.confirmed', data: { ...head, order_status: 'in_process' } },
    ]);
  });

  it('refuses money that does not add up, mixed currencies and unknown SKUs, writing nothing', async () => {
    const before = await tableCounts(database.db);
    const wrongTotal = orderBody('WEB-BAD-1', [{ sku: net.skus[0]!, quantity: 1 }]);
    wrongTotal.total = { amount: wrongTotal.total.amount + 1, currency: 'USD' };
    const r1 = await placeOrder(server, wrongTotal);
    expect(r1.status).toBe(400);
    expect(r1.body.errors[0].pointer).toBe('/total/amount');

    const mixed = orderBody('WEB-BAD-2', [{ sku: net.skus[0]!, quantity: 1 }]);
    mixed.shipping = { amount: 799, currency: 'EUR' };
    const r2 = await placeOrder(server, mixed);
    expect(r2.status).toBe(400);
    expect(r2.body.errors.map((e: { pointer: string }) => e.pointer)).toContain('/shipping');

    const unknown = await placeOrder(server, orderBody('WEB-BAD-3', [{ sku: 'NOPE', quantity: 1 }]));
    expect(unknown.status).toBe(422);
    expect(unknown.body.code).toBe('unknown_sku');

    const noAddress = await placeOrder(server, {
      ...orderBody('WEB-BAD-4', [{ sku: net.skus[0]!, quantity: 1 }]),
      shipping_address: undefined,
    });
    expect(noAddress.status).toBe(400);
    expect(await tableCounts(database.db)).toEqual(before);
  });

  it('refuses an order it cannot route, with the shortfall, reserving nothing', async () => {
    const before = await tableCounts(database.db);
    const response = await placeOrder(server, orderBody('WEB-1003', [{ sku: net.skus[3]!, quantity: 99 }]));
    expect(response.status).toBe(409);
    expect(response.body.code).toBe('insufficient_stock');
    expect(response.body.shortfalls[0]).toMatchObject({ sku: net.skus[3], requested: 99 });
    expect(await tableCounts(database.db)).toEqual(before);
  });

  it('creates an under-authorized order on a payment hold: stock reserved, no fulfillment work until released', async () => {
    const body = orderBody('WEB-1004', [{ sku: net.skus[1]!, quantity: 1 }]);
    body.payments = [
      { kind: 'authorization', amount: { amount: 100, currency: 'USD' }, gateway: 'test', reference: 'auth_low' },
    ];
    const held = await placeOrder(server, body);
    expect(held.status).toBe(201);
    expect(held.body).toMatchObject({ status: 'created', on_hold: true, payment_status: 'partially_authorized' });
    expect(held.body.holds[0].kind).toBe('payment');
    expect(held.body.fulfillment_orders).toHaveLength(0);
    expect(held.body.lines[0].quantities.allocated).toBe(1);
    const released = await server.request('POST', `/v1/orders/${held.body.id}/release-hold`, {
      body: { kind: 'payment' },
    });
    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({ status: 'in_process', on_hold: false });
    expect(released.body.fulfillment_orders).toHaveLength(1);
  });

  it('converts a cart hold into the order reservation', async () => {
    const sku = net.skus[2]!;
    const reservedBefore = (await server.request('GET', `/v1/inventory/${net.storeB}/${sku}`)).body.reserved;
    const hold = await server.request('POST', '/v1/reservations', {
      body: { lines: [{ sku, quantity: 2, location_id: net.storeB }] },
    });
    const order = await placeOrder(server, orderBody('WEB-1005', [{ sku, quantity: 2, reservation_id: hold.body.id }]));
    expect(order.status).toBe(201);
    expect(order.body.allocations).toEqual([expect.objectContaining({ location_id: net.storeB, quantity: 2 })]);
    const reservation = await server.request('GET', `/v1/reservations/${hold.body.id}`);
    expect(reservation.body).toMatchObject({ status: 'committed', order_id: order.body.id });
    expect((await server.request('GET', `/v1/inventory/${net.storeB}/${sku}`)).body.reserved).toBe(reservedBefore + 2);
  });

  it('back-orders a SKU that allows it and routes it when stock arrives', async () => {
    const sku = net.skus[5]!;
    await server.request('PATCH', `/v1/products/${sku}`, { body: { allow_backorder: true } });
    const order = await placeOrder(server, orderBody('WEB-1006', [{ sku, quantity: 2 }]));
    expect(order.status).toBe(201);
    expect(order.body.lines[0].quantities).toMatchObject({ backordered: 2, allocated: 0 });
    expect(order.body.status).toBe('confirmed');
    await server.request('POST', '/v1/inventory/adjustments', {
      body: { reason: 'PO', movements: [{ kind: 'receipt', sku, location_id: net.storeA, quantity: 5 }] },
    });
    const { rerouteBackorders } = await import('../../src/orders/index.ts');
    expect(await rerouteBackorders(database.db)).toBe(1);
    const after = await server.request('GET', `/v1/orders/${order.body.id}`);
    expect(after.body.lines[0].quantities).toMatchObject({ backordered: 0, allocated: 2 });
    expect(after.body.status).toBe('in_process');
  });

  it('re-routes waiting back-orders oldest first and leaves cancelled ones alone', async () => {
    const sku = 'FIFO-1';
    const product = await server.request('POST', '/v1/products', {
      body: { sku, name: 'Back-ordered item', allow_backorder: true },
    });
    expect(product.status).toBe(201);
    const place = async (externalId: string) => {
      const placed = await placeOrder(server, orderBody(externalId, [{ sku, quantity: 2 }]));
      expect(placed.body.lines[0].quantities).toMatchObject({ backordered: 2 });
      return placed.body.id as string;
    };
    const dropped = await place('WEB-1007');
    expect((await server.request('POST', `/v1/orders/${dropped}/cancel`, { body: { reason: 'test' } })).status).toBe(
      200,
    );
    const older = await place('WEB-1008');
    const newer = await place('WEB-1009');
    const { rerouteBackorders } = await import('../../src/orders/index.ts');
    expect(await rerouteBackorders(database.db)).toBe(0);
    await server.request('POST', '/v1/inventory/adjustments', {
      body: { reason: 'PO', movements: [{ kind: 'receipt', sku, location_id: net.storeA, quantity: 2 }] },
    });
    expect(await rerouteBackorders(database.db)).toBe(1);
    const quantities = async (id: string) => (await server.request('GET', `/v1/orders/${id}`)).body.lines[0].quantities;
    expect(await quantities(older)).toMatchObject({ allocated: 2, backordered: 0 });
    expect(await quantities(newer)).toMatchObject({ allocated: 0, backordered: 2 });
    expect(await quantities(dropped)).toMatchObject({ allocated: 0, cancelled: 2 });
  });
});

describe('cancel and hold', () => {
  it('cancels a line, releasing its stock through the ledger and voiding its value', async () => {
    const sku = net.skus[0]!;
    const order = (
      await placeOrder(
        server,
        orderBody('WEB-2001', [
          { sku, quantity: 3 },
          { sku: net.skus[1]!, quantity: 1 },
        ]),
      )
    ).body;
    const location = order.allocations.find((a: { sku: string }) => a.sku === sku).location_id;
    const reservedBefore = (await server.request('GET', `/v1/inventory/${location}/${sku}`)).body.reserved;
    const cancelled = await server.request('POST', `/v1/orders/${order.id}/cancel`, {
      body: { reason: 'customer asked', lines: [{ line_id: 'L1', quantity: 2 }] },
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.lines[0].quantities).toMatchObject({ cancelled: 2, allocated: 1 });
    expect(cancelled.body.payments.map((p: { kind: string }) => p.kind)).toContain('void');
    expect((await server.request('GET', `/v1/inventory/${location}/${sku}`)).body.reserved).toBe(reservedBefore - 2);
    const whole = await server.request('POST', `/v1/orders/${order.id}/cancel`, { body: { reason: 'fraud' } });
    expect(whole.body.status).toBe('cancelled');
    expect(whole.body.fulfillment_orders.every((f: { status: string }) => f.status === 'cancelled')).toBe(true);
    const again = await server.request('POST', `/v1/orders/${order.id}/cancel`, { body: { reason: 'again' } });
    expect(again.status).toBe(409);
    expect(await ledgerMismatches(database.db)).toEqual([]);
  });

  it('holds and releases manually', async () => {
    const order = (await placeOrder(server, orderBody('WEB-2002', [{ sku: net.skus[1]!, quantity: 1 }]))).body;
    const held = await server.request('POST', `/v1/orders/${order.id}/hold`, {
      body: { kind: 'fraud', reason: 'velocity check' },
    });
    expect(held.body).toMatchObject({ status: 'created', on_hold: true });
    const released = await server.request('POST', `/v1/orders/${order.id}/release-hold`, { body: {} });
    expect(released.body).toMatchObject({ status: 'in_process', on_hold: false });
  });
});

describe('GET /v1/orders', () => {
  it('searches across channels and limits channel keys to their own', async () => {
    const byEmail = await server.request('GET', '/v1/orders?email=web-1001@example.com');
    expect(byEmail.body.data.map((o: { external_id: string }) => o.external_id)).toEqual(['WEB-1001']);
    const bySku = await server.request('GET', `/v1/orders?sku=${net.skus[2]}`);
    expect(bySku.body.data.length).toBeGreaterThanOrEqual(2);
    const byText = await server.request('GET', '/v1/orders?q=1006');
    expect(byText.body.data[0].external_id).toBe('WEB-1006');
    const page = await server.request('GET', '/v1/orders?limit=2');
    expect(page.body.data).toHaveLength(2);
    const next = await server.request('GET', `/v1/orders?limit=2&cursor=${page.body.next_cursor}`);
    expect(next.body.data[0].id < page.body.data[1].id).toBe(true);

    const group = await server.request('GET', `/v1/location-groups/${net.groupId}`);
    const other = await server.request('POST', '/v1/channels', {
      body: { code: 'b2b', name: 'B2B', type: 'b2b', location_group_id: group.body.id },
    });
    const key = (await createApiKey(database.db, { role: 'channel', channelId: other.body.id })).secret;
    const own = await server.request('GET', '/v1/orders', { key });
    expect(own.body.data).toEqual([]);
    const foreign = await server.request('GET', `/v1/orders/${byEmail.body.data[0].id}`, { key });
    expect(foreign.status).toBe(404);
    expect(await heldMismatches(database.db)).toEqual([]);
  });
});

describe('GET /v1/orders?from=&to=', () => {
  it('lists a date window by placed date, newest first, and pages through it without gaps', async () => {
    // Placed out of creation order, as imported history is: the last one created was placed first.
    const placedAt = ['2021-03-05T10:00:00Z', '2021-03-01T10:00:00Z', '2021-03-03T10:00:00Z', '2021-02-27T10:00:00Z'];
    const ids: string[] = [];
    for (const [i, at] of placedAt.entries()) {
      const body = orderBody(`WIN-${i}`, [{ sku: net.skus[0]!, quantity: 1 }], { placed_at: at });
      const placed = await placeOrder(server, body);
      expect(placed.status).toBe(201);
      ids.push(placed.body.id);
    }
    const window = '/v1/orders?from=2021-03-01T00:00:00Z&to=2021-03-06T00:00:00Z&limit=2';
    const first = await server.request('GET', window);
    expect(first.body.data.map((o: { external_id: string }) => o.external_id)).toEqual(['WIN-0', 'WIN-2']);
    const second = await server.request('GET', `${window}&cursor=${first.body.next_cursor}`);
    expect(second.body.data.map((o: { external_id: string }) => o.external_id)).toEqual(['WIN-1']);
    expect(second.body.next_cursor).toBeNull();
    expect(ids).toHaveLength(4);
  });
});

describe('GET /v1/orders?status=', () => {
  it('filters by known statuses and refuses an unknown one, naming it and the allowed ones', async () => {
    const placed = await placeOrder(server, orderBody('WEB-STATUS-1', [{ sku: net.skus[0]!, quantity: 1 }]));
    expect(placed.status).toBe(201);
    const listed = await server.request('GET', `/v1/orders?status=${placed.body.status},cancelled`);
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((o: { id: string }) => o.id)).toContain(placed.body.id);
    const others = await server.request('GET', '/v1/orders?status=delivered');
    expect(others.body.data.map((o: { id: string }) => o.id)).not.toContain(placed.body.id);
    const bogus = await server.request('GET', '/v1/orders?status=confirmed,bogus');
    expect(bogus.status).toBe(400);
    expect(bogus.body.code).toBe('validation_failed');
    expect(bogus.body.detail).toContain('bogus');
    expect(bogus.body.detail).toContain('partially_shipped');
    expect(bogus.body.errors).toEqual([{ pointer: '/query/status', message: expect.stringContaining('"bogus"') }]);
    expect(bogus.body.allowed).toEqual(orderStatuses);
  });
});

describe('reserveAll (the reservation of an order’s plan)', () => {
  const level = async (locationId: string, sku: string) =>
    (await server.request('GET', `/v1/inventory/${locationId}/${sku}`)).body as { reserved: number; available: number };
  const reference = { referenceType: 'order', referenceId: 'ord_test', actor: 'test' };
  const inTx = <T>(work: (tx: Executor) => Promise<T>) => database.db.transaction(work);

  it('takes every level or none, summing takes of the same level', async () => {
    const [a, b] = [net.skus[4]!, net.skus[5]!];
    await setStock(server, net.dc, a, 5);
    await setStock(server, net.dc, b, 1);
    const before = await tableCounts(database.db);
    const short = [
      { locationId: net.dc, sku: a, quantity: 2 },
      { locationId: net.dc, sku: b, quantity: 2 },
    ];
    expect(await inTx((tx) => reserveAll(tx, short, reference))).toBe(false);
    expect(await tableCounts(database.db)).toEqual(before);
    expect((await level(net.dc, a)).reserved).toBe(0);

    const summed = [
      { locationId: net.dc, sku: a, quantity: 2 },
      { locationId: net.dc, sku: b, quantity: 1 },
      { locationId: net.dc, sku: a, quantity: 3 },
    ];
    expect(await inTx((tx) => reserveAll(tx, summed, reference))).toBe(true);
    expect((await level(net.dc, a)).reserved).toBe(5);
    expect((await level(net.dc, b)).reserved).toBe(1);
    expect(await ledgerMismatches(database.db)).toEqual([]);
  });

  it('lets concurrent multi-level takes neither oversell nor deadlock, whatever order they name the levels in', async () => {
    const [a, b] = [net.skus[4]!, net.skus[5]!];
    await setStock(server, net.storeA, a, 7);
    await setStock(server, net.storeA, b, 7);
    const take = (flip: boolean) => {
      const takes = [
        { locationId: net.storeA, sku: a, quantity: 1 },
        { locationId: net.storeA, sku: b, quantity: 1 },
      ];
      return inTx((tx) => reserveAll(tx, flip ? takes.reverse() : takes, reference));
    };
    const [beforeA, beforeB] = [await level(net.storeA, a), await level(net.storeA, b)];
    const room = Math.min(beforeA.available, beforeB.available);
    expect(room).toBeGreaterThan(0);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => take(i % 2 === 0)));
    expect(results.filter(Boolean)).toHaveLength(room);
    expect((await level(net.storeA, a)).reserved).toBe(beforeA.reserved + room);
    expect((await level(net.storeA, b)).reserved).toBe(beforeB.reserved + room);
    expect(await ledgerMismatches(database.db)).toEqual([]);
  });
});
