import { describe, expect, it } from 'vitest';
import type { PlanResult } from '../routing/index.ts';
import {
  compareOrder,
  expectedMoney,
  legacyView,
  reconcile,
  type ConsignOrder,
  type LegacyOutcome,
} from './compare.ts';

function decision(status: PlanResult['status'], allocations: [sku: string, location: string, quantity: number][]) {
  return {
    status,
    allocations: allocations.map(([sku, locationId, quantity]) => ({ lineId: '1', sku, locationId, quantity })),
    backorders: [],
    explanation: { summary: 'nearest location with stock' },
  } as unknown as PlanResult;
}

const order = (over: Partial<ConsignOrder> = {}): ConsignOrder => ({
  external_id: 'A-1',
  placed_at: '2026-12-01T10:00:00.000Z',
  total_minor: 2500,
  shipping_minor: 500,
  currency: 'USD',
  lines: [
    { line_id: '1', sku: 'S1', quantity: 2, amount_minor: 1500 },
    { line_id: '2', sku: 'S2', quantity: 1, amount_minor: 500 },
  ],
  decision: decision('allocated', [
    ['S1', 'loc_a', 2],
    ['S2', 'loc_a', 1],
  ]),
  ...over,
});

let seq = 0;
const outcome = (over: Partial<LegacyOutcome>): LegacyOutcome => ({
  external_id: 'A-1',
  kind: 'status',
  sku: null,
  location_id: null,
  quantity: null,
  status: null,
  total_minor: null,
  captured_minor: null,
  refunded_minor: null,
  placed_at: null,
  at: `2026-12-01T11:00:00.000Z${String(seq++).padStart(20, '0')}`,
  ...over,
});
const allocated = (sku: string, location_id: string, quantity: number) =>
  outcome({ kind: 'allocation', sku, location_id, quantity });
const shipped = (sku: string, location_id: string, quantity: number) =>
  outcome({ kind: 'shipment', sku, location_id, quantity });

describe('reconciling one order', () => {
  it('finds nothing when the legacy system did what Consign decided', () => {
    const same = [allocated('S1', 'loc_a', 2), allocated('S2', 'loc_a', 1), outcome({ status: 'shipped' })];
    expect(compareOrder(order(), same)).toEqual([]);
  });

  it('names an allocation elsewhere once per SKU, with Consign’s explanation', () => {
    const moved = [allocated('S1', 'loc_b', 2), allocated('S2', 'loc_a', 1)];
    expect(compareOrder(order(), moved)).toEqual([
      expect.objectContaining({
        kind: 'allocation',
        sku: 'S1',
        consign: [{ location_id: 'loc_a', quantity: 2 }],
        legacy: [{ location_id: 'loc_b', quantity: 2 }],
        explanation: 'nearest location with stock',
      }),
    ]);
  });

  it('reads where an order shipped as its allocation when no allocation was reported', () => {
    expect(compareOrder(order(), [shipped('S1', 'loc_a', 2), shipped('S2', 'loc_a', 1)])).toEqual([]);
  });

  it('says a status difference and leaves the allocations of a refused order alone', () => {
    expect(compareOrder(order(), [outcome({ status: 'rejected' })])).toEqual([
      expect.objectContaining({ kind: 'status', consign: 'allocated', legacy: 'rejected' }),
    ]);
  });

  it('compares no status before the legacy system decided, or after it cancelled', () => {
    expect(compareOrder(order(), [outcome({ status: 'created' })])).toEqual([]);
    expect(compareOrder(order(), [outcome({ kind: 'cancellation' })])).toEqual([]);
  });

  it('compares money to the cent, field by field', () => {
    const money = [
      shipped('S1', 'loc_a', 2),
      shipped('S2', 'loc_a', 1),
      outcome({ kind: 'money', total_minor: 2501, captured_minor: 2500, refunded_minor: 0 }),
    ];
    expect(compareOrder(order(), money)).toEqual([
      expect.objectContaining({ kind: 'money', field: 'total', consign: 2500, legacy: 2501 }),
    ]);
  });
});

describe('what Consign would have captured and refunded', () => {
  it('captures the whole total once every unit shipped, the shipped share with shipping before', () => {
    const all = legacyView([shipped('S1', 'loc_a', 2), shipped('S2', 'loc_a', 1)]);
    expect(expectedMoney(order(), all)).toEqual({ total: 2500, captured: 2500, refunded: 0 });
    const one = legacyView([shipped('S1', 'loc_a', 1)]);
    expect(expectedMoney(order(), one)).toEqual({ total: 2500, captured: 750 + 500, refunded: 0 });
    expect(expectedMoney(order(), legacyView([outcome({ status: 'allocated' })])).captured).toBe(0);
  });

  it('refunds what was captured when the order was cancelled', () => {
    const view = legacyView([shipped('S1', 'loc_a', 1), outcome({ kind: 'cancellation' })]);
    expect(expectedMoney(order(), view)).toEqual({ total: 2500, captured: 1250, refunded: 1250 });
  });
});

describe('reconciling a window', () => {
  it('finds orders of one side only and stock that differs, each on its day', () => {
    const differences = reconcile(
      [order(), order({ external_id: 'A-2', placed_at: '2026-12-02T09:00:00.000Z' })],
      [
        allocated('S1', 'loc_a', 2),
        allocated('S2', 'loc_a', 1),
        outcome({ external_id: 'L-9', status: 'shipped', placed_at: '2026-12-01T08:00:00.000Z' }),
      ],
      [
        { sku: 'S1', location_id: 'loc_a', as_of: '2026-12-03T00:00:00.000Z', legacy_on_hand: 5, consign_on_hand: 5 },
        { sku: 'S2', location_id: 'loc_a', as_of: '2026-12-03T00:00:00.000Z', legacy_on_hand: 4, consign_on_hand: 5 },
      ],
    );
    expect(differences.map((d) => [d.day, d.kind, d.external_id ?? d.sku])).toEqual([
      ['2026-12-01', 'only_in_legacy', 'L-9'],
      ['2026-12-02', 'only_in_consign', 'A-2'],
      ['2026-12-03', 'stock', 'S2'],
    ]);
  });
});
