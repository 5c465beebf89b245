/** Channel connectors as the API shows them: health and catalog mappings. */

export interface ConnectorHealth {
  channel_id: string;
  platform: string;
  last_order_received_at: string | null;
  last_polled_at: string | null;
  last_error: { source: 'inbound' | 'polling' | 'outbound'; code: string; detail: string; at: string } | null;
  review_queue: number;
  outbound: { backlog: number; oldest_undelivered_at: string | null } | null;
}

export interface CatalogMapping {
  channel_id: string;
  product_id: string;
  variant_id: string;
  sku: string;
  inventory_item_id: string | null;
  source: 'api' | 'auto';
  created_at: string;
  updated_at: string;
}

export interface MappingUpsert {
  upserted: number;
  released: { review_id: string; order_id: string }[];
}

/** What each platform calls the two IDs a mapping is keyed by. */
export const platformIdLabels: Record<string, { product: string; variant?: string }> = {
  shopify: { product: 'Product ID', variant: 'Variant ID' },
  woocommerce: { product: 'Product ID', variant: 'Variation ID' },
  bigcommerce: { product: 'Product ID', variant: 'Variant ID' },
  sfcc: { product: 'Product ID (productId)' },
  amazon: { product: 'ASIN', variant: 'SellerSKU' },
};
