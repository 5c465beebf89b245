import type { MapContext, MapOutcome, Platform } from '../mapping.ts';
import { mapAmazonOrder } from './amazon.ts';
import { mapBigCommerceOrder } from './bigcommerce.ts';
import { mapSfccOrder } from './sfcc.ts';
import { mapShopifyOrder } from './shopify.ts';
import { mapWooOrder } from './woocommerce.ts';

export const orderMappers: Record<Platform, (payload: unknown, ctx: MapContext) => MapOutcome> = {
  shopify: mapShopifyOrder,
  woocommerce: mapWooOrder,
  bigcommerce: mapBigCommerceOrder,
  sfcc: mapSfccOrder,
  amazon: mapAmazonOrder,
};
