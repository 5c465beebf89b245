import { describe, expect, it } from 'vitest';
import { deriveShipmentStatus } from '../statuses.ts';
import { parse as parseAftership } from './aftership.ts';
import { parse as parseEasypost, parseTracker } from './easypost.ts';
import { parse as parseShippo } from './shippo.ts';
import { haveRealSamples, realSamples } from './test-fixtures.ts';
import type { CarrierUpdate, ParseOutcome } from './types.ts';

function update(outcome: ParseOutcome): CarrierUpdate {
  if (outcome.kind !== 'tracking') throw new Error(`expected a tracking update, got ${JSON.stringify(outcome)}`);
  return outcome.update;
}

const statusOf = (u: CarrierUpdate) =>
  deriveShipmentStatus(
    'label_created',
    u.events.map((e) => ({ status: e.status, occurredAtMs: Date.parse(e.occurredAt) })),
  ).status;

/** The services' own published samples, when they are checked out beside the repository. */
describe.skipIf(!haveRealSamples)('published carrier samples', () => {
  it('EasyPost: every tracker sample parses; events that carry no tracker are acknowledged', () => {
    const samples = realSamples('easypost');
    expect(samples.length).toBeGreaterThan(0);
    for (const { name, body } of samples) {
      const record = body as Record<string, unknown>;
      if (Array.isArray(record.trackers)) {
        // a list response: each tracker in it parses
        for (const tracker of record.trackers as Record<string, unknown>[])
          expect(update(parseTracker(tracker)).events.length, name).toBeGreaterThan(0);
        continue;
      }
      const outcome = parseEasypost(body);
      const carriesTracker =
        record.object === 'Tracker' || (record.result as { object?: string } | undefined)?.object === 'Tracker';
      if (carriesTracker) {
        const u = update(outcome);
        expect(u.events.length, name).toBeGreaterThan(0);
        expect(u.skipped, name).toEqual([]);
      } else {
        expect(outcome.kind, name).toBe('ignored');
      }
    }
  });

  it('EasyPost: a delivery scan stamped before the out-for-delivery scan still makes the shipment delivered', () => {
    const sample = realSamples('easypost').find((s) => s.name.includes('tracking-guide'));
    const u = update(parseEasypost(sample!.body));
    const delivered = u.events.find((e) => e.status === 'delivered')!;
    const outForDelivery = u.events.find((e) => e.status === 'out_for_delivery')!;
    expect(delivered.occurredAt < outForDelivery.occurredAt).toBe(true);
    expect(statusOf(u)).toBe('delivered');
  });

  it('Shippo: the track_updated docs example parses to one delivered event', () => {
    for (const { name, body } of realSamples('shippo')) {
      const u = update(parseShippo(body));
      expect(u.trackingNumber, name).toBe('9205590164917312751089');
      expect(u.events.map((e) => e.status)).toEqual(['delivered']);
      expect(statusOf(u)).toBe('delivered');
    }
  });

  it('AfterShip: the tracking_update sample parses every checkpoint', () => {
    for (const { name, body } of realSamples('aftership')) {
      const u = update(parseAftership(body));
      expect(u.trackingNumber, name).toBe('9405516902697649303570');
      expect(u.events).toHaveLength(7);
      expect(u.events[0]).toMatchObject({ status: 'pre_transit', occurredAt: '2021-05-13T13:04:00.000Z' });
      expect(statusOf(u)).toBe('in_transit');
    }
  });
});
