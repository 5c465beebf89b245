import { describe, expect, it } from 'vitest';
import { stringifyExact } from '../json.ts';
import { availabilityMessages, type ItemLevel } from './availability.ts';

const AT = '2026-12-03T10:00:00.000Z';
const body = (levels: ItemLevel[], platform: keyof typeof availabilityMessages) =>
  availabilityMessages[platform](levels, AT).map((m) => ({ ...m, body: JSON.parse(stringifyExact(m.body)) }));

describe('availability pushes name the platform item', () => {
  it('Shopify: by inventory item, else by variant, else by SKU', () => {
    const [message] = body(
      [
        {
          sku: 'PINK',
          available: 4,
          item: { productId: '632910392', variantId: '808950810', inventoryItemId: '49148385' },
        },
        { sku: 'GREEN', available: 5, item: { productId: '632910392', variantId: '808950811', inventoryItemId: null } },
        { sku: 'LOOSE', available: 6 },
      ],
      'shopify',
    );
    expect(message!.body.input.quantities).toEqual([
      { inventoryItemId: 'gid://shopify/InventoryItem/49148385', quantity: 4 },
      { variantId: 'gid://shopify/ProductVariant/808950811', quantity: 5 },
      { sku: 'LOOSE', quantity: 6 },
    ]);
  });

  it('WooCommerce: simple products by id in products/batch, variations by id per parent product', () => {
    const messages = body(
      [
        { sku: 'SINGLE', available: 3, item: { productId: '93', variantId: '', inventoryItemId: null } },
        { sku: 'BLACK-M', available: 2, item: { productId: '22', variantId: '23', inventoryItemId: null } },
        { sku: 'BLACK-L', available: 1, item: { productId: '22', variantId: '24', inventoryItemId: null } },
        { sku: 'HAT', available: 9, item: { productId: '40', variantId: '41', inventoryItemId: null } },
      ],
      'woocommerce',
    );
    expect(messages.map((m) => [m.method, m.path, m.body])).toEqual([
      ['POST', '/wp-json/wc/v3/products/batch', { update: [{ id: 93, manage_stock: true, stock_quantity: 3 }] }],
      [
        'POST',
        '/wp-json/wc/v3/products/22/variations/batch',
        {
          update: [
            { id: 23, manage_stock: true, stock_quantity: 2 },
            { id: 24, manage_stock: true, stock_quantity: 1 },
          ],
        },
      ],
      [
        'POST',
        '/wp-json/wc/v3/products/40/variations/batch',
        { update: [{ id: 41, manage_stock: true, stock_quantity: 9 }] },
      ],
    ]);
  });

  it('BigCommerce: by variant_id, else product_id, else sku', () => {
    const [message] = body(
      [
        { sku: 'ORANGE', available: 7, item: { productId: '77', variantId: '341', inventoryItemId: null } },
        { sku: 'ABS', available: 8, item: { productId: '86', variantId: '', inventoryItemId: null } },
        { sku: 'LOOSE', available: 9 },
      ],
      'bigcommerce',
    );
    expect(message!.body.items).toEqual([
      { location_id: 1, variant_id: 341, quantity: 7 },
      { location_id: 1, product_id: 86, quantity: 8 },
      { location_id: 1, sku: 'LOOSE', quantity: 9 },
    ]);
  });

  it('SFCC: by productId; Amazon: by SellerSKU', () => {
    const sfcc = body(
      [{ sku: 'C-1', available: 2, item: { productId: '701644', variantId: '', inventoryItemId: null } }],
      'sfcc',
    );
    expect(sfcc[0]!.body.records).toEqual([{ sku: '701644', onHand: 2, safetyStockCount: 0, effectiveDate: AT }]);
    const amazon = body(
      [
        { sku: 'C-1', available: 2, item: { productId: 'B08DFPV54V', variantId: 'AMZ-C1', inventoryItemId: null } },
        { sku: 'C-2', available: 3 },
      ],
      'amazon',
    );
    expect(amazon[0]!.body.messages.map((m: { sku: string }) => m.sku)).toEqual(['AMZ-C1', 'C-2']);
  });

  it('WooCommerce sends nothing to products/batch when every item is a variation', () => {
    const messages = body(
      [{ sku: 'BLACK-M', available: 2, item: { productId: '22', variantId: '23', inventoryItemId: null } }],
      'woocommerce',
    );
    expect(messages.map((m) => m.path)).toEqual(['/wp-json/wc/v3/products/22/variations/batch']);
  });
});
