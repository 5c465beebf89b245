import { describe, expect, it } from 'vitest';
import { brRateTable, rules } from './fixtures.ts';
import { describeRuleChanges } from './rules-diff.ts';

const names: Record<string, string> = { reno: 'Reno', austin: 'Austin', denver: 'Denver' };
const name = (id: string) => names[id] ?? id;

describe('rule changes in words', () => {
  it('says nothing of rules that route alike, whatever order their keys are in', () => {
    const active = rules();
    const reversed = <T extends object>(value: T) => Object.fromEntries(Object.entries(value).reverse()) as T;
    const stored = { ...reversed(active), weights: reversed(active.weights), rateTable: reversed(active.rateTable) };
    expect(Object.keys(stored)[0]).not.toBe(Object.keys(active)[0]);
    expect(describeRuleChanges(active, stored, name)).toEqual([]);
  });

  it('tells each change of the form, in the form’s order', () => {
    const active = rules({ maxShipments: 2, excludedLocations: ['austin'] });
    const draft = rules({
      weights: { ...active.weights, distance: 2, priority: 0 },
      maxShipments: 1,
      shipComplete: true,
      excludeAfterCutoff: true,
      bundles: 'split_components',
      excludedLocations: ['reno', 'denver'],
      rateTables: [brRateTable()],
      slaDays: { default: 3, byChannel: { 'br-web': 7 } },
    });
    expect(describeRuleChanges(active, draft, name)).toEqual([
      'Weight of distance (per km): 1 → 2',
      'Weight of store priority: 100 → 0',
      'Max shipments: 2 → 1',
      'Ship complete: off → on',
      'After cut-off: still eligible → excluded',
      'Kits: each kit from one location → components from several',
      'Excluded: Reno and Denver added',
      'Excluded: Austin removed',
      'Rate tables: BR added',
      'Delivery promise (SLA): 5 days → 3 days',
      'Delivery promise for channel br-web: the default → 7 days',
    ]);
  });

  it('names a rate table that changed or moved', () => {
    const us = brRateTable({ name: 'US', channels: ['us-web'], currency: 'USD' });
    const active = rules({ rateTables: [brRateTable(), us] });
    const changed = rules({ rateTables: [brRateTable({ countries: ['BR'] }), us] });
    expect(describeRuleChanges(active, changed, name)).toEqual(['Rate table BR: changed']);
    expect(describeRuleChanges(active, rules({ rateTables: [us, brRateTable()] }), name)).toEqual([
      'Rate tables: order changed (the first that matches an order prices it)',
    ]);
  });
});
