import { describe, expect, it } from 'vitest';
import { fulfillmentStatuses, onHoldRefusal, type FulfillmentOrderRow } from './fulfillment-transitions.ts';

const row = (onHold: boolean): FulfillmentOrderRow => ({
  id: 'fo_1',
  order_id: 'ord_1',
  location_id: 'loc_1',
  delivery_method: 'ship',
  status: 'accepted',
  version: 1,
  order_on_hold: onHold,
});

describe('moves while the order is on hold', () => {
  for (const to of fulfillmentStatuses) {
    const refused = !['rejected', 'cancelled'].includes(to);
    it(`→ ${to} is ${refused ? 'refused' : 'allowed'} on hold, allowed otherwise`, () => {
      expect(onHoldRefusal(row(true), to)?.code).toBe(refused ? 'illegal_transition' : undefined);
      expect(onHoldRefusal(row(false), to)).toBeUndefined();
    });
  }

  it('lets a step that moves no status through', () => {
    expect(onHoldRefusal(row(true), null)).toBeUndefined();
  });
});
