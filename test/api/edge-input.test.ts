import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../src/db/index.ts';
import { easypostSignature } from '../../src/tracking/signatures.ts';
import { connectorFixture, startConnectorWorld, type ConnectorWorld } from '../support/connectors.ts';
import { tableCounts } from '../support/invariants.ts';
import { orderBody, placeOrder } from '../support/orders.ts';
import { shipDirectly } from '../support/shipments.ts';
import { subscriptionBody } from '../support/subscriptions.ts';
import type { RequestOptions, TestResponse } from '../support/server.ts';

/**
 * Input that once reached PostgreSQL (or the runtime) and came back as a 500: text PostgreSQL
 * cannot store, integers beyond a column's range, totals beyond 64 bits, a platform order
 * without a currency, and the answers Fastify itself gives before any route runs.
 */
const EASYPOST_SECRET = 'whsec_consign_edge_input_tests';
process.env.CONSIGN_EASYPOST_WEBHOOK_SECRET = EASYPOST_SECRET;

let world: ConnectorWorld;
const sku = () => 'IPOD2008PINK';

beforeAll(async () => {
  // The Shopify fixture's SKUs, in stock at both stores, and a channel with a Shopify connector.
  world = await startConnectorWorld({ platform: 'shopify', skus: ['IPOD2008PINK', 'IPOD2008GREEN'] });
});
afterAll(async () => world?.close());

const request = (method: string, path: string, options?: RequestOptions) => world.server.request(method, path, options);

function expectProblem(response: TestResponse, status: number, code: string) {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(response.body).toMatchObject({ status, code, type: `/problems/${code}` });
  expect(typeof response.body.detail).toBe('string');
}

const pointers = (response: TestResponse) => (response.body.errors ?? []).map((e: { pointer: string }) => e.pointer);

/** Sends the request and requires a 4xx problem with `code` that wrote nothing. */
async function refused(method: string, path: string, options: RequestOptions, status: number, code: string) {
  const before = await tableCounts(world.database.db);
  const response = await request(method, path, options);
  expectProblem(response, status, code);
  expect(await tableCounts(world.database.db)).toEqual(before);
  return response;
}

describe('text PostgreSQL cannot store (NUL, unpaired surrogates) is refused at the edge', () => {
  const hold = (over: Record<string, unknown>) => ({
    lines: [{ sku: 'IPOD2008PINK', location_id: world.net.storeA, quantity: 1 }],
    ...over,
  });

  it('a NUL in a body string → 400 invalid_text pointing at the field', async () => {
    const response = await refused(
      'POST',
      '/v1/reservations',
      { body: hold({ reference: 'cart\u0000' }) },
      400,
      'invalid_text',
    );
    expect(pointers(response)).toEqual(['/reference']);
  });

  it('an unpaired surrogate in a body string → 400 invalid_text', async () => {
    const response = await refused(
      'POST',
      '/v1/reservations',
      { body: hold({ reference: 'cart\ud800' }) },
      400,
      'invalid_text',
    );
    expect(pointers(response)).toEqual(['/reference']);
  });

  it('a NUL in a path parameter → 400 invalid_text', async () => {
    const response = await refused('GET', '/v1/orders/ord_%00', {}, 400, 'invalid_text');
    expect(pointers(response)).toEqual(['/params/id']);
  });

  it('a NUL in a query parameter → 400 invalid_text', async () => {
    const response = await refused('GET', '/v1/products?sku=A%00B', {}, 400, 'invalid_text');
    expect(pointers(response)).toEqual(['/querystring/sku']);
  });

  it('an order whose external ID or customer name cannot be stored → 400 invalid_text, no order', async () => {
    const nul = await refused(
      'POST',
      '/v1/orders',
      { body: orderBody('x\u0000', [{ sku: sku(), quantity: 1 }]) },
      400,
      'invalid_text',
    );
    expect(pointers(nul)).toContain('/external_id');
    const surrogate = await refused(
      'POST',
      '/v1/orders',
      { body: orderBody('EDGE-1', [{ sku: sku(), quantity: 1 }], { customer: { name: 'a\ud800' } }) },
      400,
      'invalid_text',
    );
    expect(pointers(surrogate)).toEqual(['/customer/name']);
  });

  it('a paired surrogate (an emoji) is ordinary text', async () => {
    const response = await placeOrder(
      world.server,
      orderBody('EDGE-EMOJI', [{ sku: sku(), quantity: 1 }], { customer: { name: 'Ana 🙂' } }),
    );
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body.customer.name).toBe('Ana 🙂');
  });
});

describe('signed webhooks carrying NUL or unpaired surrogates are taken in with that text cleaned', () => {
  it('a Shopify order with a NUL in the customer name is placed, the NUL dropped', async () => {
    const raw = connectorFixture('shopify/orders-create.json')
      .replace('"first_name": "John"', '"first_name": "Jo\\u0000hn"')
      .replace('"last_name": "Smith"', '"last_name": "Smi\\ud800th"');
    const response = await world.post(raw);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    const order = (await request('GET', `/v1/orders/${response.body.order.id}`)).body;
    expect(order.customer.name).toBe('John Smi\ufffdth');
  });

  it('an EasyPost update with a NUL in an event message is recorded, the NUL dropped', async () => {
    const placed = await placeOrder(world.server, orderBody('EDGE-TRACK', [{ sku: sku(), quantity: 1 }]));
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    const shipmentId = await shipDirectly(world.database.db, placed.body.id, {
      carrier: 'ups',
      trackingNumber: '1ZEDGE0000001',
    });
    const body = JSON.parse(connectorFixtureOfCarrier('easypost/tracker-updated-in-transit.json')) as {
      result: Record<string, unknown> & { tracking_details: { message: string }[] };
    };
    body.result.tracking_code = '1ZEDGE0000001';
    body.result.carrier = 'UPS';
    body.result.tracking_details[1]!.message = 'Pickup\u0000 Scan\udc00';
    const raw = JSON.stringify(body);
    const response = await request('POST', '/v1/webhooks/carriers/easypost', {
      rawBody: raw,
      key: null,
      headers: { 'x-hmac-signature': easypostSignature(raw, EASYPOST_SECRET) },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const messages = await query<{ message: string }>(
      world.database.db,
      sql`select description as message from tracking_events where shipment_id = ${shipmentId} order by occurred_at`,
    );
    expect(messages.map((m) => m.message)).toContain('Pickup Scan\ufffd');
  });
});

describe('integers beyond what Consign stores are refused by the schema', () => {
  for (const value of ['2147483648', '9223372036854775808', '1e308']) {
    it(`max_available=${value} → 400 validation_failed`, async () => {
      const response = await refused(
        'GET',
        `/v1/inventory/levels?max_available=${value}`,
        {},
        400,
        'validation_failed',
      );
      expect(pointers(response)).toEqual(['/querystring/max_available']);
    });
    it(`routing rule version ${value} → 400 validation_failed`, async () => {
      const response = await refused('POST', `/v1/routing/rules/${value}/activate`, {}, 400, 'validation_failed');
      expect(pointers(response)).toEqual(['/params/version']);
    });
  }

  it('a subscription whose period total exceeds the largest amount → 400 naming the lines', async () => {
    const body = subscriptionBody({
      lines: [{ sku: sku(), quantity: 1_000_000_000, unit_price: { amount: 9_000_000_000_000, currency: 'USD' } }],
    });
    const response = await refused('POST', '/v1/subscriptions', { body }, 400, 'validation_failed');
    expect(pointers(response)).toEqual(['/lines']);
  });
});

describe('a signed Shopify order without a usable currency', () => {
  for (const [name, edit] of [
    ['missing', (raw: string) => raw.replace('"currency": "USD",', '')],
    ['not a currency code', (raw: string) => raw.replace('"currency": "USD",', '"currency": "DOLLARS",')],
  ] as const) {
    it(`${name} → 400 validation_failed at /currency, no order`, async () => {
      const raw = edit(connectorFixture('shopify/orders-create.json'));
      const before = await tableCounts(world.database.db);
      const response = await world.post(raw);
      expectProblem(response, 400, 'validation_failed');
      expect(pointers(response)).toContain('/currency');
      expect(await tableCounts(world.database.db)).toEqual(before);
    });
  }
});

describe("Fastify's own refusals are problem+json too", () => {
  it('a path with a malformed escape → 400 malformed_url', async () => {
    await refused('GET', '/v1/orders/ord_%ZZ', {}, 400, 'malformed_url');
  });

  it('a path parameter over the length limit → 414 uri_too_long', async () => {
    await refused('GET', `/v1/orders/ord_${'a'.repeat(200)}`, {}, 414, 'uri_too_long');
  });

  it('headers over 64 KiB → 431 headers_too_large', async () => {
    await refused('GET', `/v1/orders?x=${'a'.repeat(70_000)}`, {}, 431, 'headers_too_large');
  });

  it('bad JSON, unknown route, other media type and a body too large stay problems', async () => {
    await refused('POST', '/v1/reservations', { rawBody: '{"lines": [' }, 400, 'malformed_json');
    await refused('GET', '/v1/nothing-here', {}, 404, 'not_found');
    await refused(
      'POST',
      '/v1/reservations',
      { rawBody: 'x', headers: { 'content-type': 'text/xml' } },
      415,
      'unsupported_media_type',
    );
    await refused('POST', '/v1/reservations', { rawBody: `"${'x'.repeat(1_100_000)}"` }, 413, 'payload_too_large');
  });
});

function connectorFixtureOfCarrier(name: string): string {
  return connectorFixture(`../carriers/${name}`);
}
