import { describe, expect, it } from 'vitest';
import {
  canTransitionOrder,
  deriveOrderStatus,
  derivePaymentStatus,
  orderStatuses,
  orderTransitions,
  type LineBuckets,
  type OrderStatus,
} from './status.ts';

const line = (over: Partial<LineBuckets>): LineBuckets => ({
  quantity: 2,
  allocated: 0,
  backordered: 0,
  cancelled: 0,
  shipped: 0,
  delivered: 0,
  ...over,
});

describe('deriveOrderStatus', () => {
  const cases: [string, LineBuckets[], boolean, string][] = [
    ['held and allocated', [line({ allocated: 2 })], true, 'created'],
    ['nothing allocated yet (back-ordered)', [line({ backordered: 2 })], false, 'confirmed'],
    ['allocated', [line({ allocated: 2 })], false, 'in_process'],
    ['one of two shipped', [line({ allocated: 1, shipped: 1 })], false, 'partially_shipped'],
    ['shipped in full', [line({ shipped: 2 })], false, 'shipped'],
    ['shipped and a line cancelled', [line({ shipped: 2 }), line({ cancelled: 2 })], false, 'shipped'],
    ['part delivered', [line({ shipped: 2, delivered: 1 })], false, 'partially_delivered'],
    ['delivered', [line({ shipped: 2, delivered: 2 })], false, 'delivered'],
    ['everything cancelled', [line({ cancelled: 2 }), line({ cancelled: 2 })], false, 'cancelled'],
    [
      'held and partly shipped stays partially shipped',
      [line({ allocated: 1, shipped: 1 })],
      true,
      'partially_shipped',
    ],
  ];
  for (const [name, lines, held, expected] of cases) {
    it(`${name} → ${expected}`, () => expect(deriveOrderStatus(lines, held)).toBe(expected));
  }
});

describe('order transitions (every pair)', () => {
  /** From-status → the derived statuses it may move to (staying put is always allowed). */
  const allowed: Record<OrderStatus, OrderStatus[]> = {
    created: [
      'confirmed',
      'in_process',
      'partially_shipped',
      'shipped',
      'partially_delivered',
      'delivered',
      'cancelled',
    ],
    confirmed: ['created', 'in_process', 'cancelled'],
    in_process: [
      'created',
      'confirmed',
      'partially_shipped',
      'shipped',
      'partially_delivered',
      'delivered',
      'cancelled',
    ],
    partially_shipped: ['shipped', 'partially_delivered', 'delivered'],
    shipped: ['partially_delivered', 'delivered'],
    partially_delivered: ['delivered'],
    delivered: [],
    cancelled: [],
  };
  it('covers every status', () => expect(Object.keys(allowed).sort()).toEqual([...orderStatuses].sort()));
  for (const from of orderStatuses) {
    for (const to of orderStatuses) {
      const expected = from === to || allowed[from].includes(to);
      it(`${from} → ${to}: ${expected ? 'allowed' : 'forbidden'}`, () =>
        expect(canTransitionOrder(from, to)).toBe(expected));
    }
  }
  it('terminal statuses have no way out', () => {
    expect(orderTransitions.delivered).toEqual([]);
    expect(orderTransitions.cancelled).toEqual([]);
  });
  it('nothing shipped can be cancelled', () => {
    for (const from of ['partially_shipped', 'shipped', 'partially_delivered', 'delivered'] as const) {
      expect(canTransitionOrder(from, 'cancelled')).toBe(false);
    }
  });
});

describe('derivePaymentStatus', () => {
  const auth = (amountMinor: number) => ({ kind: 'authorization', status: 'succeeded', amountMinor });
  it('is authorized when authorizations cover the total, partially otherwise', () => {
    expect(derivePaymentStatus([auth(1000)], 1000)).toBe('authorized');
    expect(derivePaymentStatus([auth(400)], 1000)).toBe('partially_authorized');
    expect(derivePaymentStatus([], 1000)).toBe('unpaid');
  });
});
