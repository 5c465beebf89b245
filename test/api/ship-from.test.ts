import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rerouteBackorders } from '../../src/orders/index.ts';
import { countRows, tableCounts } from '../support/invariants.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createSmallNetwork, setStock, type SmallNetwork } from '../support/fixtures.ts';
import { orderBody, placeOrder } from '../support/orders.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let database: TestDatabase;
let server: TestServer;
let net: SmallNetwork;
/** A marketplace seller in Los Angeles, in the web channel's group, far from the New York customers. */
let seller: string;
/** In the group but inactive; in the group but pickup only; active and shipping but outside the group. */
let closed: string;
let pickupOnly: string;
let outside: string;

async function location(code: string, name: string, capabilities: string[], coordinates: object = {}) {
  const response = await server.request('POST', '/v1/locations', {
    body: {
      code,
      type: '3pl',
      name,
      address: { line1: '1 Main St', city: 'Los Angeles', country: 'US' },
      timezone: 'America/Los_Angeles',
      capabilities,
      ...coordinates,
    },
  });
  expect(response.status).toBe(201);
  return response.body.id as string;
}

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  net = await createSmallNetwork(server, 3);
  await server.request('PATCH', `/v1/locations/${net.storeA}`, { body: { latitude: 42.3601, longitude: -71.0589 } });
  await server.request('PATCH', `/v1/locations/${net.storeB}`, { body: { latitude: 42.6526, longitude: -73.7562 } });
  const losAngeles = { latitude: 34.0522, longitude: -118.2437 };
  seller = await location('SELLER-42', 'Seller 42', ['ship'], losAngeles);
  closed = await location('CLOSED', 'Closed vendor', ['ship'], losAngeles);
  pickupOnly = await location('KIOSK', 'Kiosk', ['pickup'], losAngeles);
  outside = await location('OUTSIDE', 'Other vendor', ['ship'], losAngeles);
  await server.request('PATCH', `/v1/locations/${closed}`, { body: { active: false } });
  const group = await server.request('PATCH', `/v1/location-groups/${net.groupId}`, {
    body: { location_ids: [net.storeA, net.storeB, seller, closed, pickupOnly] },
  });
  expect(group.status).toBe(200);
  for (const sku of net.skus) {
    await setStock(server, net.storeA, sku, 10);
    await setStock(server, seller, sku, 5);
  }
  await setStock(server, outside, net.skus[0]!, 5);
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

/** An order body whose line `index` names `locationId` to ship from. */
function pinned(externalId: string, locationId: string, index = 0, over: Record<string, unknown> = {}) {
  const body = orderBody(
    externalId,
    [
      { sku: net.skus[0]!, quantity: 1 },
      { sku: net.skus[1]!, quantity: 1 },
    ],
    over,
  );
  body.lines[index] = { ...body.lines[index]!, ship_from_location_id: locationId } as (typeof body.lines)[number];
  return body;
}

describe('a line naming its ship-from location', () => {
  it('ships from there although a nearer store holds it, and the routing explains why', async () => {
    // Without a named location, Boston (nearer New York) takes both lines.
    const free = await placeOrder(server, orderBody('SF-0', [{ sku: net.skus[0]!, quantity: 1 }]));
    expect(free.status).toBe(201);
    expect(free.body.allocations.map((a: { location_id: string }) => a.location_id)).toEqual([net.storeA]);

    const response = await placeOrder(server, pinned('SF-1', seller, 1));
    expect(response.status).toBe(201);
    const order = response.body;
    expect(order.lines.map((l: { ship_from_location_id: string | null }) => l.ship_from_location_id)).toEqual([
      null,
      seller,
    ]);
    const at = (lineId: string) =>
      order.allocations
        .filter((a: { line_id: string }) => a.line_id === lineId)
        .map((a: { location_id: string }) => a.location_id);
    expect(at('L2')).toEqual([seller]);
    // The free line rides along with the seller's shipment: one shipment beats two.
    expect(at('L1')).toEqual([seller]);

    const read = await server.request('GET', `/v1/orders/${order.id}`);
    expect(read.body.lines[1].ship_from_location_id).toBe(seller);
    const routing = await server.request('GET', `/v1/orders/${order.id}/routing`);
    expect(routing.status).toBe(200);
    expect(routing.body.latest.explanation.explanation.notes).toContain(
      'Line L2 ships from Seller 42: named by the order.',
    );
  });

  it('routes the free lines as usual when the named location cannot take them', async () => {
    const body = orderBody('SF-2', [
      { sku: net.skus[2]!, quantity: 1 },
      { sku: net.skus[0]!, quantity: 8 },
    ]);
    body.lines[0] = { ...body.lines[0]!, ship_from_location_id: seller } as (typeof body.lines)[number];
    const response = await placeOrder(server, body);
    expect(response.status).toBe(201);
    const by = Object.fromEntries(
      response.body.allocations.map((a: { line_id: string; location_id: string }) => [a.line_id, a.location_id]),
    );
    // The seller holds 5 of SKU 1 (fewer than 8): that line ships from Boston.
    expect(by).toEqual({ L1: seller, L2: net.storeA });
  });

  it('is a candidate without stock, and a required line there is refused like any line no location can fill', async () => {
    // Albany holds nothing: it is no stock-first candidate, but the order names it.
    const body = pinned('SF-3', net.storeB, 0);
    const before = await tableCounts(database.db);
    const response = await placeOrder(server, body);
    expect(response.status).toBe(409);
    expect(response.body.code).toBe('insufficient_stock');
    expect(response.body.shortfalls).toEqual([{ lineId: 'L1', sku: net.skus[0], requested: 1, available: 0 }]);
    expect(response.body.detail).toContain(
      `L1 (${net.skus[0]}) needs 1, 0 available at ${net.storeB}, the location the order names`,
    );
    const notes: string[] = response.body.routing.notes;
    expect(
      notes.some((n) =>
        n.startsWith('Line L1 may only ship from Albany store (named by the order), which is excluded'),
      ),
    ).toBe(true);
    expect(await tableCounts(database.db)).toEqual(before);
  });

  it('back-orders a back-orderable line its named location cannot fill, and ships the rest', async () => {
    await server.request('PATCH', `/v1/products/${net.skus[2]}`, { body: { allow_backorder: true } });
    const body = orderBody('SF-4', [
      { sku: net.skus[2]!, quantity: 2 },
      { sku: net.skus[1]!, quantity: 1 },
    ]);
    body.lines[0] = { ...body.lines[0]!, ship_from_location_id: net.storeB } as (typeof body.lines)[number];
    const response = await placeOrder(server, body);
    expect(response.status).toBe(201);
    const [first, second] = response.body.lines;
    expect(first.quantities).toMatchObject({ allocated: 0, backordered: 2 });
    expect(second.quantities).toMatchObject({ allocated: 1, backordered: 0 });
    await server.request('PATCH', `/v1/products/${net.skus[2]}`, { body: { allow_backorder: false } });
  });
});

describe('the back-order worker', () => {
  it('serves a line naming its location only from there, and does not let it take a newer order’s turn', async () => {
    const sku = 'SF-WAIT';
    expect(
      (await server.request('POST', '/v1/products', { body: { sku, name: 'Waits', weight_grams: 100 } })).status,
    ).toBe(201);
    await server.request('PATCH', `/v1/products/${sku}`, { body: { allow_backorder: true } });
    const older = orderBody('SF-W1', [{ sku, quantity: 1 }], { placed_at: '2026-01-01T00:00:00.000Z' });
    older.lines[0] = { ...older.lines[0]!, ship_from_location_id: net.storeB } as (typeof older.lines)[number];
    const newer = orderBody('SF-W2', [{ sku, quantity: 1 }], { placed_at: '2026-01-02T00:00:00.000Z' });
    const first = await placeOrder(server, older);
    const second = await placeOrder(server, newer);
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(first.body.lines[0].quantities.backordered).toBe(1);
    expect(second.body.lines[0].quantities.backordered).toBe(1);

    // Stock arrives in Boston only: the newer, free order gets it although the older one waits
    // first (one order per tick here), because the older one waits for Albany.
    await setStock(server, net.storeA, sku, 5);
    expect(await rerouteBackorders(database.db, 1)).toBe(1);
    const read = async (id: string) => (await server.request('GET', `/v1/orders/${id}`)).body;
    expect((await read(second.body.id)).allocations.map((a: { location_id: string }) => a.location_id)).toEqual([
      net.storeA,
    ]);
    expect((await read(first.body.id)).lines[0].quantities.backordered).toBe(1);

    await setStock(server, net.storeB, sku, 1);
    expect(await rerouteBackorders(database.db, 1)).toBe(1);
    const served = await read(first.body.id);
    expect(served.lines[0].quantities).toMatchObject({ allocated: 1, backordered: 0 });
    expect(served.allocations.map((a: { location_id: string }) => a.location_id)).toEqual([net.storeB]);
  });
});

describe('ship_from_unusable', () => {
  const cases: [string, () => string, () => Record<string, unknown>, RegExp][] = [
    ['does not exist', () => 'loc_nowhere', () => ({}), /there is no location loc_nowhere: name an existing location/],
    ['is inactive', () => closed, () => ({}), /Closed vendor \(loc_\w+\) is inactive: activate it or name another/],
    [
      'does not ship',
      () => pickupOnly,
      () => ({}),
      /Kiosk \(loc_\w+\) does not offer ship: give it the ship capability/,
    ],
    [
      'is not in the channel’s location group',
      () => outside,
      () => ({}),
      /Other vendor \(loc_\w+\) is not in the location group of channel web: add it to the group/,
    ],
    [
      'is not the store of a pickup order',
      () => seller,
      () => ({ delivery_method: 'pickup', pickup_location_id: net.storeA, shipping_address: undefined }),
      /a pickup order is handed over at its store loc_\w+, not at Seller 42/,
    ],
  ];
  for (const [n, [name, id, over, message]] of cases.entries()) {
    it(`refuses with 422 and writes nothing when the location ${name}`, async () => {
      const before = await tableCounts(database.db);
      const keys = await countRows(database.db, 'idempotency_keys');
      const response = await placeOrder(server, pinned(`SF-X-${n}`, id(), 1, over()), {
        'idempotency-key': `sf-unusable-${n}`,
      });
      expect(response.status).toBe(422);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body.code).toBe('ship_from_unusable');
      expect(response.body.errors).toHaveLength(1);
      expect(response.body.errors[0].pointer).toBe('/lines/1/ship_from_location_id');
      expect(response.body.errors[0].message).toMatch(/^line L2: /);
      expect(response.body.errors[0].message).toMatch(message);
      expect(await tableCounts(database.db)).toEqual(before);
      expect(await countRows(database.db, 'idempotency_keys')).toBe(keys);
    });
  }

  it('refuses a cart hold holding the line elsewhere, and converts one holding it at the named location', async () => {
    const held = await server.request('POST', '/v1/reservations', {
      body: {
        lines: [{ sku: net.skus[1], quantity: 1 }],
        channel: 'web',
        expires_in_seconds: 600,
        reference: 'sf-cart',
      },
    });
    expect(held.status).toBe(201);
    const at: string = held.body.lines[0].location_id;
    const other = at === seller ? net.storeA : seller;
    const body = (locationId: string) => {
      const order = pinned('SF-CART', locationId, 1);
      order.lines[1] = { ...order.lines[1]!, reservation_id: held.body.id } as (typeof order.lines)[number];
      return order;
    };
    const before = await tableCounts(database.db);
    const refused = await placeOrder(server, body(other));
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('ship_from_unusable');
    expect(refused.body.errors[0].pointer).toBe('/lines/1/ship_from_location_id');
    expect(await tableCounts(database.db)).toEqual(before);
    const placed = await placeOrder(server, body(at));
    expect(placed.status).toBe(201);
    const l2 = placed.body.allocations.filter((a: { line_id: string }) => a.line_id === 'L2');
    expect(l2.map((a: { location_id: string }) => a.location_id)).toEqual([at]);
  });

  it('says what is wrong with each line', async () => {
    const body = pinned('SF-X-both', closed, 0);
    body.lines[1] = { ...body.lines[1]!, ship_from_location_id: outside } as (typeof body.lines)[number];
    const response = await placeOrder(server, body);
    expect(response.status).toBe(422);
    expect(response.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual([
      '/lines/0/ship_from_location_id',
      '/lines/1/ship_from_location_id',
    ]);
    expect(response.body.detail).toContain('(and 1 more line)');
  });

  it('accepts the store of a pickup order as the ship-from location of its lines', async () => {
    // Boston's stock of the first SKU went to the orders above.
    await setStock(server, net.storeA, net.skus[0]!, 20);
    const response = await placeOrder(
      server,
      pinned('SF-PICKUP', net.storeA, 0, {
        delivery_method: 'pickup',
        pickup_location_id: net.storeA,
        shipping_address: undefined,
      }),
    );
    expect(response.status).toBe(201);
    expect(response.body.allocations.every((a: { location_id: string }) => a.location_id === net.storeA)).toBe(true);
  });
});

describe('idempotent replay', () => {
  it('returns the same order for the same request, with its ship-from location', async () => {
    const body = pinned('SF-REPLAY', seller, 0);
    const first = await placeOrder(server, body, { 'idempotency-key': 'sf-replay' });
    expect(first.status).toBe(201);
    const before = await tableCounts(database.db);
    const again = await placeOrder(server, body, { 'idempotency-key': 'sf-replay' });
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.lines[0].ship_from_location_id).toBe(seller);
    // Without the key, the channel's order ID makes it a replay too.
    const byExternalId = await placeOrder(server, body);
    expect(byExternalId.status).toBe(200);
    expect(byExternalId.body.id).toBe(first.body.id);
    expect(await tableCounts(database.db)).toEqual(before);
    // The same external ID naming another location is other content: a conflict.
    const other = await placeOrder(server, pinned('SF-REPLAY', net.storeA, 0));
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('idempotency_conflict');
  });
});
