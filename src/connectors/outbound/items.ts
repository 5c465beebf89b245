import type { Executor } from '../../db/index.ts';
import { mappingsOfSkus } from '../catalog/mappings.ts';
import type { ItemLevel, MappedItem } from './availability.ts';

/**
 * The SKUs' levels per platform item of the channel's catalog mapping: each mapped item once
 * (an item maps to one SKU, so coalescing per SKU is coalescing per item), and an unmapped SKU
 * by itself.
 */
export async function itemLevels(
  executor: Executor,
  channelId: string,
  levels: { sku: string; available: number }[],
): Promise<ItemLevel[]> {
  const itemsOf = new Map<string, MappedItem[]>();
  for (const m of await mappingsOfSkus(
    executor,
    channelId,
    levels.map((l) => l.sku),
  )) {
    const item = { productId: m.product_id, variantId: m.variant_id, inventoryItemId: m.inventory_item_id };
    itemsOf.set(m.sku, [...(itemsOf.get(m.sku) ?? []), item]);
  }
  return levels.flatMap((level) => itemsOf.get(level.sku)?.map((item) => ({ ...level, item })) ?? [level]);
}
