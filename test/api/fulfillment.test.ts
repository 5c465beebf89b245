import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/index.ts';
import { queryOne } from '../../src/db/index.ts';
import { fulfillmentStatuses, type FulfillmentStatus } from '../../src/orders/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createSmallNetwork, setStock, type SmallNetwork } from '../support/fixtures.ts';
import { heldMismatches, ledgerMismatches } from '../support/invariants.ts';
import { orderBody, placeOrder } from '../support/orders.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let database: TestDatabase;
let server: TestServer;
let net: SmallNetwork;
let keyA: string;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  net = await createSmallNetwork(server, 3);
  await server.request('PATCH', `/v1/locations/${net.storeA}`, {
    body: { latitude: 40.75, longitude: -73.99, capabilities: ['ship', 'pickup', 'curbside'] },
  });
  await server.request('PATCH', `/v1/locations/${net.storeB}`, { body: { latitude: 42.65, longitude: -73.75 } });
  for (const sku of net.skus) {
    await setStock(server, net.storeA, sku, 500);
    await setStock(server, net.storeB, sku, 500);
  }
  keyA = (await createApiKey(database.db, { role: 'fulfillment', locationIds: [net.storeA] })).secret;
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

let counter = 0;
async function newOrder(quantity = 2, over: Record<string, unknown> = {}) {
  counter += 1;
  const response = await placeOrder(
    server,
    orderBody(
      `FUL-${counter}`,
      [
        { sku: net.skus[0]!, quantity },
        { sku: net.skus[1]!, quantity: 1 },
      ],
      over,
    ),
  );
  if (response.status !== 201) throw new Error(JSON.stringify(response.body));
  return response.body;
}
const post = (id: string, step: string, body: unknown = {}, key?: string) =>
  server.request('POST', `/v1/fulfillment-orders/${id}/${step}`, { body, ...(key ? { key } : {}) });

describe('the work queue and the steps', () => {
  it('ships an order in two partial shipments, committing stock and marking lines shipped', async () => {
    const order = await newOrder(3);
    const fo = order.fulfillment_orders[0];
    expect(fo.location_id).toBe(net.storeA);
    const queue = await server.request('GET', `/v1/fulfillment-orders?location_id=${net.storeA}&status=allocated`, {
      key: keyA,
    });
    expect(queue.body.data.map((f: { id: string }) => f.id)).toContain(fo.id);

    for (const step of ['accept', 'pick', 'pack']) expect((await post(fo.id, step, {}, keyA)).status).toBe(200);
    const before = (await server.request('GET', `/v1/inventory/${net.storeA}/${net.skus[0]}`)).body;
    const first = await post(
      fo.id,
      'ship',
      {
        carrier: 'ups',
        service: 'ground',
        tracking_number: '1Z999AA10123456784',
        lines: [{ line_id: 'L1', quantity: 2 }],
      },
      keyA,
    );
    expect(first.status).toBe(200);
    expect(first.body.status).toBe('packed');
    expect(first.body.shipment_id).toMatch(/^shp_/);
    const after = (await server.request('GET', `/v1/inventory/${net.storeA}/${net.skus[0]}`)).body;
    expect(after.on_hand).toBe(before.on_hand - 2);
    expect(after.reserved).toBe(before.reserved - 2);
    expect((await server.request('GET', `/v1/orders/${order.id}`)).body.status).toBe('partially_shipped');

    const second = await post(fo.id, 'ship', { carrier: 'ups', tracking_number: '1Z999AA10123456785' }, keyA);
    expect(second.body.status).toBe('shipped');
    const shipped = (await server.request('GET', `/v1/orders/${order.id}`)).body;
    expect(shipped.status).toBe('shipped');
    expect(shipped.shipments).toHaveLength(2);
    expect(shipped.lines[0].quantities).toMatchObject({ shipped: 3, allocated: 0 });
    const ledger = await server.request('GET', `/v1/inventory/ledger?reference_id=${first.body.shipment_id}`);
    expect(ledger.body.data).toEqual([
      expect.objectContaining({ kind: 'ship', on_hand_delta: -2, reserved_delta: -2 }),
    ]);
  });

  it('keeps fulfillment keys to their own locations', async () => {
    const order = await newOrder(1);
    const keyB = (await createApiKey(database.db, { role: 'fulfillment', locationIds: [net.storeB] })).secret;
    expect((await post(order.fulfillment_orders[0].id, 'accept', {}, keyB)).status).toBe(404);
    expect(
      (await server.request('GET', `/v1/fulfillment-orders?location_id=${net.storeA}`, { key: keyB })).status,
    ).toBe(403);
    const own = await server.request('GET', '/v1/fulfillment-orders', { key: keyB });
    expect(own.body.data.every((f: { location_id: string }) => f.location_id === net.storeB)).toBe(true);
  });

  it('re-routes a rejected fulfillment order elsewhere and shows it in the routing explanation', async () => {
    const order = await newOrder(2);
    const fo = order.fulfillment_orders[0];
    const rejected = await post(fo.id, 'reject', { reason: 'flooded stockroom' }, keyA);
    expect(rejected.body.status).toBe('rejected');
    const after = (await server.request('GET', `/v1/orders/${order.id}`)).body;
    const active = after.fulfillment_orders.filter((f: { status: string }) => f.status === 'allocated');
    expect(active).toHaveLength(1);
    expect(active[0].location_id).toBe(net.storeB);
    const routing = await server.request('GET', `/v1/orders/${order.id}/routing`);
    expect(routing.body.decisions.map((d: { cause: string }) => d.cause)).toEqual(['capture', 'reroute']);
    const excluded = routing.body.latest.explanation.explanation.candidates.find(
      (c: { locationId: string }) => c.locationId === net.storeA,
    );
    expect(excluded.excludedBy.map((e: { code: string }) => e.code)).toContain('excluded');
    expect(await heldMismatches(database.db)).toEqual([]);
  });

  it('puts the order on hold with a reason when nowhere else can take it', async () => {
    const order = await newOrder(1);
    const first = order.fulfillment_orders[0];
    await post(first.id, 'reject', { reason: 'closed' });
    const second = (await server.request('GET', `/v1/orders/${order.id}`)).body.fulfillment_orders.find(
      (f: { status: string }) => f.status === 'allocated',
    );
    await post(second.id, 'reject', { reason: 'closed too' });
    const held = (await server.request('GET', `/v1/orders/${order.id}`)).body;
    expect(held.on_hold).toBe(true);
    expect(held.holds.at(-1)).toMatchObject({ kind: 'routing' });
    expect(held.status).toBe('created');
  });

  it('re-routes short-picked units', async () => {
    const order = await newOrder(4);
    const fo = order.fulfillment_orders[0];
    await post(fo.id, 'accept');
    const picked = await post(fo.id, 'pick', { shortages: [{ line_id: 'L1', quantity: 3 }] });
    expect(picked.status).toBe(200);
    const after = (await server.request('GET', `/v1/orders/${order.id}`)).body;
    const elsewhere = after.allocations.filter(
      (a: { location_id: string; status: string }) => a.location_id === net.storeB && a.status === 'reserved',
    );
    expect(elsewhere.reduce((n: number, a: { quantity: number }) => n + a.quantity, 0)).toBe(3);
  });

  it('hands a pickup over only with the right code', async () => {
    const order = await newOrder(1, { delivery_method: 'curbside', pickup_location_id: net.storeA });
    const fo = order.fulfillment_orders[0];
    for (const step of ['accept', 'pick', 'pack']) await post(fo.id, step);
    const ready = await post(fo.id, 'ready-for-pickup');
    expect(ready.body.pickup_code).toMatch(/^\d{6}$/);
    expect((await post(fo.id, 'arrived')).status).toBe(200);
    const wrong = await post(fo.id, 'picked-up', {
      pickup_code: ready.body.pickup_code === '000000' ? '111111' : '000000',
    });
    expect(wrong.status).toBe(403);
    const right = await post(fo.id, 'picked-up', { pickup_code: ready.body.pickup_code });
    expect(right.body.status).toBe('picked_up');
    const done = (await server.request('GET', `/v1/orders/${order.id}`)).body;
    expect(done.status).toBe('delivered');
    expect(done.lines[0].quantities).toMatchObject({ shipped: 1, delivered: 1 });
    expect(await ledgerMismatches(database.db)).toEqual([]);
  });

  it('gives no work on a held order until the hold is released', async () => {
    const order = await newOrder(1);
    await server.request('POST', `/v1/orders/${order.id}/hold`, { body: { kind: 'fraud', reason: 'review' } });
    const refused = await post(order.fulfillment_orders[0].id, 'accept');
    expect(refused.status).toBe(409);
  });
});

describe('while the order is on hold', () => {
  const pickup = () => ({ delivery_method: 'pickup', pickup_location_id: net.storeA });
  // Each step that moves work forward, from the status it starts from.
  const forward: { step: string; from: string; body?: unknown; over?: () => Record<string, unknown> }[] = [
    { step: 'accept', from: 'allocated' },
    { step: 'pick', from: 'accepted' },
    { step: 'pack', from: 'picking' },
    { step: 'ship', from: 'packed', body: { carrier: 'ups' } },
    { step: 'ship', from: 'packed', body: { carrier: 'ups', lines: [{ line_id: 'L1', quantity: 1 }] } },
    { step: 'ready-for-pickup', from: 'packed', over: pickup },
    { step: 'picked-up', from: 'ready_for_pickup', body: { pickup_code: '000000' }, over: pickup },
  ];
  async function heldIn(status: string, over: Record<string, unknown> = {}) {
    const order = await newOrder(2, over);
    const id: string = order.fulfillment_orders[0].id;
    await database.db.execute(sql`update fulfillment_orders set status = ${status} where id = ${id}`);
    const held = await server.request('POST', `/v1/orders/${order.id}/hold`, {
      body: { kind: 'fraud', reason: 'review' },
    });
    expect(held.status).toBe(200);
    return id;
  }
  const statusOf = async (id: string) =>
    (await queryOne<{ status: string }>(database.db, sql`select status from fulfillment_orders where id = ${id}`))!
      .status;

  for (const { step, from, body, over } of forward) {
    it(`refuses ${step} from ${from}${body && 'lines' in (body as object) ? ' (part of the lines)' : ''}`, async () => {
      const id = await heldIn(from, over?.());
      const before = await server.request('GET', `/v1/fulfillment-orders/${id}`);
      const response = await post(id, step, body ?? {});
      expect(response.status).toBe(409);
      expect(response.body.code).toBe('illegal_transition');
      expect(response.body.detail).toContain('on hold');
      expect(await statusOf(id)).toBe(from);
      expect((await server.request('GET', `/v1/fulfillment-orders/${id}`)).body).toEqual(before.body);
    });
  }

  it('still lets the location reject the work', async () => {
    const id = await heldIn('accepted');
    const response = await post(id, 'reject', { reason: 'damaged' });
    expect(response.status).toBe(200);
    expect(await statusOf(id)).toBe('rejected');
  });
});

describe('fulfillment transitions (table-driven, compare-and-set)', () => {
  async function foIn(status: string): Promise<string> {
    const order = await newOrder(1);
    const id: string = order.fulfillment_orders[0].id;
    await database.db.execute(sql`update fulfillment_orders set status = ${status} where id = ${id}`);
    return id;
  }
  type Step = 'accept' | 'pick' | 'pack' | 'reject';
  const steps: Step[] = ['accept', 'pick', 'pack', 'reject'];
  const bodies: Partial<Record<Step, unknown>> = { reject: { reason: 'test' } };
  /** From-status × step → the status it moves to; a step not named is refused (409 illegal_transition). */
  const moves: Record<FulfillmentStatus, Partial<Record<Step, FulfillmentStatus>>> = {
    allocated: { accept: 'accepted', reject: 'rejected' },
    accepted: { pick: 'picking', reject: 'rejected' },
    picking: { pack: 'packed', reject: 'rejected' },
    packed: {},
    shipped: {},
    ready_for_pickup: {},
    delivered: {},
    picked_up: {},
    rejected: {},
    cancelled: {},
  };
  it('covers every status', () => expect(Object.keys(moves).sort()).toEqual([...fulfillmentStatuses].sort()));
  for (const from of fulfillmentStatuses) {
    for (const step of steps) {
      const to = moves[from][step];
      it(`${from} × ${step} → ${to ?? 'refused (illegal_transition)'}`, async () => {
        const id = await foIn(from);
        const response = await post(id, step, bodies[step] ?? {});
        if (to) expect(response.status).toBe(200);
        else expect([response.status, response.body.code]).toEqual([409, 'illegal_transition']);
        const row = await queryOne<{ status: string }>(
          database.db,
          sql`select status from fulfillment_orders where id = ${id}`,
        );
        expect(row!.status).toBe(to ?? from);
      });
    }
  }
});

describe('GET /v1/fulfillment-orders?status=', () => {
  it('refuses an unknown status, naming it and the allowed ones', async () => {
    const response = await server.request('GET', `/v1/fulfillment-orders?location_id=${net.storeA}&status=allocatd`);
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('validation_failed');
    expect(response.body.detail).toContain('allocatd');
    expect(response.body.allowed).toEqual(fulfillmentStatuses);
  });
});
