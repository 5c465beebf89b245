import { describe, expect, it } from 'vitest';
import { defaultRoutingRules, validateRules } from './rules.ts';

const valid = () => structuredClone(defaultRoutingRules) as unknown as Record<string, any>;
const pointers = (rules: unknown) => validateRules(rules).map((v) => v.pointer);

describe('validateRules', () => {
  it('accepts the defaults, also after a JSON round trip', () => {
    expect(validateRules(defaultRoutingRules)).toEqual([]);
    expect(validateRules(JSON.parse(JSON.stringify(defaultRoutingRules)))).toEqual([]);
  });

  it('makes fewest shipments dominant by default', () => {
    const { shipments, ...others } = defaultRoutingRules.weights;
    expect(shipments).toBeGreaterThanOrEqual(100 * Math.max(...Object.values(others)));
  });

  it('refuses what is not an object', () => {
    expect(validateRules(null)).toEqual([{ pointer: '', message: 'rules must be a JSON object' }]);
    expect(pointers([])).toEqual(['']);
  });

  it('points at negative, missing and unknown weights', () => {
    const rules = valid();
    rules.weights.distance = -1;
    delete rules.weights.cost;
    rules.weights.speed = 3;
    expect(pointers(rules).sort()).toEqual(['/weights/cost', '/weights/distance', '/weights/speed']);
  });

  it('points at missing and unknown top-level fields', () => {
    const rules = valid();
    delete rules.currency;
    rules.colour = 'blue';
    expect(pointers(rules).sort()).toEqual(['/colour', '/currency']);
  });

  it('checks scalars: maxShipments, flags, fallback, currency', () => {
    const rules = valid();
    rules.maxShipments = 0;
    rules.shipComplete = 'yes';
    rules.pickupFallback = 'deliver';
    rules.currency = 'usd';
    expect(pointers(rules).sort()).toEqual(['/currency', '/maxShipments', '/pickupFallback', '/shipComplete']);
    expect(pointers({ ...valid(), maxShipments: 2.5 })).toEqual(['/maxShipments']);
    expect(pointers({ ...valid(), maxShipments: null })).toEqual([]);
  });

  it('takes an optional bundles rule: one location or split components', () => {
    expect(pointers({ ...valid(), bundles: 'one_location' })).toEqual([]);
    expect(pointers({ ...valid(), bundles: 'split_components' })).toEqual([]);
    expect(validateRules({ ...valid(), bundles: 'anywhere' })).toEqual([
      { pointer: '/bundles', message: 'must be "one_location" or "split_components"' },
    ]);
  });

  it('requires ascending bands that end open-ended, and zones that exist', () => {
    const rules = valid();
    rules.rateTable.bands = [
      { maxKm: 500, zone: '2' },
      { maxKm: 100, zone: '3' },
      { maxKm: null, zone: 'nowhere' },
    ];
    expect(pointers(rules)).toEqual(['/rateTable/bands/1/maxKm', '/rateTable/bands/2/zone']);
    rules.rateTable.bands = [{ maxKm: 500, zone: '2' }];
    expect(pointers(rules)).toEqual(['/rateTable/bands/0/maxKm']);
    rules.rateTable.bands = [
      { maxKm: null, zone: '2' },
      { maxKm: null, zone: '3' },
    ];
    expect(pointers(rules)).toEqual(['/rateTable/bands/0/maxKm']);
    rules.rateTable.bands = [];
    expect(pointers(rules)).toEqual(['/rateTable/bands']);
  });

  it('requires integer, non-negative rates and escapes zone names in pointers', () => {
    const rules = valid();
    rules.rateTable.zones['a/b'] = { baseMinor: 1.5, perKgMinor: -2 };
    expect(pointers(rules)).toEqual(['/rateTable/zones/a~1b/baseMinor', '/rateTable/zones/a~1b/perKgMinor']);
  });

  it('checks transit bands and SLA days per channel', () => {
    const rules = valid();
    rules.transitDays[0].days = -1;
    rules.slaDays.byChannel = { web: 2, b2b: 'soon' };
    rules.slaDays.default = 1.5;
    expect(pointers(rules)).toEqual(['/transitDays/0/days', '/slaDays/default', '/slaDays/byChannel/b2b']);
  });

  it('gives messages a rules editor can show', () => {
    const rules = valid();
    rules.weights.sla = 'high';
    expect(validateRules(rules)).toEqual([{ pointer: '/weights/sla', message: 'must be a number ≥ 0' }]);
  });
});
