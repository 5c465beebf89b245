import { describe, expect } from 'vitest';
import { connectorSuite } from '../support/connector-suite.ts';

describe('BigCommerce connector', () => {
  connectorSuite({
    platform: 'bigcommerce',
    fixture: 'bigcommerce/order.json',
    skus: ['S-ORAN', 'ABS'],
    externalId: '247',
    breakTotal: (raw) => raw.replace('"total_inc_tax": "111.5500"', '"total_inc_tax": "111.5600"'),
    expectOrder: (order) => {
      expect(order.lines.map((l: any) => [l.line_id, l.sku, l.unit_price.amount])).toEqual([
        ['65', 'S-ORAN', 5599],
        ['66', 'ABS', 2000],
      ]);
      expect(order.total).toEqual({ amount: 11155, currency: 'USD' });
      expect(order.metadata).toMatchObject({ platform: 'bigcommerce', order_address_id: '132' });
    },
  });
});
