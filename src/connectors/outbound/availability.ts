import type { Platform } from '../mapping.ts';
import type { OutboundMessage } from './shapes.ts';

export interface SkuLevel {
  sku: string;
  /** Available to promise across the channel's location group. */
  available: number;
}

/**
 * Stock levels in each platform's batch shape. Platforms key inventory by their own item IDs;
 * where Consign only knows the SKU, the message carries the SKU in that place (documented per
 * platform) and the receiving end resolves it.
 */
export const availabilityMessages: Record<Platform, (levels: SkuLevel[], at: string) => OutboundMessage> = {
  // Shopify GraphQL Admin `inventorySetQuantities` input.
  shopify: (levels) => ({
    kind: 'availability',
    method: 'POST',
    path: '/admin/api/2024-10/graphql.json#inventorySetQuantities',
    body: {
      input: {
        name: 'available',
        reason: 'correction',
        ignoreCompareQuantity: true,
        quantities: levels.map((l) => ({ sku: l.sku, quantity: l.available })),
      },
    },
  }),
  // WooCommerce REST v3 `POST /products/batch`.
  woocommerce: (levels) => ({
    kind: 'availability',
    method: 'POST',
    path: '/wp-json/wc/v3/products/batch',
    body: { update: levels.map((l) => ({ sku: l.sku, manage_stock: true, stock_quantity: l.available })) },
  }),
  // BigCommerce v3 Inventory `PUT /inventory/absolute`.
  bigcommerce: (levels) => ({
    kind: 'availability',
    method: 'PUT',
    path: '/stores/{store_hash}/v3/inventory/absolute',
    body: {
      reason: 'Consign available to promise',
      items: levels.map((l) => ({ location_id: 1, sku: l.sku, quantity: l.available })),
    },
  }),
  // Salesforce Omnichannel Inventory availability records (batch update).
  sfcc: (levels, at) => ({
    kind: 'availability',
    method: 'POST',
    path: '/inventory/availability/v1/organizations/{organizationId}/availability-records/actions/batch-update',
    body: { records: levels.map((l) => ({ sku: l.sku, onHand: l.available, safetyStockCount: 0, effectiveDate: at })) },
  }),
  // Amazon Feeds API `JSON_LISTINGS_FEED`: one PATCH of fulfillment_availability per SKU.
  amazon: (levels) => ({
    kind: 'availability',
    method: 'POST',
    path: '/feeds/2021-06-30/feeds#JSON_LISTINGS_FEED',
    body: {
      header: { sellerId: '{sellerId}', version: '2.0' },
      messages: levels.map((l, i) => ({
        messageId: i + 1,
        sku: l.sku,
        operationType: 'PATCH',
        productType: 'PRODUCT',
        patches: [
          {
            op: 'replace',
            path: '/attributes/fulfillment_availability',
            value: [{ fulfillment_channel_code: 'DEFAULT', quantity: l.available }],
          },
        ],
      })),
    },
  }),
};
