import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../src/db/index.ts';
import { importPostalCentroids, locatePostalCode } from '../../src/geo/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { setStock } from '../support/fixtures.ts';
import { orderBody, placeOrder } from '../support/orders.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const FIXTURE = fileURLToPath(new URL('../fixtures/geonames-postal.txt', import.meta.url));
const SKU = 'BR-CANECA';

let database: TestDatabase;
let server: TestServer;
let saoPaulo: string;
let manaus: string;

async function must(method: string, path: string, body: unknown) {
  const response = await server.request(method, path, { body });
  if (response.status >= 300)
    throw new Error(`${method} ${path} → ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { id: string };
}

const location = (code: string, city: string, latitude: number, longitude: number, timezone: string) =>
  must('POST', '/v1/locations', {
    code,
    type: 'warehouse',
    name: `${city} warehouse`,
    address: { line1: 'Rua 1', city, country: 'BR' },
    latitude,
    longitude,
    timezone,
    capabilities: ['ship'],
  });

/** A BR order to `postalCode` with no coordinates. */
function brazilianOrder(externalId: string, postalCode: string) {
  return orderBody(externalId, [{ sku: SKU, quantity: 1 }], {
    shipping_address: {
      name: 'Ana Souza',
      line1: 'Av. Paulista 1000',
      city: 'São Paulo',
      postal_code: postalCode,
      country: 'BR',
    },
  });
}

async function routingOf(orderId: string) {
  const routing = await server.request('GET', `/v1/orders/${orderId}/routing`);
  return routing.body.latest.explanation.explanation as {
    notes: string[];
    chosen: { locationIds: string[]; description: string } | null;
    candidates: { locationId: string; scores: { distanceKm: number | null } }[];
  };
}

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  const imported = await importPostalCentroids(database.db, FIXTURE, { skipInvalid: true });
  expect(imported.ok).toBe(true);
  saoPaulo = (await location('SAO', 'São Paulo', -23.5505, -46.6333, 'America/Sao_Paulo')).id;
  manaus = (await location('MAO', 'Manaus', -3.119, -60.0217, 'America/Manaus')).id;
  const group = await must('POST', '/v1/location-groups', {
    code: 'br',
    name: 'Brazil',
    location_ids: [saoPaulo, manaus],
  });
  await must('POST', '/v1/channels', { code: 'web', name: 'Web', type: 'web', location_group_id: group.id });
  await must('POST', '/v1/products', { sku: SKU, name: 'Caneca', weight_grams: 300 });
  await setStock(server, saoPaulo, SKU, 5);
  await setStock(server, manaus, SKU, 5);
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

describe('importing postal centroids', () => {
  it('keeps one centroid per code: the mean of its places, named after the first', async () => {
    const rows = await query<{
      country: string;
      postal_key: string;
      place_name: string;
      latitude: number;
      longitude: number;
    }>(
      database.db,
      sql`select country, postal_key, place_name, latitude, longitude from postal_centroids order by country, postal_key`,
    );
    expect(rows.map((r) => `${r.country} ${r.postal_key}`)).toEqual([
      'BR 01310',
      'BR 69005',
      'DE 10115',
      'DE 80331',
      'GB EC1A',
      'GB SW1A',
      'US 94105',
    ]);
    const paulista = rows[0]!;
    expect(paulista.place_name).toBe('São Paulo');
    expect(paulista.latitude).toBeCloseTo((-23.5614 - 23.565) / 2, 9);
    expect(paulista.longitude).toBeCloseTo((-46.6559 - 46.652) / 2, 9);
  });

  it('refuses a file with bad rows unless told to skip them, leaving the centroids as they were', async () => {
    const refused = await importPostalCentroids(database.db, FIXTURE, { skipInvalid: false });
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.problem).toMatchObject({ code: 'feed_rejected', invalid: [{ line: 4 }], invalid_count: 1 });
    const count = await query<{ n: number }>(database.db, sql`select count(*)::int as n from postal_centroids`);
    expect(count[0]!.n).toBe(7);
  });
});

describe('locating a postal code', () => {
  it('takes the code itself, else its longest stored prefix of 3 or more characters', async () => {
    const mean = { latitude: (-23.5614 - 23.565) / 2, longitude: (-46.6559 - 46.652) / 2 };
    const exact = await locatePostalCode(database.db, 'br', '01310');
    expect(exact?.latitude).toBeCloseTo(mean.latitude, 9);
    const cep = await locatePostalCode(database.db, 'BR', '01310-100');
    expect(cep?.latitude).toBeCloseTo(mean.latitude, 9);
    expect(await locatePostalCode(database.db, 'GB', 'sw1a 1aa')).toEqual({ latitude: 51.501, longitude: -0.1416 });
    expect(await locatePostalCode(database.db, 'BR', '99999-999')).toBeNull();
    expect(await locatePostalCode(database.db, 'DE', '01')).toBeNull(); // too short for a prefix
    expect(await locatePostalCode(database.db, 'FR', '75001')).toBeNull();
  });

  it('takes imported US ZIP codes first and falls back to the built-in list for the others', async () => {
    // The built-in list has 94105 at 37.791575, -122.393733; the import wins.
    expect(await locatePostalCode(database.db, 'US', '94105-1420')).toEqual({
      latitude: 37.7864,
      longitude: -122.3892,
    });
    const newYork = await locatePostalCode(database.db, 'US', '10118');
    expect(newYork?.latitude).toBeCloseTo(40.75, 1);
    expect(await locatePostalCode(database.db, 'US', '941')).toBeNull();
  });
});

describe('routing an order by its postal code', () => {
  it('routes a São Paulo order without coordinates to São Paulo, and explains the distance', async () => {
    const placed = await placeOrder(server, brazilianOrder('BR-1001', '01310-100'));
    expect(placed.status).toBe(201);
    expect(placed.body.fulfillment_orders[0].location_id).toBe(saoPaulo);
    const explanation = await routingOf(placed.body.id);
    expect(explanation.chosen?.locationIds).toEqual([saoPaulo]);
    expect(explanation.chosen?.description).toMatch(/São Paulo warehouse \(L1\): \d+(\.\d+)? km,/);
    const distances = Object.fromEntries(explanation.candidates.map((c) => [c.locationId, c.scores.distanceKm]));
    expect(distances[saoPaulo]).toBeLessThan(10);
    expect(distances[manaus]).toBeGreaterThan(2_500);
    expect(explanation.notes.join(' ')).not.toMatch(/delivery address/);
  });

  it('scores an imported old order from its receipt: not as months late', async () => {
    const body = { ...brazilianOrder('BR-1004', '01310-100'), placed_at: '2024-06-01T12:00:00Z' };
    const placed = await placeOrder(server, body);
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(placed.body.fulfillment_orders[0].location_id).toBe(saoPaulo);
    const explanation = await routingOf(placed.body.id);
    expect(explanation.notes.join('\n')).toMatch(
      /^Placed 2024-06-01 and received 20\d\d-\d\d-\d\d, after its 5-day SLA had run out: the SLA counts from receipt\.$/m,
    );
    expect(explanation.chosen?.description).toContain('on time');
  });

  it('says an address it could not locate could not be located, not that there is none', async () => {
    const placed = await placeOrder(server, brazilianOrder('BR-1002', '99999-999'));
    expect(placed.status).toBe(201);
    const explanation = await routingOf(placed.body.id);
    expect(explanation.notes).toContain(
      'The delivery address (BR 99999-999) could not be located: distance counts as 0 km, with the first band’s zone and transit days.',
    );
    expect(explanation.notes.join(' ')).not.toMatch(/no delivery address/);
    expect(explanation.chosen?.description).toContain('address not located');
  });

  it('locates a changed address by its postal code and routes the open units again', async () => {
    const placed = await placeOrder(server, brazilianOrder('BR-1003', '69005-000'));
    expect(placed.status).toBe(201);
    expect(placed.body.fulfillment_orders[0].location_id).toBe(manaus);
    const drafted = await server.request('POST', `/v1/orders/${placed.body.id}/changes`, {
      body: {
        reason: 'customer moved',
        actions: [
          {
            type: 'change_shipping_address',
            shipping_address: {
              line1: 'Av. Paulista 1000',
              city: 'São Paulo',
              postal_code: '01310-100',
              country: 'BR',
            },
          },
        ],
      },
    });
    expect(drafted.status, JSON.stringify(drafted.body)).toBe(201);
    const confirmed = await server.request('POST', `/v1/orders/${placed.body.id}/changes/${drafted.body.id}/confirm`, {
      body: {},
    });
    expect(confirmed.body.status).toBe('confirmed');
    const after = await server.request('GET', `/v1/orders/${placed.body.id}`);
    const live = after.body.fulfillment_orders.filter((f: { status: string }) => f.status === 'allocated');
    expect(live.map((f: { location_id: string }) => f.location_id)).toEqual([saoPaulo]);
  });
});
