import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRoutingRules } from '../../src/routing/index.ts';
import { brRateTable } from '../../src/routing/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { setStock } from '../support/fixtures.ts';
import { orderBody, placeOrder } from '../support/orders.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const SKU = 'BR-GARRAFA';

const brTable = brRateTable();

let database: TestDatabase;
let server: TestServer;
let campinas: string;
let recife: string;

async function must(method: string, path: string, body: unknown) {
  const response = await server.request(method, path, { body });
  if (response.status >= 300)
    throw new Error(`${method} ${path} → ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { id: string; version: number };
}

const location = (code: string, city: string, latitude: number, longitude: number, timezone: string) =>
  must('POST', '/v1/locations', {
    code,
    type: 'warehouse',
    name: `${city} DC`,
    address: { line1: 'Rua 1', city, country: 'BR' },
    latitude,
    longitude,
    timezone,
    capabilities: ['ship'],
  });

/** An order of one bottle to Av. Paulista, São Paulo, from `channel` in `currency`. */
function paulistaOrder(externalId: string, channel: string, currency: string) {
  const body = orderBody(externalId, [{ sku: SKU, quantity: 1 }], {
    channel,
    shipping_address: {
      name: 'Ana Souza',
      line1: 'Av. Paulista 1000',
      city: 'São Paulo',
      postal_code: '01310-100',
      country: 'BR',
      latitude: -23.5614,
      longitude: -46.6559,
    },
  });
  return JSON.parse(JSON.stringify(body).replaceAll('"USD"', `"${currency}"`)) as unknown;
}

/** The stored plan of a decision: its result and, inside, its explanation. */
interface Decision {
  currency: string;
  shipments: { locationId: string; costMinor: number }[];
  explanation: {
    rulesSummary: string;
    notes: string[];
    chosen: { description: string };
    runnerUp: { whyNotChosen: string } | null;
  };
}

async function decisionOf(orderId: string): Promise<Decision> {
  const routing = await server.request('GET', `/v1/orders/${orderId}/routing`);
  return routing.body.latest.explanation as Decision;
}

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  campinas = (await location('CPQ', 'Campinas', -22.9056, -47.0608, 'America/Sao_Paulo')).id;
  recife = (await location('REC', 'Recife', -8.0476, -34.877, 'America/Recife')).id;
  const group = await must('POST', '/v1/location-groups', {
    code: 'br',
    name: 'Brazil',
    location_ids: [campinas, recife],
  });
  const channel = { type: 'web', location_group_id: group.id };
  await must('POST', '/v1/channels', { ...channel, code: 'br-web', name: 'Loja BR', currency: 'BRL' });
  await must('POST', '/v1/channels', { ...channel, code: 'web', name: 'US web store', currency: 'USD' });
  await must('POST', '/v1/products', { sku: SKU, name: 'Garrafa', weight_grams: 800 });
  await setStock(server, campinas, SKU, 10);
  await setStock(server, recife, SKU, 10);
  await must('PUT', '/v1/routing/rules', {
    rules: { ...defaultRoutingRules, rateTables: [brTable] },
    activate: true,
  });
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

describe('rate tables per channel', () => {
  it('routes the BR channel by its BRL table, shown in BRL, to another location than the default would', async () => {
    const placed = await placeOrder(server, paulistaOrder('BR-2001', 'br-web', 'BRL'));
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(placed.body.fulfillment_orders.map((f: { location_id: string }) => f.location_id)).toEqual([recife]);
    const decision = await decisionOf(placed.body.id);
    expect(decision.currency).toBe('BRL');
    expect(decision.shipments).toMatchObject([{ locationId: recife, costMinor: 1600 }]);
    expect(decision.explanation.rulesSummary).toContain('Freight from the BR table in BRL.');
    expect(decision.explanation.chosen.description).toMatch(/^1 shipment: Recife DC \(L1\): 2,[\d,]+ km, R\$16\.00,/);
    expect(decision.explanation.runnerUp?.whyNotChosen).toMatch(/\+R\$46\.00 freight \(\+4,600\)/);
    expect(decision.explanation.notes).toEqual([]);
  });

  it('routes the US channel by the default USD table: the nearer location', async () => {
    const placed = await placeOrder(server, paulistaOrder('US-2001', 'web', 'USD'));
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(placed.body.fulfillment_orders.map((f: { location_id: string }) => f.location_id)).toEqual([campinas]);
    const decision = await decisionOf(placed.body.id);
    expect(decision.currency).toBe('USD');
    expect(decision.explanation.rulesSummary).toContain('Freight from the default rate table in USD.');
    expect(decision.explanation.chosen.description).toMatch(/Campinas DC \(L1\): \d+(\.\d+)? km, \$9\.40,/);
  });

  it('refuses a table in another currency than the channel it names, with problem+json, and changes nothing', async () => {
    const before = (await server.request('GET', '/v1/routing/rules')).body;
    const bad = {
      ...brTable,
      channels: ['br-web', 'web'],
      bands: [
        { maxKm: 300, zone: 'local' },
        { maxKm: 900, zone: 'regional' },
      ],
    };
    const response = await server.request('PUT', '/v1/routing/rules', {
      body: { rules: { ...defaultRoutingRules, rateTables: [bad] }, activate: true },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body.code).toBe('validation_failed');
    expect(response.body.errors).toEqual([
      {
        pointer: '/rules/rateTables/0/bands/1/maxKm',
        message: 'the last band must be open-ended (null) so every distance has a band',
      },
      { pointer: '/rules/rateTables/0/bands/1/zone', message: 'zone "regional" has no rate in zones' },
      {
        pointer: '/rules/rateTables/0/channels/1',
        message: 'channel web sells in USD, so its rate table must be in USD, not BRL',
      },
    ]);
    const unknown = await server.request('PUT', '/v1/routing/rules', {
      body: { rules: { ...defaultRoutingRules, rateTables: [{ ...brTable, channels: ['nowhere'] }] } },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([
      { pointer: '/rules/rateTables/0/channels/0', message: 'no channel has the id or code "nowhere"' },
    ]);
    expect((await server.request('GET', '/v1/routing/rules')).body).toEqual(before);
  });

  it('says freight is in the default table’s currency when no table matches a BRL order', async () => {
    await must('PUT', '/v1/routing/rules', { rules: defaultRoutingRules, activate: true });
    const placed = await placeOrder(server, paulistaOrder('BR-2002', 'br-web', 'BRL'));
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    const decision = await decisionOf(placed.body.id);
    expect(decision.currency).toBe('USD');
    expect(decision.explanation.notes).toContain(
      "Freight from the default rate table in USD, not the order's BRL (no rate table in BRL matches the order; amounts are not converted).",
    );
  });
});
