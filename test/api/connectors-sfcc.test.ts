import { describe, expect } from 'vitest';
import { connectorSuite } from '../support/connector-suite.ts';

describe('Salesforce Commerce Cloud connector', () => {
  connectorSuite({
    platform: 'sfcc',
    fixture: 'sfcc/order.json',
    skus: ['green-umbrella'],
    externalId: '00000410',
    breakTotal: (raw) => raw.replace('"orderTotal": 636.26', '"orderTotal": 636.27'),
    expectOrder: (order) => {
      expect(order.lines.map((l: any) => [l.line_id, l.sku, l.unit_price.amount])).toEqual([
        ['d9516eecc64bd90b0022714d26', 'green-umbrella', 19999],
      ]);
      expect(order.total).toEqual({ amount: 63626, currency: 'USD' });
      expect(order.customer.email).toBe('shopper@salesforce-test.com');
    },
  });
});
