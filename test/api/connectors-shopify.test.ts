import { describe, expect } from 'vitest';
import { connectorSuite } from '../support/connector-suite.ts';

describe('Shopify connector', () => {
  connectorSuite({
    platform: 'shopify',
    fixture: 'shopify/orders-create.json',
    skus: ['IPOD2008PINK', 'IPOD2008GREEN'],
    externalId: '8214298463751234567',
    breakTotal: (raw) => raw.replace('"total_price": "426.58"', '"total_price": "426.59"'),
    expectOrder: (order) => {
      expect(order.lines.map((l: any) => [l.line_id, l.sku, l.quantity.ordered ?? l.quantity, l.unit_price])).toEqual([
        ['866550311766439020', 'IPOD2008PINK', 1, { amount: 19900, currency: 'USD' }],
        ['141249953214522974', 'IPOD2008GREEN', 2, { amount: 9950, currency: 'USD' }],
      ]);
      expect(order.total).toEqual({ amount: 42658, currency: 'USD' });
      expect(order.metadata.platform_order_id).toBe('8214298463751234567');
    },
  });
});
