import { describe, expect, it } from 'vitest';
import { parse, shippoStatusMap, shippoTransitSubstatusMap } from './shippo.ts';
import { clone, loadFixture } from './test-fixtures.ts';
import type { CarrierUpdate, ParseOutcome } from './types.ts';

function update(outcome: ParseOutcome): CarrierUpdate {
  if (outcome.kind !== 'tracking') throw new Error(`expected a tracking update, got ${JSON.stringify(outcome)}`);
  return outcome.update;
}

/** A track_updated webhook whose only status entry has this status and substatus. */
function withOneStatus(status: string, substatus: string | null) {
  const body = clone(loadFixture('shippo/track-updated-transit.json')) as { data: Record<string, unknown> };
  const entry = {
    object_id: 'c0a51b5a1f00000000000000000000ff',
    status,
    substatus: substatus ? { code: substatus, text: substatus, action_required: false } : null,
    status_date: '2025-04-02T10:00:00Z',
    status_details: `${status} ${substatus ?? ''}`.trim(),
    location: { city: 'Hartford', state: 'CT', zip: '06101', country: 'US' },
  };
  body.data.tracking_history = [entry];
  body.data.tracking_status = entry;
  return body;
}

describe('Shippo track_updated webhooks', () => {
  it('reads the track: number, carrier, and its history with the current status counted once', () => {
    const u = update(parse(loadFixture('shippo/track-updated-transit.json')));
    expect(u.trackingNumber).toBe('9400111899223100000001');
    expect(u.carrier).toBe('usps');
    expect(u.events.map((e) => [e.status, e.rawStatus, e.occurredAt])).toEqual([
      ['pre_transit', 'PRE_TRANSIT/information_received', '2025-04-01T15:20:00.000Z'],
      ['in_transit', 'TRANSIT/package_accepted', '2025-04-01T21:05:00.000Z'],
      ['in_transit', 'TRANSIT/package_departed', '2025-04-02T04:40:00.000Z'],
    ]);
    expect(u.events[2]).toMatchObject({
      description: 'Departed USPS Regional Facility',
      location: 'Springfield, MA, 01152, US',
    });
  });

  it("uses Shippo's object_id as the event identity", () => {
    const transit = update(parse(loadFixture('shippo/track-updated-transit.json')));
    const delivered = update(parse(loadFixture('shippo/track-updated-delivered.json')));
    expect(transit.events.map((e) => e.dedupeKey)).toEqual([
      'c0a51b5a1f00000000000000000000a1',
      'c0a51b5a1f00000000000000000000a2',
      'c0a51b5a1f00000000000000000000a3',
    ]);
    expect(delivered.events.slice(0, 3).map((e) => e.dedupeKey)).toEqual(transit.events.map((e) => e.dedupeKey));
    expect(delivered.events.map((e) => e.status)).toEqual([
      'pre_transit',
      'in_transit',
      'in_transit',
      'out_for_delivery',
      'delivered',
    ]);
  });

  it.each(Object.entries(shippoStatusMap))('maps status %s to %s', (raw, expected) => {
    const u = update(parse(withOneStatus(raw, null)));
    expect(u.events.map((e) => e.status)).toEqual(expected === null ? [] : [expected]);
  });

  it.each(Object.entries(shippoTransitSubstatusMap))('maps TRANSIT with substatus %s to %s', (substatus, expected) => {
    expect(update(parse(withOneStatus('TRANSIT', substatus))).events.map((e) => e.status)).toEqual([expected]);
  });

  it('keeps in_transit for the other TRANSIT substatuses, and lets the top level win outside TRANSIT', () => {
    for (const substatus of [
      'package_accepted',
      'package_arrived',
      'delayed',
      'delivery_rescheduled',
      'package_forwarded',
    ]) {
      expect(update(parse(withOneStatus('TRANSIT', substatus))).events[0]!.status).toBe('in_transit');
    }
    // Shippo's own docs example pairs DELIVERED with information_received: delivered it is
    expect(update(parse(withOneStatus('DELIVERED', 'information_received'))).events[0]!.status).toBe('delivered');
    expect(update(parse(withOneStatus('RETURNED', 'package_unclaimed'))).events[0]!.status).toBe('returned_to_sender');
  });

  it('falls back to a content key when an entry has no object_id', () => {
    const body = withOneStatus('TRANSIT', 'package_departed');
    delete (body.data.tracking_status as Record<string, unknown>).object_id;
    delete ((body.data.tracking_history as Record<string, unknown>[])[0] as Record<string, unknown>).object_id;
    const u = update(parse(body));
    expect(u.events).toHaveLength(1);
    expect(u.events[0]!.dedupeKey).toMatch(/^h:[0-9a-f]{64}$/);
  });

  it('takes a bare Track object (an API response) as well', () => {
    const track = (loadFixture('shippo/track-updated-transit.json') as { data: unknown }).data;
    expect(update(parse(track)).events).toHaveLength(3);
  });

  it('ignores other Shippo events and refuses what is not a Shippo webhook', () => {
    expect(parse(loadFixture('shippo/transaction-created.json'))).toMatchObject({ kind: 'ignored' });
    expect(parse({ data: {} })).toMatchObject({ kind: 'invalid', pointer: '/event' });
    expect(parse({ event: 'track_updated', data: 'x' })).toMatchObject({ kind: 'invalid', pointer: '/data' });
    const noNumber = clone(loadFixture('shippo/track-updated-transit.json')) as { data: Record<string, unknown> };
    noNumber.data.tracking_number = '';
    expect(parse(noNumber)).toMatchObject({ kind: 'invalid', pointer: '/data/tracking_number' });
  });
});
