import { describe, expect, it } from 'vitest';
import { easypostStatusMap, parse } from './easypost.ts';
import { clone, loadFixture } from './test-fixtures.ts';
import type { CarrierUpdate, ParseOutcome } from './types.ts';

function update(outcome: ParseOutcome): CarrierUpdate {
  if (outcome.kind !== 'tracking') throw new Error(`expected a tracking update, got ${JSON.stringify(outcome)}`);
  return outcome.update;
}

/** A tracker.updated event with one tracking detail of the given status. */
function withOneDetail(status: string, extra: Record<string, unknown> = {}) {
  const body = clone(loadFixture('easypost/tracker-updated-in-transit.json')) as { result: Record<string, unknown> };
  body.result.status = 'unknown';
  body.result.tracking_details = [
    {
      object: 'TrackingDetail',
      message: `${status} scan`,
      status,
      datetime: '2025-03-04T10:00:00Z',
      tracking_location: { object: 'TrackingLocation', city: 'NEWARK', state: 'NJ', country: 'US', zip: null },
      ...extra,
    },
  ];
  return body;
}

describe('EasyPost tracker webhooks', () => {
  it('reads the tracker: tracking code, carrier and every tracking detail in order', () => {
    const u = update(parse(loadFixture('easypost/tracker-updated-in-transit.json')));
    expect(u.trackingNumber).toBe('1ZCONSIGN0000000001');
    expect(u.carrier).toBe('UPS');
    expect(u.skipped).toEqual([]);
    expect(u.events.map((e) => [e.status, e.rawStatus, e.occurredAt])).toEqual([
      ['pre_transit', 'pre_transit/label_created', '2025-03-03T14:05:00.000Z'],
      ['in_transit', 'in_transit/arrived_at_facility', '2025-03-03T22:41:00.000Z'],
      ['in_transit', 'in_transit/departed_facility', '2025-03-04T03:12:00.000Z'],
    ]);
    expect(u.events[1]).toMatchObject({ description: 'Pickup Scan', location: 'SECAUCUS, NJ, 07094, US' });
    expect(u.events[0]!.location).toBe('US');
  });

  it('gives each detail a stable content key (EasyPost details have no identity of their own)', () => {
    const first = update(parse(loadFixture('easypost/tracker-updated-in-transit.json')));
    const later = update(parse(loadFixture('easypost/tracker-updated-delivered.json')));
    expect(new Set(first.events.map((e) => e.dedupeKey)).size).toBe(3);
    // the later webhook repeats the whole history: the first three details keep their keys
    expect(later.events.slice(0, 3).map((e) => e.dedupeKey)).toEqual(first.events.map((e) => e.dedupeKey));
    expect(later.events.map((e) => e.status)).toEqual([
      'pre_transit',
      'in_transit',
      'in_transit',
      'in_transit',
      'out_for_delivery',
      'delivered',
    ]);
  });

  it.each(Object.entries(easypostStatusMap))('maps status %s to %s', (raw, expected) => {
    const u = update(parse(withOneDetail(raw)));
    if (expected === null) {
      expect(u.events).toEqual([]);
      expect(u.skipped[0]!.reason).toContain('carries no tracking information');
    } else {
      expect(u.events.map((e) => e.status)).toEqual([expected]);
    }
  });

  it('skips a status it does not know, and a detail without a usable time, saying why', () => {
    expect(update(parse(withOneDetail('teleported'))).skipped).toEqual([
      { index: 0, reason: 'unmapped status "teleported"' },
    ]);
    expect(update(parse(withOneDetail('in_transit', { datetime: 'yesterday' }))).skipped).toEqual([
      { index: 0, reason: 'no valid datetime' },
    ]);
  });

  it('adds the tracker status as an event when its history does not show it yet', () => {
    const body = clone(loadFixture('easypost/tracker-updated-in-transit.json')) as { result: Record<string, unknown> };
    body.result.tracking_details = [];
    body.result.status = 'delivered';
    body.result.status_detail = 'arrived_at_destination';
    const u = update(parse(body));
    expect(u.events).toHaveLength(1);
    expect(u.events[0]).toMatchObject({
      status: 'delivered',
      rawStatus: 'delivered/arrived_at_destination',
      occurredAt: '2025-03-04T03:15:02.000Z',
    });
  });

  it('takes a bare Tracker (an API response) as well as the Event around it', () => {
    const tracker = (loadFixture('easypost/tracker-updated-in-transit.json') as { result: unknown }).result;
    expect(update(parse(tracker)).events).toHaveLength(3);
  });

  it('acknowledges events that are not about trackers, or carry none, as ignored', () => {
    expect(parse(loadFixture('easypost/batch-updated.json'))).toMatchObject({ kind: 'ignored' });
    expect(parse({ object: 'Event', description: 'tracker.created', id: 'evt_1' })).toMatchObject({ kind: 'ignored' });
  });

  it('refuses bodies that are not EasyPost events, naming the field', () => {
    expect(parse([])).toMatchObject({ kind: 'invalid', pointer: '' });
    expect(parse({ object: 'Batch' })).toMatchObject({ kind: 'invalid', pointer: '/object' });
    const noCode = clone(loadFixture('easypost/tracker-updated-in-transit.json')) as {
      result: Record<string, unknown>;
    };
    delete noCode.result.tracking_code;
    expect(parse(noCode)).toMatchObject({ kind: 'invalid', pointer: '/result/tracking_code' });
    const notArray = clone(loadFixture('easypost/tracker-updated-in-transit.json')) as {
      result: Record<string, unknown>;
    };
    notArray.result.tracking_details = {};
    expect(parse(notArray)).toMatchObject({ kind: 'invalid', pointer: '/result/tracking_details' });
  });
});
