import { describe, expect, it } from 'vitest';
import { checkRecord } from './check.ts';
import { prepareOrder } from './prepare.ts';
import type { HistoryOrder } from './record.ts';

const context = {
  channelId: 'chn_web',
  currency: 'USD',
  locations: new Map([
    ['DC1', 'loc_dc'],
    ['loc_dc', 'loc_dc'],
  ]),
  managed: false,
  requestHash: 'hash',
};
const skus = new Set(['A', 'B']);

const base: HistoryOrder = {
  id: 'H-1',
  status: 'delivered',
  placed_at: '2025-01-01T10:00:00Z',
  customer: { email: 'Ada@Example.com' },
  lines: [
    { id: '1', sku: 'A', quantity: 3, unit_price_minor: 1000, discount_minor: 100 },
    { id: '2', sku: 'B', quantity: 1, unit_price_minor: 500, tax_minor: 40 },
  ],
  shipping_minor: 300,
  total_minor: 3740,
};

const prepare = (record: HistoryOrder) => prepareOrder(record, context);

/** A delivered parcel from DC1 carrying `lines` ([line, quantity] pairs). */
const parcel = (lines: [string, number][], fields: Partial<{ id: string; location: string; status: string }> = {}) => ({
  id: 'P1',
  location: 'DC1',
  carrier: 'ups',
  status: 'delivered',
  shipped_at: '2025-01-02T00:00:00Z',
  lines: lines.map(([line, quantity]) => ({ line, quantity })),
  ...fields,
});

describe('prepareOrder', () => {
  it('counts every unit shipped and delivered from a delivered order without parcels', () => {
    const prepared = prepare(base);
    if (!prepared.ok) throw new Error(JSON.stringify(prepared.problems));
    const { order } = prepared.value;
    expect(order).toMatchObject({
      external_id: 'H-1',
      customer_email: 'ada@example.com',
      subtotal_minor: 3500,
      discount_minor: 100,
      tax_minor: 40,
      shipping_minor: 300,
      metadata: { imported: true },
    });
    expect(order.lines.map((l) => [l.shipped, l.delivered, l.cancelled, l.backordered])).toEqual([
      [3, 3, 0, 0],
      [1, 1, 0, 0],
    ]);
  });

  it('derives buckets from parcels and returns, one fulfillment order per location', () => {
    const prepared = prepare({
      ...base,
      status: 'partially_delivered',
      shipments: [parcel([['1', 2]]), parcel([['2', 1]], { id: 'P2', location: 'loc_dc', status: 'in_transit' })],
      returns: [
        {
          id: 'R1',
          status: 'authorized',
          created_at: '2025-01-05T00:00:00Z',
          lines: [{ line: '1', quantity: 2, received: 1, refunded: 1 }],
        },
      ],
    });
    if (!prepared.ok) throw new Error(JSON.stringify(prepared.problems));
    const { order, shipments, returns } = prepared.value;
    expect(order.lines[0]).toMatchObject({
      shipped: 2,
      delivered: 2,
      cancelled: 1,
      returned: 1,
      return_requested: 1,
      refunded: 1,
    });
    expect(order.lines[1]).toMatchObject({ shipped: 1, delivered: 0, cancelled: 0 });
    expect(order.fulfillments).toEqual([{ id: expect.any(String), location_id: 'loc_dc', status: 'shipped' }]);
    expect(shipments.map((s) => s.fulfillment_order_id)).toEqual([
      order.fulfillments[0]!.id,
      order.fulfillments[0]!.id,
    ]);
    expect(returns[0]).toMatchObject({ refunded_minor: 1000, lines: [{ line_id: '1', sku: 'A', reason: 'other' }] });
  });

  it('leaves the unshipped units of an open order waiting', () => {
    const prepared = prepare({ ...base, status: 'confirmed' });
    expect(prepared.ok && prepared.value.order.lines.map((l) => l.backordered)).toEqual([3, 1]);
  });

  it('refuses units and money that do not add up', () => {
    const prepared = prepare({
      ...base,
      total_minor: 1,
      shipments: [
        parcel([
          ['1', 4],
          ['9', 1],
        ]),
      ],
    });
    expect(!prepared.ok && prepared.problems).toEqual([
      { field: 'lines', problem: 'a shipment or return names no line 9' },
      { field: 'lines[0].quantity', problem: '4 units shipped of 3' },
      { field: 'total_minor', problem: 'is 1; the lines, discounts, shipping and tax add up to 3740' },
    ]);
    const cancelled = prepare({
      ...base,
      status: 'cancelled',
      shipments: [parcel([['1', 1]])],
    });
    expect(!cancelled.ok && cancelled.problems[0]).toEqual({
      field: 'status',
      problem: 'a cancelled order has no shipments',
    });
  });
});

describe('checkRecord', () => {
  it('names every field that is wrong', () => {
    const checked = checkRecord(
      { id: '', status: 'lost', placed_at: 'yesterday', customer: {}, lines: [], total_minor: -1, currency: 'EUR' },
      { currency: 'USD', skus, locations: context.locations },
    );
    expect(!checked.ok && checked.problems.map((p) => p.field)).toEqual([
      'id',
      'status',
      'placed_at',
      'currency',
      'total_minor',
      'lines',
    ]);
  });
});
