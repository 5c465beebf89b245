import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/index.ts';
import { defaultRoutingRules } from '../../src/routing/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createSmallNetwork, setStock, type SmallNetwork } from '../support/fixtures.ts';
import { orderBody, placeOrder } from '../support/orders.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let database: TestDatabase;
let server: TestServer;
let net: SmallNetwork;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  net = await createSmallNetwork(server, 2);
  await server.request('PATCH', `/v1/locations/${net.storeA}`, {
    body: { latitude: 42.3601, longitude: -71.0589, capabilities: ['ship', 'pickup', 'curbside'] },
  });
  await server.request('PATCH', `/v1/locations/${net.storeB}`, {
    body: { latitude: 42.6526, longitude: -73.7562, capabilities: ['ship', 'pickup'] },
  });
  for (const sku of net.skus) {
    await setStock(server, net.storeA, sku, 5);
    await setStock(server, net.storeB, sku, 5);
  }
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

describe('versioned routing rules', () => {
  it('starts on the defaults, saves drafts, activates, and keeps the history', async () => {
    const initial = await server.request('GET', '/v1/routing/rules');
    expect(initial.body.active).toEqual({ version: null, rules: defaultRoutingRules });

    const draft = await server.request('PUT', '/v1/routing/rules', {
      body: { rules: { ...defaultRoutingRules, maxShipments: 1 }, notes: 'one box only' },
    });
    expect(draft.status).toBe(201);
    expect(draft.body).toMatchObject({ version: 1, status: 'draft', notes: 'one box only' });
    expect((await server.request('GET', '/v1/routing/rules')).body.active.version).toBeNull();

    const activated = await server.request('POST', '/v1/routing/rules/1/activate');
    expect(activated.body).toMatchObject({ version: 1, status: 'active' });
    expect(activated.body.activated_by).toBeTruthy();
    const again = await server.request('POST', '/v1/routing/rules/1/activate');
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('illegal_transition');

    const second = await server.request('PUT', '/v1/routing/rules', {
      body: { rules: defaultRoutingRules, activate: true },
    });
    expect(second.body).toMatchObject({ version: 2, status: 'active' });
    const rules = await server.request('GET', '/v1/routing/rules');
    expect(rules.body.active.version).toBe(2);
    expect(rules.body.history.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([
      [2, 'active'],
      [1, 'retired'],
    ]);
  });

  it('refuses invalid rules with pointers to the problems', async () => {
    const response = await server.request('PUT', '/v1/routing/rules', {
      body: {
        rules: { ...defaultRoutingRules, weights: { ...defaultRoutingRules.weights, distance: -1 }, maxShipments: 0 },
      },
    });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('validation_failed');
    expect(response.body.errors).toEqual([
      { pointer: '/rules/weights/distance', message: 'must be a number ≥ 0' },
      { pointer: '/rules/maxShipments', message: 'must be an integer ≥ 1, or null for no limit' },
    ]);
    expect(response.body.detail).toContain('/rules/weights/distance');

    const notObject = await server.request('PUT', '/v1/routing/rules', { body: { rules: { weights: 3 } } });
    expect(notObject.status).toBe(400);
    expect(notObject.body.errors).toContainEqual({
      pointer: '/rules/weights',
      message: 'must be an object of weights',
    });
    expect(notObject.body.errors).toContainEqual({ pointer: '/rules/currency', message: 'is required' });

    const window = await server.request('PUT', '/v1/routing/rules', {
      body: {
        rules: defaultRoutingRules,
        effective_from: '2027-02-01T00:00:00Z',
        effective_to: '2027-01-01T00:00:00Z',
      },
    });
    expect(window.status).toBe(400);
    expect(window.body.errors).toEqual([{ pointer: '/effective_to', message: 'must be after effective_from' }]);
    expect((await server.request('GET', '/v1/routing/rules')).body.history).toHaveLength(2);
  });

  it('only admins change rules; agents read them', async () => {
    const agent = (await createApiKey(database.db, { role: 'agent' })).secret;
    expect((await server.request('GET', '/v1/routing/rules', { key: agent })).status).toBe(200);
    expect(
      (await server.request('PUT', '/v1/routing/rules', { key: agent, body: { rules: defaultRoutingRules } })).status,
    ).toBe(403);
  });

  it('records on each order the rules version that routed it, also in the timeline', async () => {
    const order = await placeOrder(server, orderBody('RULES-1', [{ sku: net.skus[0]!, quantity: 1 }]));
    expect(order.body.rules_version).toBe(2);
    const routed = order.body.timeline.find((e: { type: string }) => e.type === 'order.routed');
    expect(routed.data.rules_version).toBe(2);
    const routing = await server.request('GET', `/v1/orders/${order.body.id}/routing`);
    expect(routing.body.latest.rules_version).toBe(2);
  });
});

describe('pickup and curbside', () => {
  const pickup = (id: string, store: string, method: string, quantity: number, extra: Record<string, unknown> = {}) =>
    orderBody(id, [{ sku: net.skus[1]!, quantity }], { delivery_method: method, pickup_location_id: store, ...extra });

  it('reserves everything at the chosen store', async () => {
    const order = await placeOrder(server, pickup('PICK-1', net.storeB, 'pickup', 2));
    expect(order.status).toBe(201);
    expect(order.body.fulfillment_orders).toEqual([
      expect.objectContaining({ location_id: net.storeB, delivery_method: 'pickup' }),
    ]);
  });

  it('refuses a store without the capability', async () => {
    const order = await placeOrder(server, pickup('CURB-1', net.storeB, 'curbside', 1));
    expect(order.status).toBe(400);
    expect(order.body.errors[0].pointer).toBe('/pickup_location_id');
  });

  it('rejects with the shortfall when the store cannot cover it, unless shipping is allowed by rule and customer', async () => {
    const rejected = await placeOrder(server, pickup('PICK-2', net.storeB, 'pickup', 4));
    expect(rejected.status).toBe(409);
    expect(rejected.body.shortfalls[0]).toMatchObject({ sku: net.skus[1], requested: 4 });

    await server.request('PUT', '/v1/routing/rules', {
      body: { rules: { ...defaultRoutingRules, pickupFallback: 'ship' }, activate: true },
    });
    const shipped = await placeOrder(server, pickup('PICK-3', net.storeB, 'pickup', 4, { allow_ship_fallback: true }));
    expect(shipped.status).toBe(201);
    expect(
      shipped.body.fulfillment_orders.every((f: { delivery_method: string }) => f.delivery_method === 'ship'),
    ).toBe(true);
    const routing = await server.request('GET', `/v1/orders/${shipped.body.id}/routing`);
    expect(routing.body.latest.explanation.explanation.plannedDeliveryMethod).toBe('ship');
  });
});

describe('a max-shipments refusal', () => {
  it('is 409 max_shipments_exceeded naming the limit and what to do, reserving nothing', async () => {
    for (const [sku, store] of [
      ['SPLIT-A', net.storeA],
      ['SPLIT-B', net.storeB],
    ] as const) {
      await server.request('POST', '/v1/products', { body: { sku, name: sku } });
      await setStock(server, store, sku, 3);
    }
    const limited = await server.request('PUT', '/v1/routing/rules', {
      body: { rules: { ...defaultRoutingRules, maxShipments: 1 }, activate: true },
    });
    expect(limited.status).toBe(201);
    try {
      const order = await placeOrder(
        server,
        orderBody('SPLIT-1', [
          { sku: 'SPLIT-A', quantity: 1 },
          { sku: 'SPLIT-B', quantity: 1 },
        ]),
      );
      expect(order.status).toBe(409);
      expect(order.body.code).toBe('max_shipments_exceeded');
      expect(order.body.max_shipments).toBe(1);
      expect(order.body.detail).toContain('at most 1 shipment');
      expect(order.body.detail).toContain('maxShipments');
      const levels = await Promise.all([
        server.request('GET', `/v1/inventory/${net.storeA}/SPLIT-A`),
        server.request('GET', `/v1/inventory/${net.storeB}/SPLIT-B`),
      ]);
      expect(levels.map((l) => l.body.reserved)).toEqual([0, 0]);
    } finally {
      await server.request('PUT', '/v1/routing/rules', { body: { rules: defaultRoutingRules, activate: true } });
    }
  });
});
