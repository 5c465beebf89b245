import { describe, expect } from 'vitest';
import { connectorSuite } from '../support/connector-suite.ts';

describe('WooCommerce connector', () => {
  connectorSuite({
    platform: 'woocommerce',
    fixture: 'woocommerce/order.json',
    skus: ['WOO-SINGLE-1', 'Bar3'],
    externalId: '727',
    breakTotal: (raw) => raw.replace('"total": "28.28"', '"total": "28.29"'),
    expectOrder: (order) => {
      expect(order.lines.map((l: any) => [l.line_id, l.sku, l.unit_price.amount, l.discount])).toEqual([
        ['315', 'WOO-SINGLE-1', 300, { amount: 33, currency: 'USD' }],
        ['316', 'Bar3', 1200, { amount: 67, currency: 'USD' }],
      ]);
      expect(order.total).toEqual({ amount: 2828, currency: 'USD' });
      expect(order.shipping_address).toMatchObject({ line1: '969 Market', line2: 'Floor 3', postal_code: '94103' });
    },
  });
});
