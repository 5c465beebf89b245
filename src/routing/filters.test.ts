import { describe, expect, it } from 'vitest';
import { exclusionsFor, filterDescriptions, ruleExclusions, type FilterContext } from './filters.ts';
import { candidate, line, monday, order, rules } from './fixtures.ts';
import { clockReader } from './sla.ts';
import { filterCodes, type Candidate, type PlanOrder } from './types.ts';

function context(
  overrides: {
    order?: Partial<PlanOrder>;
    excludeAfterCutoff?: boolean;
    excludedLocations?: string[];
    now?: Date;
  } = {},
): FilterContext {
  const planned = order([line('L1', 'A', 1)], overrides.order);
  const planRules = rules({
    excludeAfterCutoff: overrides.excludeAfterCutoff ?? false,
    excludedLocations: overrides.excludedLocations,
  });
  return {
    order: planned,
    rules: planRules,
    method: planned.deliveryMethod,
    excluded: new Set(planned.excludedLocationIds),
    ruleExcluded: ruleExclusions(planRules),
    clockAt: clockReader((overrides.now ?? monday).getTime()),
  };
}

const codes = (c: Candidate, holds = true, ctx = context()) => exclusionsFor(c, holds, ctx).map((e) => e.code);

describe('filters', () => {
  it('pass an active, capable, stocked location in the channel group', () => {
    expect(exclusionsFor(candidate('a'), true, context())).toEqual([]);
  });

  it('inactive', () => {
    expect(codes(candidate('a', { active: false }))).toEqual(['inactive']);
  });

  it('not_in_channel_group names the channel', () => {
    const [exclusion] = exclusionsFor(candidate('a', { inChannelGroup: false }), true, context());
    expect(exclusion).toEqual({ code: 'not_in_channel_group', reason: 'Not in the location group of channel web.' });
  });

  it('excluded: locations the order excludes after a rejection', () => {
    expect(codes(candidate('a'), true, context({ order: { excludedLocationIds: ['a'] } }))).toEqual(['excluded']);
    expect(codes(candidate('b'), true, context({ order: { excludedLocationIds: ['a'] } }))).toEqual([]);
  });

  it('excluded_by_rules: locations the active rules exclude, for every order', () => {
    const ruled = context({ excludedLocations: ['a'], order: { excludedLocationIds: ['a'] } });
    expect(exclusionsFor(candidate('a'), true, ruled)).toEqual([
      { code: 'excluded', reason: 'Excluded by the order (it rejected this order earlier).' },
      { code: 'excluded_by_rules', reason: 'Excluded by the routing rules.' },
    ]);
    expect(codes(candidate('b'), true, context({ excludedLocations: ['a'] }))).toEqual([]);
  });

  it('missing_capability: ship for ship orders, pickup and curbside for those', () => {
    const storeOnly = candidate('a', { capabilities: ['pickup', 'returns'] });
    expect(exclusionsFor(storeOnly, true, context())).toEqual([
      { code: 'missing_capability', reason: 'Cannot ship (capabilities: pickup, returns).' },
    ]);
    const pickup = context({ order: { deliveryMethod: 'pickup', pickupLocationId: 'a' } });
    expect(codes(storeOnly, true, pickup)).toEqual([]);
    const curbside = context({ order: { deliveryMethod: 'curbside', pickupLocationId: 'a' } });
    expect(codes(storeOnly, true, curbside)).toEqual(['missing_capability']);
  });

  it('not_pickup_location: only the chosen store serves pickup', () => {
    const pickup = context({ order: { deliveryMethod: 'pickup', pickupLocationId: 'a' } });
    expect(codes(candidate('b'), true, pickup)).toEqual(['not_pickup_location']);
  });

  it('no_coordinates: only when there is a destination to measure to', () => {
    const unplaced = candidate('a', { latitude: null, longitude: null });
    expect(codes(unplaced)).toEqual(['no_coordinates']);
    expect(codes(unplaced, true, context({ order: { destination: null } }))).toEqual([]);
  });

  it('no_capacity when the day’s fulfillment orders reach daily capacity', () => {
    expect(codes(candidate('a', { dailyCapacity: 10, capacityUsedToday: 9 }))).toEqual([]);
    const full = exclusionsFor(candidate('a', { dailyCapacity: 10, capacityUsedToday: 10 }), true, context());
    expect(full).toEqual([
      { code: 'no_capacity', reason: 'Daily capacity reached: 10 of 10 fulfillment orders today.' },
    ]);
    expect(codes(candidate('a', { dailyCapacity: 0 }))).toEqual(['no_capacity']);
    expect(codes(candidate('a', { dailyCapacity: null, capacityUsedToday: 10_000 }))).toEqual([]);
  });

  it('past_cutoff only when the rules exclude after cut-off, in the location time zone', () => {
    const la = candidate('a', { timezone: 'America/Los_Angeles', cutoffTime: '15:00' });
    const at1459 = new Date('2025-03-03T22:59:00Z');
    const at1501 = new Date('2025-03-03T23:01:00Z');
    expect(codes(la, true, context({ excludeAfterCutoff: true, now: at1459 }))).toEqual([]);
    expect(codes(la, true, context({ excludeAfterCutoff: false, now: at1501 }))).toEqual([]);
    const [past] = exclusionsFor(la, true, context({ excludeAfterCutoff: true, now: at1501 }));
    expect(past!.code).toBe('past_cutoff');
    expect(past!.reason).toContain('15:01 America/Los_Angeles');
  });

  it('no_stock when the location holds none of the ordered SKUs', () => {
    expect(codes(candidate('a'), false)).toEqual(['no_stock']);
  });

  it('records every reason, not only the first', () => {
    const hopeless = candidate('a', { active: false, inChannelGroup: false, capabilities: [], dailyCapacity: 0 });
    expect(codes(hopeless, false)).toEqual([
      'inactive',
      'not_in_channel_group',
      'missing_capability',
      'no_capacity',
      'no_stock',
    ]);
  });

  it('describes every filter code', () => {
    expect(Object.keys(filterDescriptions).sort()).toEqual([...filterCodes].sort());
  });
});
