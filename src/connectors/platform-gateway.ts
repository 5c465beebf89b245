import {
  declined,
  registerGateway,
  succeeded,
  type CaptureRequest,
  type PaymentGateway,
  type RefundRequest,
  type VerifyRequest,
} from '../payments/index.ts';
import { platforms, type Platform } from './mapping.ts';

/**
 * The payment side of a sales channel that collects the money itself: Amazon (marketplace
 * collected), and Shopify, WooCommerce, BigCommerce and SFCC with the payment taken at their
 * checkout. A connector names the platform's transaction as the authorization's reference
 * (Shopify's transaction ID, WooCommerce's `transaction_id`, the Amazon order ID, …) and the
 * platform's name as its gateway (`shopify:<its gateway>`).
 *
 * Consign moves no money through it. It records what the platform does: a capture is the
 * platform settling what shipped (`<platform>:settlement:<transaction>:<key>`), a refund is the
 * platform's refund (`<platform>:refund:<transaction>:<key>`), a void releases what will not
 * ship. An authorization without the platform's transaction is not taken as paid.
 */
function createPlatformGateway(platform: Platform): PaymentGateway {
  const record = (what: string, transaction: string, request: CaptureRequest | RefundRequest) =>
    succeeded(`${platform}:${what}:${transaction}:${request.idempotencyKey}`.slice(0, 200));
  return {
    name: platform,
    async verify(request: VerifyRequest) {
      if (!request.authorizationReference)
        return declined(
          'no_platform_transaction',
          `The ${platform} payment names no ${platform} transaction; the platform has not confirmed the money.`,
        );
      return succeeded(request.authorizationReference);
    },
    async authorize() {
      return declined('not_supported', `${platform} takes its buyers' payments at its own checkout.`);
    },
    capture: async (request) => record('settlement', request.authorizationReference, request),
    void: async (request) => record('release', request.authorizationReference, request),
    refund: async (request) =>
      record('refund', request.captureReference.replace(`${platform}:settlement:`, ''), request),
  };
}

for (const platform of platforms) registerGateway(platform, () => createPlatformGateway(platform));
