import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Platform } from './mapping.ts';

/**
 * Where each platform puts its proof: Shopify `X-Shopify-Hmac-Sha256` and WooCommerce
 * `X-WC-Webhook-Signature` are both base64 HMAC-SHA256 of the raw body under the webhook's
 * secret. BigCommerce, Salesforce Commerce Cloud and Amazon do not sign order payloads, so
 * whatever relays them to Consign signs the same way under the channel's secret in
 * `X-Consign-Hmac-Sha256`.
 */
export const signatureHeaders = {
  shopify: 'x-shopify-hmac-sha256',
  woocommerce: 'x-wc-webhook-signature',
  bigcommerce: 'x-consign-hmac-sha256',
  sfcc: 'x-consign-hmac-sha256',
  amazon: 'x-consign-hmac-sha256',
} as const satisfies Record<Platform, string>;

export function platformSignature(rawBody: Buffer | string, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('base64');
}

/** Constant-time check of the platform's header against the body and the channel's secret. */
export function verifyPlatformSignature(
  platform: Platform,
  rawBody: Buffer,
  headers: Record<string, string | string[] | undefined>,
  secret: string,
): boolean {
  const header = headers[signatureHeaders[platform]];
  if (typeof header !== 'string' || header.length === 0) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  const given = Buffer.from(header.trim(), 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
