import { describe, expect, it } from 'vitest';
import { explanationText, decisionText } from './explanation-text.ts';
import { candidate, line, monday, order, rules, stockOf } from './fixtures.ts';
import { plan } from './planner.ts';
import type { RoutingRules } from './rules.ts';

/** A Denver customer; Cherry Creek is across town, Reno 1,268 km away, Boulder near but at its daily capacity. */
const denver = { latitude: 39.7392, longitude: -104.9903 };
const network = [
  candidate('cherry-creek', {
    name: 'Cherry Creek',
    type: 'store',
    latitude: 39.717,
    longitude: -104.953,
    timezone: 'America/Denver',
  }),
  candidate('reno', { name: 'Reno', latitude: 39.5296, longitude: -119.8138, timezone: 'America/Los_Angeles' }),
  candidate('boulder', {
    name: 'Boulder',
    type: 'store',
    latitude: 40.015,
    longitude: -105.2705,
    timezone: 'America/Denver',
    dailyCapacity: 3,
    capacityUsedToday: 3,
  }),
];

function decide(
  levels: Record<string, Record<string, number>>,
  quantities: [number, number],
  overrides: Partial<RoutingRules> = {},
) {
  const lines = [line('L1', 'A', quantities[0]), line('L2', 'B', quantities[1])];
  return plan(order(lines, { destination: denver }), network, stockOf(levels), rules(overrides), monday);
}

const stocked = { 'cherry-creek': { A: 2, B: 2 }, reno: { A: 9, B: 9 }, boulder: { A: 9, B: 9 } };

describe('the decision in one plain sentence', () => {
  it('names the location, why it, how far, and what the runner-up would have cost', () => {
    // Two 500 g units: zone 2 from Cherry Creek is $8.50 + 1 kg × $0.90 = $9.40; zone 5 from Reno $10.00 + $1.60 = $11.60.
    expect(explanationText(decide(stocked, [1, 1]))).toBe(
      'Ships from Cherry Creek: nearest and cheapest with all items, 4 km; Reno was 1,268 km and $2.20 dearer.',
    );
  });

  it('says a nearer location was kept out, and why', () => {
    expect(explanationText(decide(stocked, [1, 1], { excludedLocations: ['cherry-creek'] }))).toBe(
      'Ships from Reno: the only location with all items, 1,268 km; no other plan was possible; ' +
        'Cherry Creek (4 km) was nearer but is excluded by the routing rules.',
    );
  });

  it('tells a split and a refusal', () => {
    const split = decide({ 'cherry-creek': { A: 1, B: 2 }, reno: { A: 1, B: 9 } }, [2, 1]);
    expect(explanationText(split)).toBe(
      'Ships from Cherry Creek and Reno: 2 shipments, as no one location could send everything in fewer; ' +
        'no other plan was possible.',
    );
    const refused = decide(stocked, [5, 1], { excludedLocations: ['reno', 'boulder'] });
    expect(explanationText(refused)).toBe(
      'Not routed: Not enough stock at the eligible locations: L1 (A) needs 5, 2 available.',
    );
  });

  it('reads a stored decision, and nothing else', () => {
    const stored: unknown = JSON.parse(JSON.stringify(decide(stocked, [1, 1])));
    expect(decisionText(stored)).toMatch(/^Ships from Cherry Creek: /);
    expect(decisionText({ unplaced: 3 })).toBeNull();
    expect(decisionText(null)).toBeNull();
  });
});
