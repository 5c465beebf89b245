import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseExact } from '../json.ts';
import type { MapOutcome } from '../mapping.ts';
import { orderMappers } from './index.ts';

const fixture = (path: string): unknown =>
  parseExact(readFileSync(new URL(`../../../test/fixtures/connectors/${path}`, import.meta.url), 'utf8'));
const ctx = { channel: 'chn_test', locationMap: { '905684977': 'loc_store' } };
const usd = (amount: number) => ({ amount, currency: 'USD' });

function mapped(outcome: MapOutcome) {
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
  return outcome.order;
}

describe('Shopify orders/create → canonical order', () => {
  const order = mapped(orderMappers.shopify(fixture('shopify/orders-create.json'), ctx));

  it('keeps IDs beyond 2^53 exactly', () => {
    expect(order.external_id).toBe('8214298463751234567');
    expect(order.lines.map((l) => l.line_id)).toEqual(['866550311766439020', '141249953214522974']);
    expect(order.customer.id).toBe('115310627314723954');
  });

  it('maps money to the cent and the rest field by field', () => {
    expect(order.lines).toEqual([
      {
        line_id: '866550311766439020',
        sku: 'IPOD2008PINK',
        name: 'IPod Nano - 8GB - Pink',
        quantity: 1,
        unit_price: usd(19900),
      },
      {
        line_id: '141249953214522974',
        sku: 'IPOD2008GREEN',
        name: 'IPod Nano - 8GB - Green',
        quantity: 2,
        unit_price: usd(9950),
      },
    ]);
    expect(order.discounts).toEqual([{ code: 'WELCOME5', amount: usd(500) }]);
    expect(order.taxes).toEqual([{ name: 'State Tax', rate: 0.06, amount: usd(2358) }]);
    expect(order.shipping).toEqual(usd(1000));
    expect(order.total).toEqual(usd(42658));
    expect(order.payments).toEqual([
      { kind: 'authorization', amount: usd(42658), gateway: 'shopify:bogus', reference: '#9999' },
    ]);
    expect(order.delivery_method).toBe('ship');
    expect(order.shipping_address).toEqual({
      name: 'Steve Shipper',
      line1: '123 Shipping Street',
      line2: 'Suite 4',
      city: 'Shippington',
      region: 'KY',
      postal_code: '40003',
      country: 'US',
      phone: '555-555-SHIP',
      latitude: 38.2527,
      longitude: -85.7585,
    });
    expect(order.customer).toEqual({ id: '115310627314723954', email: 'jon@doe.ca', name: 'John Smith' });
    expect(order.placed_at).toBe('2026-11-20T17:53:06.000Z');
  });

  it('a pickup shipping line becomes a pickup at the mapped location', () => {
    const pickup = mapped(orderMappers.shopify(fixture('shopify/rest-order-pickup.json'), ctx));
    expect(pickup.delivery_method).toBe('pickup');
    expect(pickup.pickup_location_id).toBe('loc_store');
    expect(pickup.shipping_address).toBeUndefined();
    const unmapped = orderMappers.shopify(fixture('shopify/rest-order-pickup.json'), { ...ctx, locationMap: {} });
    expect(unmapped.ok).toBe(false);
  });

  it('refuses a price that is not an exact amount in the currency', () => {
    const body = fixture('shopify/orders-create.json') as { line_items: { price: string }[] };
    body.line_items[0]!.price = '199.005';
    const outcome = orderMappers.shopify(body, ctx);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.errors[0]!.pointer).toBe('/line_items/0/price');
  });
});

describe('WooCommerce order → canonical order', () => {
  const order = mapped(orderMappers.woocommerce(fixture('woocommerce/order.json'), ctx));
  it('unit prices from line subtotals, coupons as discounts, taxes with shipping tax', () => {
    expect(order.external_id).toBe('727');
    expect(order.lines.map((l) => [l.line_id, l.sku, l.quantity, l.unit_price.amount])).toEqual([
      ['315', 'WOO-SINGLE-1', 2, 300],
      ['316', 'Bar3', 1, 1200],
    ]);
    expect(order.discounts).toEqual([{ code: 'take1', amount: usd(100) }]);
    expect(order.taxes).toEqual([{ name: 'State Tax', amount: usd(128) }]);
    expect(order.shipping).toEqual(usd(1000));
    expect(order.total).toEqual(usd(2828));
    expect(order.payments?.[0]).toEqual({
      kind: 'authorization',
      amount: usd(2828),
      gateway: 'woocommerce:stripe',
      reference: 'ch_3OAbCdEfGh',
    });
    expect(order.shipping_address?.line2).toBe('Floor 3');
    expect(order.customer).toEqual({
      id: '26',
      email: 'john.doe@example.com',
      name: 'John Doe',
      phone: '(555) 555-5555',
    });
  });
});

describe('BigCommerce order with products and shipping addresses → canonical order', () => {
  const order = mapped(orderMappers.bigcommerce(fixture('bigcommerce/order.json'), ctx));
  it('maps 4-decimal amounts exactly', () => {
    expect(order.lines.map((l) => [l.line_id, l.sku, l.quantity, l.unit_price.amount])).toEqual([
      ['65', 'S-ORAN', 1, 5599],
      ['66', 'ABS', 2, 2000],
    ]);
    expect(order.shipping).toEqual(usd(1200));
    expect(order.discounts?.[0]?.amount).toEqual(usd(500));
    expect(order.taxes).toEqual([{ name: 'Tax', amount: usd(856) }]);
    expect(order.total).toEqual(usd(11155));
    expect(order.shipping_address?.name).toBe('Trishy Smith');
    expect(order.metadata?.order_address_id).toBe('132');
    expect(order.placed_at).toBe('2026-11-20T16:07:08.000Z');
  });
  it('refuses a sub-cent amount instead of rounding it', () => {
    const body = fixture('bigcommerce/order.json') as { subtotal_ex_tax: string; products: { price_ex_tax: string }[] };
    body.products[0]!.price_ex_tax = '55.9950';
    expect(orderMappers.bigcommerce(body, ctx).ok).toBe(false);
  });
});

describe('SFCC SCAPI order → canonical order', () => {
  const order = mapped(orderMappers.sfcc(fixture('sfcc/order.json'), ctx));
  it('maps JSON-number prices exactly and order adjustments as a discount', () => {
    expect(order.external_id).toBe('00000410');
    expect(order.lines).toEqual([
      {
        line_id: 'd9516eecc64bd90b0022714d26',
        sku: 'green-umbrella',
        name: 'Green Umbrella - Sustained Edition',
        quantity: 3,
        unit_price: usd(19999),
      },
    ]);
    expect(order.discounts).toEqual([
      { code: '5ties', description: 'Item and order price adjustments', amount: usd(1000) },
    ]);
    expect(order.shipping).toEqual(usd(1599));
    expect(order.taxes).toEqual([{ name: 'Tax', amount: usd(3030) }]);
    expect(order.total).toEqual(usd(63626));
    expect(order.payments?.[0]?.gateway).toBe('sfcc:CREDIT_CARD');
  });
});

describe('Amazon SP-API orders → canonical order', () => {
  it('v0: unit prices divided out of ItemPrice, promotions as discounts', () => {
    const order = mapped(orderMappers.amazon(fixture('amazon/v0-order.json'), ctx));
    expect(order.external_id).toBe('902-3159896-1390916');
    expect(order.lines.map((l) => [l.line_id, l.sku, l.quantity, l.unit_price.amount])).toEqual([
      ['68828574383266', 'CBA_OTF_1', 2, 1999],
      ['79039765272157', 'CBA_OTF_5', 1, 1795],
    ]);
    expect(order.shipping).toEqual(usd(499));
    expect(order.discounts?.[0]?.amount).toEqual(usd(200));
    expect(order.taxes).toEqual([{ name: 'Tax', amount: usd(504) }]);
    expect(order.total).toEqual(usd(6596));
    expect(order.payments?.[0]).toEqual({
      kind: 'authorization',
      amount: usd(6596),
      gateway: 'amazon',
      reference: '902-3159896-1390916',
    });
  });

  it('2026-01-01: proceeds breakdowns per item', () => {
    const order = mapped(orderMappers.amazon(fixture('amazon/2026-order.json'), ctx));
    const gbp = (amount: number) => ({ amount, currency: 'GBP' });
    expect(order.external_id).toBe('202-1234567-8901234');
    expect(order.lines[0]).toMatchObject({ sku: 'ECHO-DOT-4-UK-CHARCOAL-3PACK', quantity: 3, unit_price: gbp(2999) });
    expect(order.shipping).toEqual(gbp(1000));
    expect(order.taxes).toEqual([{ name: 'Tax', amount: gbp(400) }]);
    expect(order.total).toEqual(gbp(10397));
    expect(order.shipping_address).toMatchObject({ line1: '123 High Street', postal_code: 'M1 2AB', country: 'GB' });
  });
});
