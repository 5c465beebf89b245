import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createProduct } from '../../src/catalog/index.ts';
import { inTransaction, query, type Tx } from '../../src/db/index.ts';
import { ingestFeed } from '../../src/inventory/index.ts';
import { createChannel, createLocation, createLocationGroup } from '../../src/network/index.ts';
import {
  defaultRoutingRules,
  planWithKits,
  type Candidate,
  type PlanOrder,
  type StockSnapshot,
} from '../../src/routing/index.ts';
import type { Result } from '../../src/shared/result.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { orderBody, placeOrder } from '../support/orders.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/** A network of a few hundred locations in which each SKU is held by one to three of them. */
const LOCATIONS = 300;
const SKUS = 12;
/**
 * What a routing decision may weigh, whatever the size of the network: it lists the few locations
 * holding the order's SKUs. As JSON text, three lines from three locations (eight candidates)
 * take about 7 kB and a one-line order under 4 kB; the database stores either (compressed) in
 * under 4 kB.
 */
const MAX_BYTES = { threeLinesText: 8_192, oneLineText: 4_096, stored: 4_096, response: 32_768 } as const;

let database: TestDatabase;
let server: TestServer;
let locationIds: string[];
let skus: string[];
/** Which locations hold each SKU, and how many units. */
const holders = new Map<string, { locationId: string; onHand: number }[]>();

function must<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(result.problem.detail);
  return result.value;
}

async function addLocations(tx: Tx): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < LOCATIONS; i++) {
    const code = `NET-${String(i).padStart(3, '0')}`;
    const created = await createLocation(tx, {
      code,
      type: i % 10 === 0 ? 'distribution_center' : 'store',
      name: `Net ${code}`,
      address: { line1: '1 Main St', city: 'Springfield', country: 'US' },
      // Spread over the north-east, so distances differ.
      latitude: 38 + (i % 20) * 0.3,
      longitude: -80 + Math.floor(i / 20) * 0.4,
      timezone: 'America/New_York',
      capabilities: ['ship', 'pickup'],
    });
    ids.push(must(created).id);
  }
  return ids;
}

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  const seeded = await inTransaction(database.db, async (tx) => {
    const ids = await addLocations(tx);
    const group = must(await createLocationGroup(tx, { code: 'net', name: 'Network', location_ids: ids }));
    must(await createChannel(tx, { code: 'web', name: 'Web', type: 'web', location_group_id: group.id }));
    const names: string[] = [];
    for (let i = 1; i <= SKUS; i++) {
      const sku = `NET-SKU-${String(i).padStart(2, '0')}`;
      must(await createProduct(tx, { sku, name: `Network item ${i}`, weight_grams: 300 }));
      names.push(sku);
    }
    return { ok: true as const, value: { ids, names } };
  });
  locationIds = must(seeded).ids;
  skus = must(seeded).names;
  // SKU i is held by 1–3 locations spread over the network.
  for (const [i, sku] of skus.entries()) {
    const count = 1 + (i % 3);
    holders.set(
      sku,
      Array.from({ length: count }, (_, k) => ({
        locationId: locationIds[(i * 37 + k * 101) % LOCATIONS]!,
        onHand: 4 + k * 3,
      })),
    );
  }
  const rows = [...holders].flatMap(([sku, at]) =>
    at.map((h) => ({ location_id: h.locationId, sku, on_hand: h.onHand })),
  );
  must(
    await inTransaction(database.db, (tx) =>
      ingestFeed(
        tx,
        { feed_id: 'network', mode: 'snapshot', as_of: '2000-01-01T00:00:00.000Z', source: 'test', rows },
        'network-setup',
        null,
      ),
    ),
  );
}, 120_000);

afterAll(async () => {
  await server?.close();
  await database?.close();
});

/** Every location as a routing candidate, as routing saw them before candidates were narrowed to stock holders. */
async function everyLocation(): Promise<Candidate[]> {
  const rows = await query<{
    id: string;
    name: string;
    type: Candidate['type'];
    latitude: number | null;
    longitude: number | null;
    timezone: string;
    capabilities: Candidate['capabilities'];
    priority: number;
    active: boolean;
  }>(
    database.db,
    sql`select id, name, type, latitude, longitude, timezone, capabilities, priority, active from locations order by id`,
  );
  return rows.map((r) => ({
    ...r,
    dailyCapacity: null,
    capacityUsedToday: 0,
    cutoffTime: null,
    inChannelGroup: true,
  }));
}

async function stockNow(): Promise<StockSnapshot> {
  const rows = await query<{ location_id: string; sku: string; available: number }>(
    database.db,
    sql`select location_id, sku, on_hand - reserved - safety_stock as available from stock_levels`,
  );
  const snapshot = new Map<string, Map<string, number>>();
  for (const r of rows) snapshot.set(r.location_id, (snapshot.get(r.location_id) ?? new Map()).set(r.sku, r.available));
  return snapshot;
}

const routing = (orderId: string, query = '') => server.request('GET', `/v1/orders/${orderId}/routing${query}`);

describe('routing in a network of a few hundred locations', () => {
  it('plans on the stock holders alone: the same plan as over every location, a small decision, the rest counted', async () => {
    const lines = [
      { sku: skus[1]!, quantity: 2 },
      { sku: skus[5]!, quantity: 3 },
      { sku: skus[8]!, quantity: 1 },
    ];
    const body = orderBody('NET-1', lines);
    // What the planner decides over every location, and over the stock holders alone, before the order takes stock.
    const all = await everyLocation();
    const stock = await stockNow();
    const held = new Set([...holders.values()].flat().map((h) => h.locationId));
    const request: PlanOrder = {
      channelId: 'web',
      deliveryMethod: 'ship',
      pickupLocationId: null,
      allowShipFallback: false,
      destination: { latitude: body.shipping_address.latitude, longitude: body.shipping_address.longitude },
      lines: lines.map((l, i) => ({
        lineId: `L${i + 1}`,
        sku: l.sku,
        quantity: l.quantity,
        weightGrams: 300,
        allowBackorder: false,
      })),
      placedAt: new Date().toISOString(),
      excludedLocationIds: [],
    };
    const now = new Date();
    const overAll = planWithKits(request, all, stock, defaultRoutingRules, new Map(), now);
    const overHolders = planWithKits(
      request,
      all.filter((c) => held.has(c.id)),
      stock,
      defaultRoutingRules,
      new Map(),
      now,
    );
    const placements = (allocations: { locationId: string; lineId: string; quantity: number }[]) =>
      allocations.map((a) => ({ location_id: a.locationId, line_id: a.lineId, quantity: a.quantity }));
    expect(overAll.status).toBe('allocated');
    expect(placements(overHolders.allocations)).toEqual(placements(overAll.allocations));

    const placed = await placeOrder(server, body);
    expect(placed.status).toBe(201);
    const allocated = (placed.body.allocations as { location_id: string; line_id: string; quantity: number }[]).map(
      (a) => ({ location_id: a.location_id, line_id: a.line_id, quantity: a.quantity }),
    );
    expect(allocated).toEqual(expect.arrayContaining(placements(overAll.allocations)));
    expect(allocated).toHaveLength(overAll.allocations.length);

    const stored = await query<{ bytes: number; stored: number }>(
      database.db,
      sql`select octet_length(explanation::text)::int as bytes, pg_column_size(explanation)::int as stored
          from routing_decisions where order_id = ${placed.body.id}`,
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]!.bytes).toBeLessThanOrEqual(MAX_BYTES.threeLinesText);
    expect(stored[0]!.stored).toBeLessThanOrEqual(MAX_BYTES.stored);

    const response = await routing(placed.body.id);
    expect(response.status).toBe(200);
    expect(Buffer.byteLength(JSON.stringify(response.body))).toBeLessThanOrEqual(MAX_BYTES.response);
    const explanation = response.body.latest.explanation.explanation;
    const candidateIds = explanation.candidates.map((c: { locationId: string }) => c.locationId);
    const holding = new Set(lines.flatMap((l) => holders.get(l.sku)!.map((h) => h.locationId)));
    expect(new Set(candidateIds)).toEqual(holding);
    const omitted = LOCATIONS - holding.size;
    expect(explanation.omitted).toEqual({
      count: omitted,
      summary: `${omitted} locations of the group hold none of these SKUs`,
    });
    expect(explanation.omitted.locations).toBeUndefined();

    const detailed = await routing(placed.body.id, '?detail=all');
    expect(detailed.status).toBe(200);
    const listed = detailed.body.latest.explanation.explanation.omitted.locations as {
      locationId: string;
      eligible: boolean;
      excludedBy: { code: string }[];
    }[];
    expect(listed).toHaveLength(omitted);
    expect(new Set([...listed.map((l) => l.locationId), ...candidateIds])).toEqual(new Set(locationIds));
    expect(listed.every((l) => !l.eligible && l.excludedBy.some((e) => e.code === 'no_stock'))).toBe(true);
    expect(listed.some((l) => holding.has(l.locationId))).toBe(false);
  });

  it('keeps the decision of a one-line order held by three locations under 4 kB', async () => {
    const sku = skus[2]!;
    expect(holders.get(sku)).toHaveLength(3);
    const placed = await placeOrder(server, orderBody('NET-2', [{ sku, quantity: 1 }]));
    expect(placed.status).toBe(201);
    const stored = await query<{ bytes: number; stored: number; candidates: number }>(
      database.db,
      sql`select octet_length(explanation::text)::int as bytes, pg_column_size(explanation)::int as stored,
                 json_array_length(explanation -> 'explanation' -> 'candidates') as candidates
          from routing_decisions where order_id = ${placed.body.id}`,
    );
    expect(stored[0]!.candidates).toBe(3);
    expect(stored[0]!.bytes).toBeLessThanOrEqual(MAX_BYTES.oneLineText);
    expect(stored[0]!.stored).toBeLessThanOrEqual(MAX_BYTES.stored);
  });

  it('keeps a pickup store without the stock as a candidate, so the refusal names its shortfall', async () => {
    const sku = skus[0]!;
    const store = locationIds.find((id) => !holders.get(sku)!.some((h) => h.locationId === id))!;
    const response = await placeOrder(
      server,
      orderBody('NET-PICKUP', [{ sku, quantity: 1 }], {
        delivery_method: 'pickup',
        pickup_location_id: store,
        allow_ship_fallback: false,
      }),
    );
    expect(response.status).toBe(409);
    const explanation = response.body.routing;
    expect(explanation.candidates.map((c: { locationId: string }) => c.locationId)).toContain(store);
    expect(response.body.detail).toContain('does not hold every line in full');
    expect(explanation.omitted.count).toBe(LOCATIONS - 1 - holders.get(sku)!.length);
  });

  it('refuses an order of a SKU no location holds, counting the whole group as holding none', async () => {
    const created = await server.request('POST', '/v1/products', {
      body: { sku: 'NET-NOWHERE', name: 'Held nowhere', weight_grams: 100 },
    });
    expect(created.status).toBe(201);
    const response = await placeOrder(server, orderBody('NET-NONE', [{ sku: 'NET-NOWHERE', quantity: 1 }]));
    expect(response.status).toBe(409);
    expect(response.body.detail).toContain(`No candidate location is eligible (${LOCATIONS} × no_stock)`);
    expect(response.body.routing.candidates).toEqual([]);
    expect(response.body.routing.omitted.count).toBe(LOCATIONS);
  });
});
