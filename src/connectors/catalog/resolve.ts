import type { Executor } from '../../db/index.ts';
import { problem, type Problem } from '../../shared/problem.ts';
import type { MapOutcome, Platform, PlatformItem } from '../mapping.ts';
import { mappingsOfProducts, type FirstSight } from './mappings.ts';

/** What each platform calls the product and the variant a mapping is keyed by. */
const platformIdNames: Record<Platform, { product: string; variant?: string }> = {
  shopify: { product: 'product_id', variant: 'variant_id' },
  woocommerce: { product: 'product_id', variant: 'variation_id' },
  bigcommerce: { product: 'product_id', variant: 'variant_id' },
  sfcc: { product: 'productId' },
  amazon: { product: 'ASIN', variant: 'SellerSKU' },
};

/** "product_id 632910392, variant_id 808950810", in the platform's own words. */
function describeItem(platform: Platform, item: { productId?: string; variantId?: string }): string {
  const names = platformIdNames[platform];
  const parts = [`${names.product} ${item.productId ?? '(none)'}`];
  if (names.variant && item.variantId) parts.push(`${names.variant} ${item.variantId}`);
  return parts.join(', ');
}

interface Resolved {
  mapped: MapOutcome;
  /** Items whose platform SKU may be recorded as their mapping, once the order is placed. */
  firstSight: FirstSight[];
  /** Lines with no SKU and no mapping: the order waits for review until a mapping exists. */
  unmapped?: Problem;
}

interface Connector {
  channel_id: string;
  platform: Platform;
}

/**
 * Puts the Consign SKU on each line of a mapped platform order, first found of: the channel's
 * mapping of the line's platform item set through the API (the variant's, else the product's),
 * the SKU the platform sent, the mapping Consign recorded when it first saw the item. Writes
 * nothing: the items seen with a platform SKU are returned, for the placement to record in its
 * own transaction (an order refused records none).
 */
export async function resolveCatalog(executor: Executor, connector: Connector, mapped: MapOutcome): Promise<Resolved> {
  if (!mapped.ok || !mapped.items || mapped.items.length !== mapped.order.lines.length) {
    return { mapped, firstSight: [] };
  }
  const items = mapped.items;
  const productIds = [...new Set(items.flatMap((i) => (i.productId ? [i.productId] : [])))];
  const found = await mappingsOfProducts(executor, connector.channel_id, productIds);
  const byKey = new Map(found.map((m) => [`${m.product_id}\u0000${m.variant_id}`, m]));
  const mappingOf = (item: PlatformItem) =>
    item.productId === undefined
      ? undefined
      : (byKey.get(`${item.productId}\u0000${item.variantId ?? ''}`) ?? byKey.get(`${item.productId}\u0000`));
  const skuOf = (item: PlatformItem, platformSku: string) => {
    const mapping = mappingOf(item);
    return mapping?.source === 'api' ? mapping.sku : platformSku || mapping?.sku || '';
  };
  const lines = mapped.order.lines.map((line, i) => ({ ...line, sku: skuOf(items[i]!, line.sku) }));
  const firstSight = items.flatMap((item) =>
    item.productId && item.sku && mappingOf(item)?.source !== 'api'
      ? [{ productId: item.productId, variantId: item.variantId ?? '', sku: item.sku }]
      : [],
  );
  const missing = items.filter((_, i) => lines[i]!.sku === '');
  const resolved: MapOutcome = { ...mapped, order: { ...mapped.order, lines } };
  if (missing.length === 0) return { mapped: resolved, firstSight };
  const named = missing.map((item) => describeItem(connector.platform, item)).join('; ');
  return {
    mapped: resolved,
    firstSight,
    unmapped: problem(
      'unmapped_item',
      `${missing.length} line(s) carry no SKU and the channel has no catalog mapping for them: ${named}. ` +
        `Add the mapping (POST /v1/channels/${connector.channel_id}/catalog-mappings); the order is placed as soon as it exists.`,
      {
        errors: missing.map((item) => ({
          pointer: item.pointer,
          message: `no SKU and no catalog mapping for ${describeItem(connector.platform, item)}`,
          product_id: item.productId ?? null,
          variant_id: item.variantId ?? null,
        })),
      },
    ),
  };
}
