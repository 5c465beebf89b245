import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseExact } from '../json.ts';
import type { MapOutcome } from '../mapping.ts';
import { orderMappers } from './index.ts';

type Json = Record<string, any>;

/** The platforms' published example orders, varied below the way real stores send them. */
const fixture = (path: string): Json =>
  parseExact(readFileSync(new URL(`../../../test/fixtures/connectors/${path}`, import.meta.url), 'utf8')) as Json;
const ctx = { channel: 'chn_test', locationMap: {} };
/** A varied payload as it arrives: through the connectors' exact JSON parser. */
const asSent = (payload: Json): unknown => parseExact(JSON.stringify(payload));

function mapped(outcome: MapOutcome) {
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
  return outcome.order;
}

/** What the canonical order adds up to: lines − line discounts − order discounts + shipping + taxes. */
function addsUpTo(order: ReturnType<typeof mapped>): number {
  const lines = order.lines.reduce((n, l) => n + l.unit_price.amount * l.quantity - (l.discount?.amount ?? 0), 0);
  const discounts = (order.discounts ?? []).reduce((n, d) => n + d.amount.amount, 0);
  const taxes = (order.taxes ?? []).reduce((n, t) => n + t.amount.amount, 0);
  return lines - discounts + (order.shipping?.amount ?? 0) + taxes;
}

describe('Shopify taxes_included', () => {
  const base = fixture('shopify/orders-create.json');
  const vat = (price: string) => [{ price, rate: 0.2, title: 'VAT' }];
  const payload = {
    ...base,
    currency: 'GBP',
    taxes_included: true,
    line_items: base.line_items.map((li: Json) => ({ ...li, tax_lines: vat('33.17') })),
    shipping_lines: base.shipping_lines.map((s: Json) => ({ ...s, tax_lines: vat('1.67') })),
    tax_lines: [
      { title: 'VAT', rate: 0.2, price: '67.34' },
      { title: 'VAT on shipping', rate: 0.2, price: '0.67' },
    ],
    total_tax: '68.01',
    total_price: '403.00',
    transactions: [
      { id: 389404469, kind: 'authorization', status: 'success', amount: '403.00', gateway: 'shopify_payments' },
      { id: 389404470, kind: 'authorization', status: 'failure', amount: '403.00', gateway: 'shopify_payments' },
    ],
  };
  const gbp = (amount: number) => ({ amount, currency: 'GBP' });
  const order = mapped(orderMappers.shopify(asSent(payload), ctx));

  it('prices lines net of their own tax; the cent that does not divide is the line discount', () => {
    expect(order.lines.map((l) => [l.quantity, l.unit_price, l.discount])).toEqual([
      [1, gbp(16583), undefined], // 199.00 − 33.17
      [2, gbp(8292), gbp(1)], // (199.00 − 33.17) / 2 = 82.915 → 82.92, 0.01 back
    ]);
    expect(order.shipping).toEqual(gbp(833)); // 10.00 − 1.67
    expect(order.discounts).toEqual([{ code: 'WELCOME5', amount: gbp(500) }]);
    expect(order.taxes).toEqual([
      { name: 'VAT', rate: 0.2, amount: gbp(6734) },
      { name: 'VAT on shipping', rate: 0.2, amount: gbp(67) },
    ]);
  });

  it('adds up to the platform total to the penny', () => {
    expect(order.total).toEqual(gbp(40300));
    expect(addsUpTo(order)).toBe(40300);
  });

  it('maps the successful Shopify transactions as the payments, each by its transaction ID', () => {
    expect(order.payments).toEqual([
      { kind: 'authorization', amount: gbp(40300), gateway: 'shopify:shopify_payments', reference: '389404469' },
    ]);
  });
});

describe('WooCommerce fee_lines and several tax lines', () => {
  const base = fixture('woocommerce/order.json');
  const order = mapped(
    orderMappers.woocommerce(
      asSent({
        ...base,
        fee_lines: [
          { id: 401, name: 'Gift wrap', total: '2.50', total_tax: '0.20', taxes: [] },
          { id: 402, name: 'Loyalty credit', total: '-1.50', total_tax: '0.00', taxes: [] },
        ],
        tax_lines: [
          { ...base.tax_lines[0], tax_total: '1.48' },
          { id: 319, rate_code: 'US-CA-COUNTY', label: 'County Tax', tax_total: '0.25', shipping_tax_total: '0.06' },
        ],
        total_tax: '1.79',
        total: '29.79',
      }),
      ctx,
    ),
  );
  const usd = (amount: number) => ({ amount, currency: 'USD' });

  it('a charge joins shipping, a negative fee is a discount, each tax line stays its own', () => {
    expect(order.shipping).toEqual(usd(1250));
    expect(order.discounts).toEqual([{ code: 'take1', amount: usd(250) }]);
    expect(order.taxes).toEqual([
      { name: 'State Tax', amount: usd(148) },
      { name: 'County Tax', amount: usd(31) },
    ]);
    expect(order.metadata).toMatchObject({ fees_minor: [250, -150] });
  });

  it('adds up to the platform total to the cent', () => {
    expect(order.total).toEqual(usd(2979));
    expect(addsUpTo(order)).toBe(2979);
  });
});

describe('SFCC gross taxation with several shipments', () => {
  const base = fixture('sfcc/order.json');
  const gift = {
    ...base.shipments[0],
    shipmentId: 'gift',
    shippingAddress: { ...base.shipments[0].shippingAddress, address1: '1 Gift Lane', firstName: 'Sam' },
  };
  const order = mapped(
    orderMappers.sfcc(
      asSent({
        ...base,
        taxation: 'gross',
        productItems: [
          ...base.productItems,
          {
            itemId: 'gift-box-1',
            productId: 'GIFT-BOX',
            productName: 'Gift box',
            quantity: 1,
            basePrice: 10,
            shipmentId: 'gift',
          },
        ],
        shipments: [base.shipments[0], gift],
        productSubTotal: 609.97,
        productTotal: 599.97,
        shippingTotalTax: 0.76,
        taxTotal: 30.3,
        orderTotal: 615.96,
      }),
      ctx,
    ),
  );
  const usd = (amount: number) => ({ amount, currency: 'USD' });

  it('becomes one order; each shipment is a delivery group with its address and lines', () => {
    expect(order.shipping_address?.line1).toBe(base.shipments[0].shippingAddress.address1);
    expect(order.metadata?.delivery_groups).toEqual([
      expect.objectContaining({ id: 'me', line_ids: [base.productItems[0].itemId] }),
      expect.objectContaining({
        id: 'gift',
        line_ids: ['gift-box-1'],
        address: expect.objectContaining({ line1: '1 Gift Lane' }),
      }),
    ]);
  });

  it('takes the included tax out of the prices by largest remainder and adds up to the total to the cent', () => {
    expect(order.taxes).toEqual([{ name: 'Tax', amount: usd(3030) }]);
    expect(order.shipping).toEqual(usd(1599 - 76));
    // 29.54 of goods tax over 599.97 and 10.00 gross: 29.0557… and 0.4843… → 29.06 and 0.48.
    expect(order.lines.map((l) => l.unit_price.amount * l.quantity - (l.discount?.amount ?? 0))).toEqual([
      59997 - 2906,
      1000 - 48,
    ]);
    expect(order.total).toEqual(usd(61596));
    expect(addsUpTo(order)).toBe(61596);
  });
});

describe('BigCommerce several shipping addresses', () => {
  const base = fixture('bigcommerce/order.json');
  const second = { ...base.shipping_addresses[0], id: 133, street_1: '2 Other Road', first_name: 'Alex' };
  const order = mapped(
    orderMappers.bigcommerce(
      asSent({
        ...base,
        shipping_addresses: [base.shipping_addresses[0], second],
        products: base.products.map((p: Json, i: number) => (i === 1 ? { ...p, order_address_id: 133 } : p)),
      }),
      ctx,
    ),
  );

  it('becomes one order with both delivery groups, each with its lines', () => {
    expect(order.metadata?.delivery_groups).toEqual([
      expect.objectContaining({ id: String(base.shipping_addresses[0].id), line_ids: ['65'] }),
      expect.objectContaining({
        id: '133',
        line_ids: ['66'],
        address: expect.objectContaining({ line1: '2 Other Road' }),
      }),
    ]);
    expect(addsUpTo(order)).toBe(order.total.amount);
  });
});
