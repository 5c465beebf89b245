import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAvataxServer, sampleRequest, sampleResponse } from '../support/avatax-server.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createSmallNetwork, setStock, type SmallNetwork } from '../support/fixtures.ts';
import { placeIrvineOrder } from '../support/irvine-order.ts';
import type { TestServer } from '../support/server.ts';
import { waitFor } from '../support/wait.ts';
import { ship, startPaymentsServer } from './payments-support.ts';

let database: TestDatabase;
let server: TestServer;
let net: SmallNetwork;
let avatax: Awaited<ReturnType<typeof startAvataxServer>>;

const usd = (amount: number) => ({ amount, currency: 'USD' });
const irvine = sampleRequest.addresses.SingleLocation;

beforeAll(async () => {
  avatax = await startAvataxServer();
  process.env.CONSIGN_AVATAX_URL = avatax.url;
  process.env.CONSIGN_AVATAX_ACCOUNT = '1100012345';
  process.env.CONSIGN_AVATAX_LICENSE = 'LICENSEKEY';
  process.env.CONSIGN_AVATAX_COMPANY = sampleRequest.companyCode;
  database = await createTestDatabase();
  server = await startPaymentsServer(database);
  net = await createSmallNetwork(server, 2);
  await server.request('PATCH', `/v1/locations/${net.storeA}`, { body: { latitude: 40.75, longitude: -73.99 } });
  for (const sku of net.skus) await setStock(server, net.storeA, sku, 500);
});
afterAll(async () => {
  await server?.close();
  await database?.close();
  await avatax?.close();
});

const settings = (body: Record<string, unknown>) =>
  server.request('PUT', '/v1/tax/settings', {
    body: { engine: 'avatax', on_failure: 'hold', price_mode: 'exclusive', ship_from: null, ...body },
  });

let counter = 0;
/** The sample's sale: one unit at 100.00 shipped to Irvine, CA 92615, 7.75 tax charged on top. */
async function irvineOrder() {
  counter += 1;
  return placeIrvineOrder(server, `TAX-${counter}`, [{ sku: net.skus[0]!, quantity: 1, price: 10_000 }], 775);
}

describe('AvaTax', () => {
  it('quotes at capture, commits on invoice and gives tax back on refund, exact to the cent', async () => {
    expect((await settings({})).status).toBe(200);
    const before = avatax.requests.length;
    const order = await irvineOrder();

    const [create] = avatax.requests.slice(before);
    expect(create!.path).toBe('/api/v2/transactions/create');
    expect(create!.authorization).toBe(`Basic ${Buffer.from('1100012345:LICENSEKEY').toString('base64')}`);
    expect(create!.body).toMatchObject({
      type: 'SalesInvoice',
      code: order.id,
      companyCode: sampleRequest.companyCode,
      commit: false,
      currencyCode: 'USD',
      addresses: { singleLocation: irvine },
      lines: [{ number: 'L1', quantity: 1, amount: sampleRequest.lines[0].amount, itemCode: net.skus[0] }],
    });

    const quoted = (await server.request('GET', `/v1/orders/${order.id}/tax`)).body;
    const [sale] = quoted.documents;
    expect(sale).toMatchObject({ kind: 'sale', engine: 'avatax', status: 'uncommitted', external_code: order.id });
    // AvaTax's sample: totalTax 7.75, four jurisdictions 6.00 + 0.25 + 0.50 + 1.00.
    expect(sale.tax).toEqual(usd(Math.round(sampleResponse.totalTax * 100)));
    expect(sale.tax).toEqual(usd(775));
    expect(sale.lines[0].details).toEqual(
      sampleResponse.lines[0].details.map((d: Record<string, number | string>) => ({
        jurisdiction: `${d.jurisType}:${d.jurisCode}`,
        name: d.taxName,
        rate_ppm: Math.round(Number(d.rate) * 1_000_000),
        tax_minor: Math.round(Number(d.tax) * 100),
      })),
    );
    expect(sale.lines[0].details.map((d: { tax_minor: number }) => d.tax_minor)).toEqual([600, 25, 50, 100]);

    await ship(server, order.fulfillment_orders[0].id);
    const commit = avatax.requests.find((r) => r.path.endsWith('/commit'));
    expect(commit).toMatchObject({
      path: `/api/v2/companies/${sampleRequest.companyCode}/transactions/${order.id}/commit`,
      body: { commit: true },
    });
    const invoiced = (await server.request('GET', `/v1/orders/${order.id}/tax`)).body;
    expect(invoiced.documents[0].status).toBe('committed');

    const refunded = await server.request('POST', `/v1/orders/${order.id}/refunds`, {
      body: { amount: usd(10_775), reason: 'returned in full' },
    });
    expect(refunded.status).toBe(201);
    const giveBack = avatax.requests.at(-1)!;
    expect(giveBack.body).toMatchObject({
      type: 'ReturnInvoice',
      commit: true,
      lines: [{ number: 'L1', amount: -100 }],
    });
    const after = (await server.request('GET', `/v1/orders/${order.id}/tax`)).body;
    expect(after.documents[1]).toMatchObject({ kind: 'refund', engine: 'avatax', status: 'committed', tax: usd(-775) });
    expect(after.tax).toEqual(usd(0));
  });

  it('holds the order when AvaTax is down and the policy says hold', async () => {
    await settings({ on_failure: 'hold' });
    avatax.down();
    try {
      const order = await irvineOrder();
      expect(order.fulfillment_orders).toEqual([]);
      const full = (await server.request('GET', `/v1/orders/${order.id}`)).body;
      expect(full.holds).toMatchObject([{ kind: 'tax', released_at: null }]);
      expect((await server.request('GET', `/v1/orders/${order.id}/tax`)).body.documents).toEqual([]);
    } finally {
      avatax.up();
    }
  });

  it('quotes a tax-held order again when its hold is released, and holds it again while AvaTax is still down', async () => {
    await settings({ on_failure: 'hold' });
    avatax.down();
    let order: { id: string };
    try {
      order = await irvineOrder();
      const still = await server.request('POST', `/v1/orders/${order.id}/release-hold`, { body: { kind: 'tax' } });
      expect(still.status, JSON.stringify(still.body)).toBe(200);
      expect(still.body.fulfillment_orders).toEqual([]);
      expect(still.body.holds).toMatchObject([
        { kind: 'tax', released_at: expect.any(String) },
        { kind: 'tax', released_at: null, reason: expect.stringMatching(/^tax could not be computed \(avatax: /) },
      ]);
      expect((await server.request('GET', `/v1/orders/${order.id}/tax`)).body.documents).toEqual([]);
    } finally {
      avatax.up();
    }
    const before = avatax.requests.length;
    const released = await server.request('POST', `/v1/orders/${order.id}/release-hold`, { body: { kind: 'tax' } });
    expect(released.status, JSON.stringify(released.body)).toBe(200);
    expect(avatax.requests.slice(before).map((r) => [r.path, r.body.code, r.body.commit])).toEqual([
      ['/api/v2/transactions/create', order.id, false],
    ]);
    const taxed = (await server.request('GET', `/v1/orders/${order.id}/tax`)).body;
    expect(taxed.documents).toMatchObject([{ kind: 'sale', engine: 'avatax', status: 'uncommitted', tax: usd(775) }]);
    expect(released.body.fulfillment_orders.length).toBe(1);
    // A tax hold put on by hand once the order has its document is released without a second quote.
    const byHand = { kind: 'tax', reason: 'checked by hand' };
    expect((await server.request('POST', `/v1/orders/${order.id}/hold`, { body: byHand })).status).toBe(200);
    const again = await server.request('POST', `/v1/orders/${order.id}/release-hold`, { body: { kind: 'tax' } });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect((await server.request('GET', `/v1/orders/${order.id}/tax`)).body.documents).toHaveLength(1);
  });

  it('uses the rate table when AvaTax is down and the policy says table', async () => {
    const rates = await server.request('PUT', '/v1/tax/rates', {
      body: {
        rates: [
          { country: 'US', region: 'CA', jurisdiction: 'state', name: 'CA STATE TAX', rate_ppm: 60_000 },
          {
            country: 'US',
            region: 'CA',
            postal_prefix: '926',
            jurisdiction: 'local',
            name: 'Orange',
            rate_ppm: 17_500,
          },
        ],
      },
    });
    expect(rates.status).toBe(200);
    await settings({ on_failure: 'table' });
    avatax.down();
    try {
      const order = await irvineOrder();
      expect(order.fulfillment_orders.length).toBe(1);
      const [sale] = (await server.request('GET', `/v1/orders/${order.id}/tax`)).body.documents;
      expect(sale).toMatchObject({ engine: 'table', tax: usd(775) });
      expect(sale.note).toMatch(/^rate table used: avatax: AvaTax answered 503/);
      expect(sale.lines[0].details.map((d: { tax_minor: number }) => d.tax_minor)).toEqual([175, 600]);
    } finally {
      avatax.up();
    }
  });
});

describe('the settings, kept per process', () => {
  const engineOf = async (order: { id: string }) =>
    (await server.request('GET', `/v1/orders/${order.id}/tax`)).body.documents[0]?.engine;

  it('are not read again for each order, and a change notified by another process reaches this one', async () => {
    expect((await settings({ on_failure: 'hold' })).status).toBe(200);
    expect(await engineOf(await irvineOrder())).toBe('avatax');
    // Another process writes the settings: until its notification arrives, this one keeps its own.
    await database.db.execute(sql`update tax_settings set engine = 'table' where id = 1`);
    const before = avatax.requests.length;
    expect(await engineOf(await irvineOrder())).toBe('avatax');
    expect(avatax.requests.length).toBe(before + 1);
    await database.db.execute(sql`select pg_notify('consign_tax_settings', '')`);
    await waitFor('an order quoted by the rate table', async () => (await engineOf(await irvineOrder())) === 'table', {
      timeoutMs: 5_000,
    });
  });

  it('a change through the API applies to the next order at once', async () => {
    expect((await settings({ engine: 'avatax', on_failure: 'table' })).status).toBe(200);
    expect(await engineOf(await irvineOrder())).toBe('avatax');
    expect((await settings({ engine: 'table', on_failure: 'hold' })).status).toBe(200);
    expect(await engineOf(await irvineOrder())).toBe('table');
  });
});

describe('the rate table', () => {
  it('refuses a bad jurisdiction or rate with problem+json and changes nothing', async () => {
    const before = (await server.request('GET', '/v1/tax/rates')).body.data;
    const bad = await server.request('PUT', '/v1/tax/rates', {
      body: {
        rates: [
          { country: 'usa', jurisdiction: 'state', name: 'X', rate_ppm: 50_000 },
          { country: 'US', region: 'CA', jurisdiction: 'state', name: 'Y', rate_ppm: 2_000_000 },
          { country: 'US', postal_prefix: '926', jurisdiction: 'local', name: 'Z', rate_ppm: -1 },
        ],
      },
    });
    expect(bad.status).toBe(422);
    expect(bad.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(bad.body.code).toBe('invalid_tax_rate');
    expect(bad.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual([
      '/rates/0/country',
      '/rates/1/rate_ppm',
      '/rates/2/postal_prefix',
      '/rates/2/rate_ppm',
    ]);
    expect((await server.request('GET', '/v1/tax/rates')).body.data).toEqual(before);
  });
});
