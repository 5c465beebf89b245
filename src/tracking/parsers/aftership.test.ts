import { describe, expect, it } from 'vitest';
import { aftershipSubtagMap, aftershipTagMap, parse } from './aftership.ts';
import { clone, loadFixture } from './test-fixtures.ts';
import type { CarrierUpdate, ParseOutcome } from './types.ts';

function update(outcome: ParseOutcome): CarrierUpdate {
  if (outcome.kind !== 'tracking') throw new Error(`expected a tracking update, got ${JSON.stringify(outcome)}`);
  return outcome.update;
}

type Webhook = { msg: Record<string, unknown> & { checkpoints: Record<string, unknown>[] } };

/** A tracking_update whose only checkpoint has this tag and subtag (the tracking's tag agrees). */
function withOneCheckpoint(tag: string, subtag: string | null): Webhook {
  const body = clone(loadFixture('aftership/tracking-update-in-transit.json')) as Webhook;
  const checkpoint = { ...body.msg.checkpoints[0], tag, subtag, subtag_message: subtag, message: `${tag} checkpoint` };
  body.msg.checkpoints = [checkpoint];
  body.msg.tag = tag;
  body.msg.subtag = subtag;
  return body;
}

describe('AfterShip tracking_update webhooks', () => {
  it('reads the tracking: number, courier slug and every checkpoint', () => {
    const u = update(parse(loadFixture('aftership/tracking-update-in-transit.json')));
    expect(u.trackingNumber).toBe('9405511899223100000001');
    expect(u.carrier).toBe('usps');
    expect(u.events.map((e) => [e.status, e.rawStatus, e.occurredAt])).toEqual([
      ['pre_transit', 'InfoReceived_001', '2025-05-12T08:41:00.000Z'],
      ['in_transit', 'InTransit_002', '2025-05-12T17:22:00.000Z'],
      ['in_transit', 'InTransit_003', '2025-05-12T23:58:00.000Z'],
    ]);
    expect(u.events[0]).toMatchObject({
      description: 'Shipping Label Created, USPS Awaiting Item',
      location: 'BOSTON, MA, 02110, USA, United States',
    });
  });

  it('keeps checkpoint keys stable between webhooks, so a later one only adds what is new', () => {
    const early = update(parse(loadFixture('aftership/tracking-update-in-transit.json')));
    const late = update(parse(loadFixture('aftership/tracking-update-delivered.json')));
    expect(late.events.slice(0, 3).map((e) => e.dedupeKey)).toEqual(early.events.map((e) => e.dedupeKey));
    expect(late.events.slice(3).map((e) => e.status)).toEqual(['out_for_delivery', 'delivered']);
  });

  it.each(Object.entries(aftershipTagMap))('maps tag %s to %s', (tag, expected) => {
    const u = update(parse(withOneCheckpoint(tag, `${tag}_001`)));
    expect(u.events.map((e) => e.status)).toEqual(expected === null ? [] : [expected]);
  });

  it.each(Object.entries(aftershipSubtagMap))('maps subtag %s to %s', (subtag, expected) => {
    expect(update(parse(withOneCheckpoint('Exception', subtag))).events.map((e) => e.status)).toEqual([expected]);
  });

  it('keeps other Exception subtags (damage, lost, customs) as exception', () => {
    for (const subtag of ['Exception_004', 'Exception_012', 'Exception_013']) {
      expect(update(parse(withOneCheckpoint('Exception', subtag))).events[0]!.status).toBe('exception');
    }
  });

  it('adds the tracking tag as an event when no checkpoint shows it (an expired tracking)', () => {
    const body = clone(loadFixture('aftership/tracking-update-in-transit.json')) as Webhook;
    body.msg.tag = 'Expired';
    body.msg.subtag = 'Expired_001';
    body.msg.subtag_message = 'Expired';
    const u = update(parse(body));
    expect(u.events.at(-1)).toMatchObject({
      status: 'exception',
      rawStatus: 'Expired_001',
      occurredAt: '2025-05-13T02:00:11.000Z',
    });
  });

  it('reads checkpoint times with an offset as given, and without one as UTC', () => {
    const body = clone(loadFixture('aftership/tracking-update-in-transit.json')) as Webhook;
    body.msg.checkpoints[0]!.checkpoint_time = '2025-05-12T08:41:00-04:00';
    expect(update(parse(body)).events[0]!.occurredAt).toBe('2025-05-12T12:41:00.000Z');
  });

  it('ignores other AfterShip events and refuses what is not an AfterShip webhook', () => {
    expect(parse({ event: 'edd_revise', msg: {} })).toMatchObject({ kind: 'ignored' });
    expect(parse({ msg: {} })).toMatchObject({ kind: 'invalid', pointer: '/event' });
    expect(parse({ event: 'tracking_update', msg: [] })).toMatchObject({ kind: 'invalid', pointer: '/msg' });
    expect(parse({ event: 'tracking_update', msg: { checkpoints: [] } })).toMatchObject({
      kind: 'invalid',
      pointer: '/msg/tracking_number',
    });
  });
});
