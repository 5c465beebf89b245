import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { today } from '../../src/inventory/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createSmallNetwork, type SmallNetwork } from '../support/fixtures.ts';
import { heldMismatches, ledgerMismatches, tableCounts } from '../support/invariants.ts';
import { orderBody, placeOrder } from '../support/orders.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let database: TestDatabase;
let server: TestServer;
let net: SmallNetwork;

/** The day `n` days from today (UTC), `YYYY-MM-DD`. */
const day = (n: number) => new Date(Date.parse(`${today()}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  net = await createSmallNetwork(server, 6);
  // Stores sit in Boston and Albany: with coordinates, routing can place units there.
  await server.request('PATCH', `/v1/locations/${net.storeA}`, { body: { latitude: 42.3601, longitude: -71.0589 } });
  await server.request('PATCH', `/v1/locations/${net.storeB}`, { body: { latitude: 42.6526, longitude: -73.7562 } });
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

const supply = (reference: string, sku: string, quantity: number, on: number, over: Record<string, unknown> = {}) => ({
  kind: 'purchase_order',
  reference,
  location_id: net.storeA,
  expected_on: day(on),
  lines: [{ sku, quantity }],
  ...over,
});

async function createSupply(body: unknown) {
  const response = await server.request('POST', '/v1/supplies', { body });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { id: string; status: string; expected_on: string; lines: { sku: string }[] };
}

async function events(type: string, subjectId: string) {
  const response = await server.request('GET', `/v1/events?type=${type}&subject_id=${subjectId}&limit=100`);
  return response.body.data as { data: Record<string, unknown> }[];
}

async function line(orderId: string) {
  return (await server.request('GET', `/v1/orders/${orderId}`)).body.lines[0];
}

describe('supply records', () => {
  it('records, lists, reads, moves and cancels a supply, with events', async () => {
    const sku = net.skus[0]!;
    const created = await createSupply(supply('PO-1', sku, 10, 5));
    expect(created).toMatchObject({ status: 'open', expected_on: day(5), location_id: net.storeA });
    expect(created.lines).toEqual([{ sku, quantity: 10, received: 0 }]);
    const list = await server.request('GET', `/v1/supplies?sku=${sku}&status=open`);
    expect(list.body.data.map((s: { id: string }) => s.id)).toEqual([created.id]);
    const moved = await server.request('PATCH', `/v1/supplies/${created.id}`, {
      body: { expected_on: day(9), lines: [{ sku, quantity: 12 }] },
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ expected_on: day(9), version: 2, lines: [{ sku, quantity: 12, received: 0 }] });
    const cancelled = await server.request('POST', `/v1/supplies/${created.id}/cancel`);
    expect(cancelled.body.status).toBe('cancelled');
    const types = (await server.request('GET', `/v1/events?subject_id=${created.id}`)).body.data.map(
      (e: { type: string }) => e.type,
    );
    expect(types).toEqual(['supply.created', 'supply.updated', 'supply.cancelled']);
    const updated = await events('supply.updated', created.id);
    expect(updated[0]!.data).toMatchObject({ previous_expected_on: day(5), expected_on: day(9), slipped: true });
  });

  it('refuses bad input with a stable code and writes nothing', async () => {
    const sku = net.skus[0]!;
    await createSupply(supply('PO-DUP', sku, 1, 1));
    const cancelled = await createSupply(supply('PO-GONE', sku, 1, 1));
    await server.request('POST', `/v1/supplies/${cancelled.id}/cancel`);
    const before = await tableCounts(database.db);
    const cases: [unknown, number, string][] = [
      [supply('PO-PAST', sku, 1, -1), 422, 'date_in_past'],
      [supply('PO-NEG', sku, -3, 1), 400, 'validation_failed'],
      [supply('PO-ZERO', sku, 0, 1), 400, 'validation_failed'],
      [supply('PO-LOC', sku, 1, 1, { location_id: 'loc_nowhere' }), 422, 'unknown_location'],
      [supply('PO-SKU', 'NO-SUCH-SKU', 1, 1), 422, 'unknown_sku'],
      [supply('PO-DUP', sku, 1, 1), 409, 'already_exists'],
      [
        supply('PO-TWICE', sku, 1, 1, {
          lines: [
            { sku, quantity: 1 },
            { sku, quantity: 2 },
          ],
        }),
        400,
        'validation_failed',
      ],
      [supply('PO-KIND', sku, 1, 1, { kind: 'gift' }), 400, 'validation_failed'],
      [supply('PO-DAY', sku, 1, 1, { expected_on: '2026-02-30x' }), 400, 'validation_failed'],
      [supply('PO-FEB', sku, 1, 1, { expected_on: '2099-02-30' }), 400, 'validation_failed'],
    ];
    for (const [body, status, code] of cases) {
      const response = await server.request('POST', '/v1/supplies', { body });
      expect([response.status, response.body.code], JSON.stringify(body)).toEqual([status, code]);
    }
    const receive = await server.request('POST', `/v1/supplies/${cancelled.id}/receive`, { body: {} });
    expect([receive.status, receive.body.code, receive.body.supply_status]).toEqual([
      409,
      'supply_not_open',
      'cancelled',
    ]);
    const patch = await server.request('PATCH', `/v1/supplies/${cancelled.id}`, { body: { expected_on: day(3) } });
    expect([patch.status, patch.body.code]).toEqual([409, 'supply_not_open']);
    const slipBack = await server.request('PATCH', `/v1/supplies/${cancelled.id}`, { body: { expected_on: day(-2) } });
    expect([slipBack.status, slipBack.body.code]).toEqual([422, 'date_in_past']);
    const missing = await server.request('POST', '/v1/supplies/sup_missing/receive', { body: {} });
    expect([missing.status, missing.body.code]).toEqual([404, 'not_found']);
    expect(await tableCounts(database.db)).toEqual(before);
  });

  it('takes a bulk feed all or nothing: creates, updates, and rejects bad rows with each row’s error', async () => {
    const [a, b] = [net.skus[1]!, net.skus[2]!];
    const row = (reference: string, sku: string, quantity: number, on: number, over: Record<string, unknown> = {}) => ({
      kind: 'asn',
      reference,
      location_id: net.storeB,
      expected_on: day(on),
      sku,
      quantity,
      ...over,
    });
    const first = await server.request('POST', '/v1/supplies/feeds', {
      body: { feed_id: 'F1', rows: [row('ASN-1', a, 4, 2), row('ASN-1', b, 6, 2), row('ASN-2', a, 3, 4)] },
    });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ created: 2, updated: 0, unchanged: 0 });
    const second = await server.request('POST', '/v1/supplies/feeds', {
      body: { rows: [row('ASN-1', a, 5, 3), row('ASN-2', a, 3, 4)] },
    });
    expect(second.body).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
    const asn1 = await server.request('GET', `/v1/supplies/${second.body.supply_ids[0]}`);
    expect(asn1.body).toMatchObject({ expected_on: day(3), lines: [{ sku: a, quantity: 5, received: 0 }] });

    const before = await tableCounts(database.db);
    const bad = await server.request('POST', '/v1/supplies/feeds', {
      body: {
        rows: [
          row('ASN-3', a, 1, 1),
          row('ASN-4', a, 1, -1),
          row('ASN-5', 'NO-SUCH-SKU', 1, 1),
          row('ASN-3', a, 2, 1),
          row('ASN-3', b, 2, 5),
          row('ASN-6', a, 1, 1, { location_id: 'loc_nowhere' }),
          row('ASN-8', a, 1, 1, { expected_on: '2099-04-31' }),
        ],
      },
    });
    expect([bad.status, bad.body.code]).toEqual([422, 'feed_rejected']);
    expect(bad.body.errors.map((e: { row: number; code: string }) => [e.row, e.code])).toEqual([
      [1, 'date_in_past'],
      [2, 'unknown_sku'],
      [3, 'duplicate_row'],
      [4, 'conflicting_row'],
      [5, 'unknown_location'],
      [6, 'invalid_day'],
    ]);
    const negative = await server.request('POST', '/v1/supplies/feeds', { body: { rows: [row('ASN-7', a, -1, 1)] } });
    expect([negative.status, negative.body.code]).toEqual([400, 'validation_failed']);
    expect(await tableCounts(database.db)).toEqual(before);
  });
});

describe('availability by date', () => {
  it('adds open supply expected by the day and takes off what waiting orders are promised', async () => {
    const sku = net.skus[3]!;
    await server.request('PATCH', `/v1/products/${sku}`, { body: { allow_backorder: true } });
    const early = await createSupply(supply('PO-AV-1', sku, 5, 3));
    const late = await createSupply(supply('PO-AV-2', sku, 4, 10, { location_id: net.storeB }));
    const order = await placeOrder(server, orderBody('AV-1', [{ sku, quantity: 2 }]));
    expect(order.body.lines[0].quantities).toMatchObject({ allocated: 0, backordered: 2 });
    expect(order.body.lines[0].promised_on).toBe(day(3));

    const on = async (n: number) => (await server.request('GET', `/v1/availability?skus=${sku}&on=${day(n)}`)).body;
    expect((await server.request('GET', `/v1/availability?skus=${sku}`)).body.data[0].available).toBe(0);
    expect((await on(0)).data[0]).toMatchObject({ available: 0, incoming: 0, promised: 0 });
    expect((await on(3)).data[0]).toMatchObject({ available: 3, incoming: 5, promised: 2 });
    const later = await on(12);
    expect(later).toMatchObject({ on: day(12) });
    expect(later.data[0]).toMatchObject({ available: 7, incoming: 9, promised: 2 });
    const atB = await server.request('GET', `/v1/availability?skus=${sku}&on=${day(12)}&location_id=${net.storeB}`);
    expect(atB.body.data[0].locations).toEqual([
      expect.objectContaining({ location_id: net.storeB, available: 4, incoming: 4 }),
    ]);

    const timeline = await server.request('GET', `/v1/availability/timeline?sku=${sku}`);
    expect(timeline.status).toBe(200);
    expect(timeline.body.locations).toEqual([
      {
        location_id: net.storeA,
        days: [{ on: day(3), incoming: 5, promised: 2, available: 3, supply_ids: [early.id] }],
      },
      {
        location_id: net.storeB,
        days: [{ on: day(10), incoming: 4, promised: 0, available: 4, supply_ids: [late.id] }],
      },
    ]);
    const past = await server.request('GET', `/v1/availability?skus=${sku}&on=${day(-1)}`);
    expect([past.status, past.body.code]).toEqual([422, 'date_in_past']);
    const noSuchDay = await server.request('GET', `/v1/availability?skus=${sku}&on=2099-02-30`);
    expect([noSuchDay.status, noSuchDay.body.code]).toEqual([400, 'validation_failed']);
    const unknown = await server.request('GET', '/v1/availability/timeline?sku=NO-SUCH-SKU');
    expect(unknown.status).toBe(404);
  });
});

describe('promised dates and pre-orders', () => {
  it('promises FIFO, moves promises with a slip, caps pre-orders, and serves them FIFO on receipt', async () => {
    const sku = net.skus[4]!;
    const cap = await server.request('PUT', `/v1/products/${sku}/preorder`, { body: { enabled: true, cap: 6 } });
    expect(cap.body).toMatchObject({ sku, enabled: true, cap: 6, waiting: 0 });
    const first = await createSupply(supply('PO-PRE-1', sku, 3, 4));
    const second = await createSupply(supply('PO-PRE-2', sku, 10, 20));
    const place = async (id: string, quantity: number) => {
      const placed = await placeOrder(server, orderBody(id, [{ sku, quantity }]));
      expect(placed.status, JSON.stringify(placed.body)).toBe(201);
      return placed.body as { id: string; lines: { promised_on: string | null }[] };
    };
    const o1 = await place('PRE-1', 2);
    const o2 = await place('PRE-2', 2);
    const o3 = await place('PRE-3', 1);
    expect([o1.lines[0]!.promised_on, o2.lines[0]!.promised_on, o3.lines[0]!.promised_on]).toEqual([
      day(4),
      day(20),
      day(20),
    ]);
    expect((await line(o2.id)).promises).toEqual([
      { supply_id: first.id, location_id: net.storeA, on: day(4), quantity: 1 },
      { supply_id: second.id, location_id: net.storeA, on: day(20), quantity: 1 },
    ]);

    // Over the cap: refused whole, nothing written.
    const before = await tableCounts(database.db);
    const over = await placeOrder(server, orderBody('PRE-4', [{ sku, quantity: 2 }]));
    expect([over.status, over.body.code]).toEqual([409, 'preorder_cap_exceeded']);
    expect(over.body.skus).toEqual([{ sku, cap: 6, waiting: 7 }]);
    expect(await tableCounts(database.db)).toEqual(before);

    // A slip of the first supply moves the promises made from it, and says so.
    await server.request('PATCH', `/v1/supplies/${first.id}`, { body: { expected_on: day(8) } });
    expect((await line(o1.id)).promised_on).toBe(day(8));
    const changed = await events('order.promise_changed', o1.id);
    expect(changed.at(-1)!.data).toMatchObject({ previous_promised_on: day(4), promised_on: day(8), sku });
    expect(await events('order.promise_changed', o3.id)).toEqual([]);

    // Under-receipt: 2 of 3 arrive; the oldest order is served in full, the next one waits on later supply.
    const received = await server.request('POST', `/v1/supplies/${first.id}/receive`, {
      body: { lines: [{ sku, quantity: 2 }] },
    });
    expect(received.status, JSON.stringify(received.body)).toBe(200);
    expect(received.body).toMatchObject({ served_orders: 1, supply: { status: 'received' } });
    expect(received.body.supply.lines).toEqual([{ sku, quantity: 3, received: 2 }]);
    expect((await line(o1.id)).quantities).toMatchObject({ allocated: 2, backordered: 0 });
    expect(await line(o2.id)).toMatchObject({ promised_on: day(20), quantities: { allocated: 0, backordered: 2 } });
    const ledger = await server.request('GET', `/v1/inventory/ledger?reference_id=${first.id}`);
    expect(ledger.body.data).toEqual([
      expect.objectContaining({ kind: 'receipt', on_hand_delta: 2, location_id: net.storeA, sku }),
    ]);
    const again = await server.request('POST', `/v1/supplies/${first.id}/receive`, { body: {} });
    expect([again.status, again.body.code]).toEqual([409, 'supply_not_open']);

    // Over-receipt: more than expected arrives and serves every waiting order, oldest first.
    const third = await createSupply(supply('PO-PRE-3', sku, 1, 1));
    const more = await server.request('POST', `/v1/supplies/${third.id}/receive`, {
      body: { lines: [{ sku, quantity: 4 }] },
    });
    expect(more.body.served_orders).toBe(2);
    expect((await line(o2.id)).quantities).toMatchObject({ allocated: 2, backordered: 0 });
    expect(await line(o3.id)).toMatchObject({ promised_on: null, quantities: { allocated: 1, backordered: 0 } });
    const level = await server.request('GET', `/v1/inventory/${net.storeA}/${sku}`);
    expect(level.body).toMatchObject({ on_hand: 6, reserved: 5 });
    expect((await server.request('GET', `/v1/products/${sku}/preorder`)).body.waiting).toBe(0);
    expect(await ledgerMismatches(database.db)).toEqual([]);
    expect(await heldMismatches(database.db)).toEqual([]);
  });

  it('lets exactly the cap of pre-ordered units through when orders race for the last ones', async () => {
    const sku = 'PRE-RACE';
    await server.request('POST', '/v1/products', { body: { sku, name: 'Raced pre-order' } });
    const refused = await placeOrder(server, orderBody('RACE-0', [{ sku, quantity: 1 }]));
    expect([refused.status, refused.body.code]).toEqual([409, 'insufficient_stock']);
    await server.request('PUT', `/v1/products/${sku}/preorder`, { body: { enabled: true, cap: 3 } });
    const answers = await Promise.all(
      [1, 2, 3, 4, 5, 6].map((n) => placeOrder(server, orderBody(`RACE-${n}`, [{ sku, quantity: 1 }]))),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([201, 201, 201, 409, 409, 409]);
    expect(answers.filter((a) => a.status === 409).map((a) => a.body.code)).toEqual(
      Array(3).fill('preorder_cap_exceeded'),
    );
    expect((await server.request('GET', `/v1/products/${sku}/preorder`)).body).toMatchObject({ cap: 3, waiting: 3 });
    const off = await server.request('PUT', `/v1/products/${sku}/preorder`, { body: { enabled: false, cap: 3 } });
    expect(off.body.enabled).toBe(false);
    expect((await placeOrder(server, orderBody('RACE-7', [{ sku, quantity: 1 }]))).body.code).toBe(
      'insufficient_stock',
    );
  });

  it('clears promises made from a cancelled supply, announcing each', async () => {
    const sku = net.skus[5]!;
    await server.request('PATCH', `/v1/products/${sku}`, { body: { allow_backorder: true } });
    const only = await createSupply(supply('PO-CXL', sku, 5, 2));
    const order = await placeOrder(server, orderBody('CXL-1', [{ sku, quantity: 1 }]));
    expect(order.body.lines[0].promised_on).toBe(day(2));
    await server.request('POST', `/v1/supplies/${only.id}/cancel`);
    expect((await line(order.body.id)).promised_on).toBeNull();
    const changed = await events('order.promise_changed', order.body.id);
    expect(changed.map((e) => e.data)).toEqual([
      expect.objectContaining({ previous_promised_on: day(2), promised_on: null }),
    ]);
  });
});
