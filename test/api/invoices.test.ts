import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/index.ts';
import { inTransaction, query } from '../../src/db/index.ts';
import { formatMoney, invoiceSettingsFromEnv, issueInvoice } from '../../src/invoices/index.ts';
import { problem } from '../../src/shared/problem.ts';
import { fail } from '../../src/shared/result.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createSmallNetwork, setStock, type SmallNetwork } from '../support/fixtures.ts';
import { orderBody, placeOrder } from '../support/orders.ts';
import { pdfText } from '../support/pdf-text.ts';
import type { TestServer } from '../support/server.ts';
import { ship, startPaymentsServer } from './payments-support.ts';

let database: TestDatabase;
let server: TestServer;
let net: SmallNetwork;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startPaymentsServer(database);
  net = await createSmallNetwork(server, 2);
  await server.request('PATCH', `/v1/locations/${net.storeA}`, { body: { latitude: 40.75, longitude: -73.99 } });
  for (const sku of net.skus) await setStock(server, net.storeA, sku, 5000);
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

let counter = 0;
async function shippedOrder(over: Record<string, unknown> = {}) {
  counter += 1;
  const placed = await placeOrder(
    server,
    orderBody(
      `INV-${counter}`,
      [
        { sku: net.skus[0]!, quantity: 2, price: 2499 },
        { sku: net.skus[1]!, quantity: 3, price: 333 },
      ],
      over,
    ),
  );
  if (placed.status !== 201) throw new Error(JSON.stringify(placed.body));
  const shipment = await ship(server, placed.body.fulfillment_orders[0].id);
  const invoices = (await server.request('GET', `/v1/orders/${placed.body.id}/invoices`)).body.data;
  return { order: placed.body, shipmentId: shipment.shipment_id, invoice: invoices[0] };
}

describe('GET /v1/invoices/{id}', () => {
  it('is the invoice of a capture: seller, buyer, lines, taxes and totals as JSON', async () => {
    const { order, shipmentId, invoice } = await shippedOrder();
    const response = await server.request('GET', `/v1/invoices/${invoice.id}`);
    expect(response.status).toBe(200);
    const body = response.body;
    expect(body).toMatchObject({
      id: invoice.id,
      kind: 'invoice',
      order_id: order.id,
      total: order.total,
      pdf_url: `/v1/invoices/${invoice.id}.pdf`,
    });
    const document = body.document;
    expect(document).toMatchObject({
      kind: 'invoice',
      number: body.number,
      currency: 'USD',
      seller: { name: 'Consign Store' },
      buyer: {
        name: order.customer.name,
        email: order.customer.email,
        address: { line1: '350 5th Ave', city: 'New York', postal_code: '10118', country: 'US' },
      },
      shipping: { amount: 799, currency: 'USD' },
      references: {
        order_id: order.id,
        order_external_id: order.external_id,
        shipment_id: shipmentId,
        capture_ids: [body.payment_id],
      },
    });
    expect(document.buyer.address.latitude).toBeUndefined();
    expect(document.lines).toHaveLength(2);
    expect(document.lines[0]).toMatchObject({
      line_id: 'L1',
      sku: net.skus[0],
      name: 'Product 1',
      quantity: 2,
      unit_price: { amount: 2499 },
      subtotal: { amount: 4998 },
    });
    for (const line of document.lines)
      expect(line.total.amount).toBe(line.subtotal.amount - line.discount.amount + line.tax.amount);
    expect(document.totals).toEqual({
      subtotal: order.subtotal,
      discount: order.discount,
      shipping: order.shipping,
      tax: order.tax,
      total: order.total,
    });
    expect(document.tax_summary).toEqual([
      {
        name: 'Tax',
        taxable: { amount: order.subtotal.amount - order.discount.amount, currency: 'USD' },
        amount: order.tax,
      },
    ]);
    expect(document.payments).toEqual([
      expect.objectContaining({ id: body.payment_id, kind: 'capture', amount: order.total, gateway: 'test' }),
    ]);
    expect(document.amount_due).toEqual({ amount: 0, currency: 'USD' });

    const view = (await server.request('GET', `/v1/orders/${order.id}`)).body;
    expect(view.invoices).toEqual([invoice]);
  });

  it('is a PDF at .pdf and /pdf, showing the number and the total', async () => {
    const { order, invoice } = await shippedOrder();
    for (const path of [`/v1/invoices/${invoice.id}.pdf`, `/v1/invoices/${invoice.id}/pdf`]) {
      const response = await fetch(server.url + path, {
        headers: { authorization: `Bearer csk_test_admin_key_for_consign_tests` },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/pdf');
      expect(response.headers.get('content-disposition')).toContain(`${invoice.number}.pdf`);
      const pdf = Buffer.from(await response.arrayBuffer());
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const text = pdfText(pdf);
      expect(text).toContain(invoice.number);
      expect(text).toContain(formatMoney(order.total.amount, 'USD'));
      expect(text).toContain('INVOICE');
      expect(text).toContain(order.customer.name);
    }
  });

  it('shows channel keys only their own channel’s invoices, and needs a key that may read orders', async () => {
    const { order, invoice } = await shippedOrder();
    const own = (await createApiKey(database.db, { role: 'channel', channelId: net.channelId })).secret;
    expect((await server.request('GET', `/v1/invoices/${invoice.id}`, { key: own })).status).toBe(200);
    const group = await server.request('GET', `/v1/location-groups/${net.groupId}`);
    const other = await server.request('POST', '/v1/channels', {
      body: { code: 'b2b', name: 'B2B', type: 'b2b', location_group_id: group.body.id },
    });
    const foreign = (await createApiKey(database.db, { role: 'channel', channelId: other.body.id })).secret;
    expect((await server.request('GET', `/v1/invoices/${invoice.id}`, { key: foreign })).status).toBe(404);
    expect((await server.request('GET', `/v1/invoices/${invoice.id}.pdf`, { key: foreign })).status).toBe(404);
    expect((await server.request('GET', `/v1/orders/${order.id}/invoices`, { key: foreign })).status).toBe(404);
    const warehouse = (await createApiKey(database.db, { role: 'fulfillment', locationIds: [net.storeA] })).secret;
    expect((await server.request('GET', `/v1/invoices/${invoice.id}`, { key: warehouse })).status).toBe(403);
    expect((await server.request('GET', '/v1/invoices/inv_missing')).status).toBe(404);
    expect((await server.request('GET', `/v1/invoices/${invoice.id}`, { key: null })).status).toBe(401);
  });
});

describe('the OpenAPI document', () => {
  it('documents the invoice, payment and refund paths', async () => {
    const { paths } = (await server.request('GET', '/openapi.json')).body;
    expect(
      Object.keys(paths)
        .filter((p) => /invoices|payments|refunds/.test(p))
        .sort(),
    ).toEqual([
      '/v1/invoices/{id}',
      '/v1/invoices/{id}/pdf',
      '/v1/orders/{id}/invoices',
      '/v1/orders/{id}/payments',
      '/v1/orders/{id}/refunds',
    ]);
    expect(Object.keys(paths['/v1/invoices/{id}/pdf'].get.responses['200'].content)).toEqual(['application/pdf']);
  });
});

describe('gap-free numbering', () => {
  async function numbers(series: string) {
    return (
      await query<{ number: number }>(
        database.db,
        sql`select number from invoices where series = ${series} order by number`,
      )
    ).map((r) => r.number);
  }

  it('numbers the invoices of orders shipped concurrently 1…N, without gaps or duplicates', async () => {
    const orders = [];
    for (let i = 0; i < 10; i++) {
      counter += 1;
      const placed = await placeOrder(
        server,
        orderBody(`CONC-${counter}`, [{ sku: net.skus[i % 2]!, quantity: 1 + (i % 3), price: 1001 + i }]),
      );
      const fo = placed.body.fulfillment_orders[0].id;
      for (const step of ['accept', 'pick', 'pack'])
        await server.request('POST', `/v1/fulfillment-orders/${fo}/${step}`, { body: {} });
      orders.push({ id: placed.body.id as string, fo: fo as string });
    }
    const shipped = await Promise.all(
      orders.map((o) => server.request('POST', `/v1/fulfillment-orders/${o.fo}/ship`, { body: { carrier: 'ups' } })),
    );
    expect(shipped.map((r) => r.status)).toEqual(orders.map(() => 200));

    const invoices = await Promise.all(
      orders.map(async (o) => (await server.request('GET', `/v1/orders/${o.id}/invoices`)).body.data),
    );
    expect(invoices.every((list) => list.length === 1)).toBe(true);
    const series = invoices[0][0].series;
    const all = await numbers(series);
    expect(all).toEqual(all.map((_, i) => i + 1));
    expect(all.length).toBeGreaterThanOrEqual(10);
  });

  it('gives a number back when the issuing transaction rolls back', async () => {
    const { order, invoice } = await shippedOrder();
    const settings = invoiceSettingsFromEnv({});
    const line = {
      line_id: 'L1',
      sku: 'X',
      name: 'X',
      quantity: 1,
      unit_price_minor: 100,
      discount_minor: 0,
      tax_minor: 0,
    };
    const rolledBack = await inTransaction(database.db, async (tx) => {
      await issueInvoice(
        tx,
        { orderId: order.id, paymentId: null, lines: [line], shippingMinor: 0, payments: [], actor: null },
        settings,
      );
      return fail(problem('conflict', 'changed my mind'));
    });
    expect(rolledBack.ok).toBe(false);
    const next = await inTransaction(database.db, async (tx) => ({
      ok: true as const,
      value: await issueInvoice(
        tx,
        { orderId: order.id, paymentId: null, lines: [line], shippingMinor: 0, payments: [], actor: null },
        settings,
      ),
    }));
    expect(next.ok && next.value.sequence).toBe(invoice.sequence + 1);
    expect(await numbers(invoice.series)).toEqual((await numbers(invoice.series)).map((_, i) => i + 1));
  });

  it('takes the series prefix and the seller from the environment', async () => {
    const { order } = await shippedOrder();
    const settings = invoiceSettingsFromEnv({
      CONSIGN_INVOICE_SERIES: 'EU',
      CONSIGN_SELLER_NAME: 'Acme GmbH',
      CONSIGN_SELLER_ADDRESS: 'Hauptstr. 1; 10115 Berlin; DE',
      CONSIGN_SELLER_TAX_ID: 'DE123456789',
    });
    const line = {
      line_id: null,
      sku: null,
      name: 'Service',
      quantity: 1,
      unit_price_minor: 500,
      discount_minor: 0,
      tax_minor: 95,
    };
    const issued = await inTransaction(database.db, async (tx) => ({
      ok: true as const,
      value: await issueInvoice(
        tx,
        { orderId: order.id, paymentId: null, lines: [line], shippingMinor: 0, payments: [], actor: null },
        settings,
      ),
    }));
    const invoice = issued.ok ? (await server.request('GET', `/v1/invoices/${issued.value.id}`)).body : null;
    expect(invoice.number).toBe(`EU-${new Date().getUTCFullYear()}-000001`);
    expect(invoice.document.seller).toEqual({
      name: 'Acme GmbH',
      address: ['Hauptstr. 1', '10115 Berlin', 'DE'],
      tax_id: 'DE123456789',
    });
    expect(invoice.document.totals.total.amount).toBe(595);
    expect(invoice.document.amount_due.amount).toBe(595);
    const text = pdfText(
      Buffer.from(
        await (
          await fetch(`${server.url}/v1/invoices/${invoice.id}.pdf`, {
            headers: { authorization: 'Bearer csk_test_admin_key_for_consign_tests' },
          })
        ).arrayBuffer(),
      ),
    );
    expect(text).toContain('Acme GmbH');
    expect(text).toContain('DE123456789');
    expect(() => invoiceSettingsFromEnv({ CONSIGN_INVOICE_SERIES: 'bad series!' })).toThrow(/CONSIGN_INVOICE_SERIES/);
  });
});
