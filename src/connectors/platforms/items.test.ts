import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseExact } from '../json.ts';
import type { Platform } from '../mapping.ts';
import { orderMappers } from './index.ts';

const raw = (path: string) =>
  readFileSync(new URL(`../../../test/fixtures/connectors/${path}`, import.meta.url), 'utf8');
const ctx = { channel: 'chn_test', locationMap: { '905684977': 'loc_store' } };
const itemsOf = (platform: Platform, text: string) => {
  const outcome = orderMappers[platform](parseExact(text), ctx);
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
  return { items: outcome.items, skus: outcome.order.lines.map((l) => l.sku) };
};

describe('each line reports its platform item, for the catalog mapping', () => {
  it.each([
    [
      'shopify',
      'shopify/orders-create-no-sku.json',
      [
        { pointer: '/line_items/0/sku', productId: '632910392', variantId: '808950810' },
        { pointer: '/line_items/1/sku', productId: '632910392', variantId: '808950811' },
      ],
      ['', ''],
    ],
    [
      'woocommerce',
      'woocommerce/order-no-sku.json',
      [
        { pointer: '/line_items/0/sku', productId: '93' },
        { pointer: '/line_items/1/sku', productId: '22', variantId: '23' },
      ],
      ['', ''],
    ],
    [
      'bigcommerce',
      'bigcommerce/order.json',
      [
        { pointer: '/products/0/sku', productId: '77', sku: 'S-ORAN' },
        { pointer: '/products/1/sku', productId: '86', sku: 'ABS' },
      ],
      ['S-ORAN', 'ABS'],
    ],
    [
      'amazon',
      'amazon/v0-order.json',
      [
        { pointer: '/OrderItems/0/SellerSKU', productId: 'BT0093TELA', variantId: 'CBA_OTF_1', sku: 'CBA_OTF_1' },
        { pointer: '/OrderItems/1/SellerSKU', productId: 'BCTU1104UEFB', variantId: 'CBA_OTF_5', sku: 'CBA_OTF_5' },
      ],
      ['CBA_OTF_1', 'CBA_OTF_5'],
    ],
  ] as const)('%s (%s)', (platform, fixture, items, skus) => {
    const got = itemsOf(platform, raw(fixture));
    expect(got.items).toEqual(items);
    expect(got.skus).toEqual(skus);
  });

  it('SFCC: the productId is both the item and the SKU', () => {
    const got = itemsOf('sfcc', raw('sfcc/order.json'));
    expect(got.items![0]).toMatchObject({ productId: 'green-umbrella', sku: 'green-umbrella' });
  });

  it('refuses a line with neither a SKU nor a product', () => {
    const text = raw('shopify/orders-create-no-sku.json').replace('"product_id": 632910392', '"product_id": null');
    const outcome = orderMappers.shopify(parseExact(text), ctx);
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.errors.map((e) => e.pointer)).toEqual(['/line_items/0/sku']);
  });
});
