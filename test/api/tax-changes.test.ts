import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/db/index.ts';
import { captureOrder } from '../../src/payments/index.ts';
import { startAvataxServer, sampleRequest } from '../support/avatax-server.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createSmallNetwork, setStock, type SmallNetwork } from '../support/fixtures.ts';
import { placeIrvineOrder } from '../support/irvine-order.ts';
import type { TestServer } from '../support/server.ts';
import { ship, startPaymentsServer } from './payments-support.ts';

let database: TestDatabase;
let server: TestServer;
let net: SmallNetwork;
let avatax: Awaited<ReturnType<typeof startAvataxServer>>;

const usd = (amount: number) => ({ amount, currency: 'USD' });
/** Nevada's state sales tax, 6.85 %, as AvaTax details a jurisdiction. */
const nevada = { jurisType: 'STA', jurisCode: '32', jurisName: 'NEVADA', taxName: 'NV STATE TAX', rate: 0.0685 };
const lasVegas = {
  line1: '200 Fremont St',
  city: 'Las Vegas',
  region: 'NV',
  postal_code: '89101',
  country: 'US',
  latitude: 36.17,
  longitude: -115.14,
};

beforeAll(async () => {
  avatax = await startAvataxServer({ regions: { NV: [nevada] } });
  process.env.CONSIGN_AVATAX_URL = avatax.url;
  process.env.CONSIGN_AVATAX_ACCOUNT = '1100012345';
  process.env.CONSIGN_AVATAX_LICENSE = 'LICENSEKEY';
  process.env.CONSIGN_AVATAX_COMPANY = sampleRequest.companyCode;
  database = await createTestDatabase();
  server = await startPaymentsServer(database);
  net = await createSmallNetwork(server, 2);
  await server.request('PATCH', `/v1/locations/${net.storeA}`, { body: { latitude: 40.75, longitude: -73.99 } });
  for (const sku of net.skus) await setStock(server, net.storeA, sku, 500);
  const rates = await server.request('PUT', '/v1/tax/rates', {
    body: {
      rates: [
        { country: 'US', region: 'CA', jurisdiction: 'state', name: 'CA STATE TAX', rate_ppm: 60_000 },
        { country: 'US', region: 'CA', postal_prefix: '926', jurisdiction: 'local', name: 'Orange', rate_ppm: 17_500 },
        { country: 'US', region: 'NV', jurisdiction: 'state', name: 'NV STATE TAX', rate_ppm: 68_500 },
      ],
    },
  });
  if (rates.status !== 200) throw new Error(JSON.stringify(rates.body));
});
afterAll(async () => {
  await server?.close();
  await database?.close();
  await avatax?.close();
});

const settings = async (body: Record<string, unknown>) => {
  const answer = await server.request('PUT', '/v1/tax/settings', {
    body: { engine: 'avatax', on_failure: 'hold', price_mode: 'exclusive', ship_from: null, ...body },
  });
  expect(answer.status).toBe(200);
};

let counter = 0;
/** L1: one unit at 100.00 (7.75 tax in Irvine); L2, when asked: one unit at 50.00 (3.88). Shipped to Irvine, CA 92615. */
async function irvineOrder(withSecondLine = false) {
  counter += 1;
  const lines = [{ sku: net.skus[0]!, quantity: 1, price: 10_000 }];
  if (withSecondLine) lines.push({ sku: net.skus[1]!, quantity: 1, price: 5_000 });
  return placeIrvineOrder(server, `TAXCHG-${counter}`, lines, withSecondLine ? 775 + 388 : 775);
}

async function change(orderId: string, actions: unknown[]) {
  const drafted = await server.request('POST', `/v1/orders/${orderId}/changes`, {
    body: { reason: 'customer called', actions },
  });
  expect(drafted.status, JSON.stringify(drafted.body)).toBe(201);
  const confirmed = await server.request('POST', `/v1/orders/${orderId}/changes/${drafted.body.id}/confirm`, {
    body: {},
  });
  return { preview: drafted.body.preview, confirmed };
}

const taxOf = async (orderId: string) => (await server.request('GET', `/v1/orders/${orderId}/tax`)).body;
const lineTax = (doc: { lines: { line_id: string; tax: { amount: number } }[] }) =>
  Object.fromEntries(doc.lines.map((l) => [l.line_id, l.tax.amount]));

describe.each(['table', 'avatax'] as const)('a confirmed change re-quotes the tax (%s)', (engine) => {
  it('a dearer change adds the tax of the units it adds, previewed first', async () => {
    await settings({ engine });
    const order = await irvineOrder();
    const before = avatax.requests.length;
    const { preview, confirmed } = await change(order.id, [{ type: 'change_quantity', line_id: 'L1', quantity: 3 }]);
    expect(preview.tax).toMatchObject({
      delta: usd(1550),
      engine,
      note: null,
      lines: [{ line_id: 'L1', delta: usd(1550) }],
    });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect(confirmed.body.status).toBe('confirmed');

    const tax = await taxOf(order.id);
    expect(tax.documents.map((d: { kind: string; tax: unknown }) => [d.kind, d.tax])).toEqual([
      ['sale', usd(775)],
      ['adjustment', usd(1550)],
    ]);
    const adjustment = tax.documents[1];
    expect(adjustment).toMatchObject({
      engine,
      status: 'uncommitted',
      note: expect.stringMatching(/^order change chg_/),
    });
    expect(adjustment.lines).toMatchObject([
      { line_id: 'L1', amount: usd(20_000), taxable: usd(20_000), tax: usd(1550) },
    ]);
    expect(tax.tax).toEqual(usd(2325));

    if (engine === 'avatax') {
      // The preview asks for an estimate (recorded nowhere); the confirmation adjusts the order's transaction.
      const calls = avatax.requests.slice(before).map((r) => [r.path, r.body.type ?? r.body.newTransaction?.type]);
      expect(calls).toEqual([
        ['/api/v2/transactions/create', 'SalesOrder'],
        [`/api/v2/companies/${sampleRequest.companyCode}/transactions/${order.id}/adjust`, 'SalesInvoice'],
      ]);
      expect(avatax.requests.at(-1)!.body).toMatchObject({
        adjustmentReason: 'PriceAdjusted',
        adjustmentDescription: expect.stringMatching(/^order change chg_\w+ \(version \d+\)$/),
        newTransaction: { code: order.id, commit: false, lines: [{ number: 'L1', quantity: 3, amount: 300 }] },
      });
      expect(avatax.transactions.get(order.id).totalTax).toBe(23.25);
      expect(adjustment.external_code).toBe(order.id);
    }
  });

  it('a line removed gives its tax back', async () => {
    await settings({ engine });
    const order = await irvineOrder(true);
    expect((await taxOf(order.id)).tax).toEqual(usd(1163));
    const { preview, confirmed } = await change(order.id, [{ type: 'remove_line', line_id: 'L2' }]);
    expect(preview.tax.delta).toEqual(usd(-388));
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    const tax = await taxOf(order.id);
    expect(tax.documents[1]).toMatchObject({ kind: 'adjustment', tax: usd(-388) });
    expect(tax.documents[1].lines).toMatchObject([{ line_id: 'L2', amount: usd(-5000), tax: usd(-388) }]);
    expect(tax.tax).toEqual(usd(775));
    if (engine === 'avatax') {
      expect(avatax.transactions.get(order.id).lines.map((l: { lineNumber: string }) => l.lineNumber)).toEqual(['L1']);
      expect(avatax.transactions.get(order.id).totalTax).toBe(7.75);
    }
  });

  it('a new address in another jurisdiction re-quotes every line there', async () => {
    await settings({ engine });
    const order = await irvineOrder();
    const { preview, confirmed } = await change(order.id, [
      { type: 'change_shipping_address', shipping_address: lasVegas },
    ]);
    expect(preview.tax.delta).toEqual(usd(685 - 775));
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    const tax = await taxOf(order.id);
    const [sale, adjustment] = tax.documents;
    expect(lineTax(adjustment)).toEqual({ L1: 685 - 775 });
    // California's jurisdictions are given back in full, Nevada's charged: together they hold Nevada's tax.
    const byJurisdiction = new Map<string, number>();
    for (const doc of [sale, adjustment])
      for (const d of doc.lines[0].details) byJurisdiction.set(d.name, (byJurisdiction.get(d.name) ?? 0) + d.tax_minor);
    expect(Object.fromEntries([...byJurisdiction].filter(([, n]) => n !== 0))).toEqual({ 'NV STATE TAX': 685 });
    expect(adjustment.lines[0].amount).toEqual(usd(0));
    expect(tax.tax).toEqual(usd(685));
    if (engine === 'avatax') {
      expect(avatax.requests.at(-1)!.body.newTransaction.addresses.singleLocation).toMatchObject({ region: 'NV' });
      expect(avatax.transactions.get(order.id).totalTax).toBe(6.85);
    }
  });
});

describe('when AvaTax is down at a change', () => {
  it('the rate table answers with a note when the policy says table', async () => {
    await settings({ engine: 'avatax', on_failure: 'table' });
    const order = await irvineOrder();
    avatax.down();
    try {
      const { preview, confirmed } = await change(order.id, [{ type: 'change_quantity', line_id: 'L1', quantity: 2 }]);
      expect(preview.tax).toMatchObject({ delta: usd(775), engine: 'table' });
      expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    } finally {
      avatax.up();
    }
    const tax = await taxOf(order.id);
    expect(tax.documents[1]).toMatchObject({ kind: 'adjustment', engine: 'table', tax: usd(775) });
    expect(tax.documents[1].note).toMatch(/; rate table used: avatax: AvaTax answered 503/);
    expect(tax.tax).toEqual(usd(1550));
  });

  it('the change is refused with tax_unavailable and nothing written when the policy says hold', async () => {
    await settings({ engine: 'avatax', on_failure: 'hold' });
    const order = await irvineOrder();
    const drafted = await server.request('POST', `/v1/orders/${order.id}/changes`, {
      body: { reason: 'customer called', actions: [{ type: 'change_quantity', line_id: 'L1', quantity: 2 }] },
    });
    expect(drafted.status).toBe(201);
    avatax.down();
    try {
      const refused = await server.request('POST', `/v1/orders/${order.id}/changes/${drafted.body.id}/confirm`, {
        body: {},
      });
      expect(refused.status).toBe(502);
      expect(refused.body.code).toBe('tax_unavailable');
    } finally {
      avatax.up();
    }
    const after = (await server.request('GET', `/v1/orders/${order.id}`)).body;
    expect(after.version).toBe(order.version);
    expect((await taxOf(order.id)).documents).toHaveLength(1);
    const confirmed = await server.request('POST', `/v1/orders/${order.id}/changes/${drafted.body.id}/confirm`, {
      body: {},
    });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect((await taxOf(order.id)).tax).toEqual(usd(1550));
  });
});

describe('a change after the first invoice', () => {
  it('records its adjustment committed, and AvaTax gets the new state committed', async () => {
    await settings({ engine: 'avatax', on_failure: 'hold' });
    const order = await irvineOrder(true);
    const full = (await server.request('GET', `/v1/orders/${order.id}`)).body;
    await ship(server, full.fulfillment_orders[0].id, [{ line_id: 'L1', quantity: 1 }]);
    expect((await taxOf(order.id)).documents[0].status).toBe('committed');
    const { confirmed } = await change(order.id, [{ type: 'change_quantity', line_id: 'L2', quantity: 2 }]);
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    const tax = await taxOf(order.id);
    // L2 is taxed once on its 100.00 (7.75), not twice on 50.00 (3.88 each): the adjustment is 3.87.
    expect(tax.documents[1]).toMatchObject({ kind: 'adjustment', status: 'committed', tax: usd(387) });
    expect(tax.tax).toEqual(usd(775 + 775));
    expect(avatax.requests.at(-1)!.body.newTransaction).toMatchObject({ commit: true });
    expect(avatax.transactions.get(order.id)).toMatchObject({ status: 'Committed', totalTax: 15.5 });
  });
});

describe('a cheaper change after the money was captured', () => {
  it('refunds the captured difference with its tax in the change’s adjustment, and no refund document on top', async () => {
    await settings({ engine: 'table', on_failure: 'hold' });
    const order = await irvineOrder(true);
    const captured = await inTransaction(database.db, (tx) =>
      captureOrder(tx, order.id, { idempotencyKey: `tax-capture-${order.id}`, actor: 'test' }),
    );
    expect(captured.ok, JSON.stringify(captured)).toBe(true);
    const { preview, confirmed } = await change(order.id, [{ type: 'remove_line', line_id: 'L2' }]);
    expect(preview.tax.delta).toEqual(usd(-388));
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);

    const payments = (await server.request('GET', `/v1/orders/${order.id}/payments`)).body;
    const refunds = payments.data.filter((p: { kind: string }) => p.kind === 'refund');
    expect(refunds.map((r: { amount: unknown; status: string }) => [r.amount, r.status])).toEqual([
      [usd(5000 + 388), 'succeeded'],
    ]);
    const tax = await taxOf(order.id);
    // The change's adjustment gives L2's tax back; the refund, taxAdjusted, records no document of its own.
    expect(tax.documents.map((d: { kind: string; tax: unknown }) => [d.kind, d.tax])).toEqual([
      ['sale', usd(1163)],
      ['adjustment', usd(-388)],
    ]);
    expect(tax.tax).toEqual(usd(775));
  });
});
