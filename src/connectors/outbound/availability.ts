import { numericId } from '../json.ts';
import type { Platform } from '../mapping.ts';
import type { OutboundMessage } from './shapes.ts';

/** A platform item as the channel's catalog mapping names it. */
export interface MappedItem {
  productId: string;
  /** '' when the mapping is for the whole product. */
  variantId: string;
  inventoryItemId: string | null;
}

/**
 * Available to promise (across the channel's location group) of one platform item: the mapped
 * item when the channel's catalog mapping names one, else only the Consign SKU.
 */
export interface ItemLevel {
  sku: string;
  available: number;
  item?: MappedItem;
}

const availability = (method: OutboundMessage['method'], path: string, body: unknown): OutboundMessage => ({
  kind: 'availability',
  method,
  path,
  body,
});

/** Shopify GraphQL Admin `inventorySetQuantities` input, by inventory item (else variant, else SKU). */
function shopify(levels: ItemLevel[]): OutboundMessage[] {
  const quantities = levels.map((l) => {
    if (l.item?.inventoryItemId) {
      return { inventoryItemId: `gid://shopify/InventoryItem/${l.item.inventoryItemId}`, quantity: l.available };
    }
    if (l.item?.variantId)
      return { variantId: `gid://shopify/ProductVariant/${l.item.variantId}`, quantity: l.available };
    return { sku: l.sku, quantity: l.available };
  });
  return [
    availability('POST', '/admin/api/2024-10/graphql.json#inventorySetQuantities', {
      input: { name: 'available', reason: 'correction', ignoreCompareQuantity: true, quantities },
    }),
  ];
}

/**
 * WooCommerce REST v3: simple products in `POST /products/batch` by `id`; a variable product's
 * variations in `POST /products/{id}/variations/batch`, one call per parent; unmapped SKUs by `sku`.
 */
function woocommerce(levels: ItemLevel[]): OutboundMessage[] {
  const stock = (available: number) => ({ manage_stock: true, stock_quantity: available });
  const products = levels
    .filter((l) => !l.item?.variantId)
    .map((l) =>
      l.item ? { id: numericId(l.item.productId), ...stock(l.available) } : { sku: l.sku, ...stock(l.available) },
    );
  const byParent = new Map<string, ItemLevel[]>();
  for (const l of levels.filter((l) => l.item?.variantId)) {
    byParent.set(l.item!.productId, [...(byParent.get(l.item!.productId) ?? []), l]);
  }
  const variations = [...byParent].map(([parent, items]) =>
    availability('POST', `/wp-json/wc/v3/products/${parent}/variations/batch`, {
      update: items.map((l) => ({ id: numericId(l.item!.variantId), ...stock(l.available) })),
    }),
  );
  return [
    ...(products.length > 0 ? [availability('POST', '/wp-json/wc/v3/products/batch', { update: products })] : []),
    ...variations,
  ];
}

/** BigCommerce v3 Inventory `PUT /inventory/absolute`, by variant_id (else product_id, else sku). */
function bigcommerce(levels: ItemLevel[]): OutboundMessage[] {
  const identity = (l: ItemLevel) =>
    l.item?.variantId
      ? { variant_id: numericId(l.item.variantId) }
      : l.item
        ? { product_id: numericId(l.item.productId) }
        : { sku: l.sku };
  return [
    availability('PUT', '/stores/{store_hash}/v3/inventory/absolute', {
      reason: 'Consign available to promise',
      items: levels.map((l) => ({ location_id: 1, ...identity(l), quantity: l.available })),
    }),
  ];
}

/** Salesforce Omnichannel Inventory availability records (batch update); OCI's `sku` is the SFCC productId. */
function sfcc(levels: ItemLevel[], at: string): OutboundMessage[] {
  const records = levels.map((l) => ({
    sku: l.item?.productId ?? l.sku,
    onHand: l.available,
    safetyStockCount: 0,
    effectiveDate: at,
  }));
  return [
    availability(
      'POST',
      '/inventory/availability/v1/organizations/{organizationId}/availability-records/actions/batch-update',
      { records },
    ),
  ];
}

/** Amazon Feeds API `JSON_LISTINGS_FEED`: one PATCH of fulfillment_availability per SellerSKU. */
function amazon(levels: ItemLevel[]): OutboundMessage[] {
  const messages = levels.map((l, i) => ({
    messageId: i + 1,
    sku: l.item?.variantId || l.sku,
    operationType: 'PATCH',
    productType: 'PRODUCT',
    patches: [
      {
        op: 'replace',
        path: '/attributes/fulfillment_availability',
        value: [{ fulfillment_channel_code: 'DEFAULT', quantity: l.available }],
      },
    ],
  }));
  return [
    availability('POST', '/feeds/2021-06-30/feeds#JSON_LISTINGS_FEED', {
      header: { sellerId: '{sellerId}', version: '2.0' },
      messages,
    }),
  ];
}

/**
 * Stock levels in each platform's inventory calls, naming the platform's own items as its API
 * expects (see docs/connectors/README.md). A SKU the channel has no mapping for is sent by SKU,
 * for the receiving end to resolve.
 */
export const availabilityMessages: Record<Platform, (levels: ItemLevel[], at: string) => OutboundMessage[]> = {
  shopify,
  woocommerce,
  bigcommerce,
  sfcc,
  amazon,
};
