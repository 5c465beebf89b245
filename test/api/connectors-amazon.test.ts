import { describe, expect } from 'vitest';
import { connectorSuite } from '../support/connector-suite.ts';

describe('Amazon SP-API connector, Orders v0', () => {
  connectorSuite({
    platform: 'amazon',
    fixture: 'amazon/v0-order.json',
    skus: ['CBA_OTF_1', 'CBA_OTF_5'],
    externalId: '902-3159896-1390916',
    breakTotal: (raw) => raw.replace('"Amount": "65.96"', '"Amount": "65.97"'),
    expectOrder: (order) => {
      expect(order.lines.map((l: any) => [l.line_id, l.sku, l.unit_price.amount])).toEqual([
        ['68828574383266', 'CBA_OTF_1', 1999],
        ['79039765272157', 'CBA_OTF_5', 1795],
      ]);
      expect(order.total).toEqual({ amount: 6596, currency: 'USD' });
      expect(order.metadata).toMatchObject({ api_version: 'v0', marketplace_id: 'ATVPDKIKX0DER' });
    },
  });
});

describe('Amazon SP-API connector, Orders 2026-01-01', () => {
  connectorSuite({
    platform: 'amazon',
    fixture: 'amazon/2026-order.json',
    skus: ['ECHO-DOT-4-UK-CHARCOAL-3PACK'],
    currency: 'GBP',
    externalId: '202-1234567-8901234',
    breakTotal: (raw) => raw.replace('"amount": "103.97"', '"amount": "103.98"'),
    expectOrder: (order) => {
      expect(order.lines[0]).toMatchObject({
        sku: 'ECHO-DOT-4-UK-CHARCOAL-3PACK',
        unit_price: { amount: 2999, currency: 'GBP' },
      });
      expect(order.total).toEqual({ amount: 10397, currency: 'GBP' });
    },
  });
});
