import { describe, expect, it } from 'vitest';
import { cancellationMessages } from './shapes.ts';

describe('cancellation messages', () => {
  const facts = { externalId: '727', reason: 'out of stock' };

  it.each([
    [
      'shopify',
      'POST',
      '/admin/api/2024-10/orders/727/cancel.json',
      { reason: 'other', email: true, staff_note: 'out of stock' },
    ],
    ['woocommerce', 'PUT', '/wp-json/wc/v3/orders/727', { status: 'cancelled', customer_note: 'out of stock' }],
    ['bigcommerce', 'PUT', '/stores/{store_hash}/v2/orders/727', { status_id: 5, staff_notes: 'out of stock' }],
    ['sfcc', 'PUT', '/checkout/orders/v1/organizations/{organizationId}/orders/727/status', { status: 'cancelled' }],
  ] as const)('%s: %s %s', (platform, method, path, body) => {
    expect(cancellationMessages[platform]!(facts)).toEqual({ kind: 'cancellation', method, path, body });
  });

  it('has none for Amazon, whose sellers cancel through the order acknowledgement feed', () => {
    expect(cancellationMessages.amazon).toBeUndefined();
  });
});
