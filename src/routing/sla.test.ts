import { describe, expect, it } from 'vitest';
import { rules } from './fixtures.ts';
import {
  clockReader,
  cutoffMinutes,
  formatDay,
  isPastCutoff,
  localClock,
  promiseDelivery,
  slaDaysFor,
  transitDaysFor,
} from './sla.ts';

const at = (iso: string) => Date.parse(iso);

describe('local clock', () => {
  it('reads wall time in the location time zone, across daylight saving', () => {
    // 2025-03-03 is PST (UTC−8); 2025-07-01 is PDT (UTC−7).
    const winter = localClock(at('2025-03-03T22:59:00Z'), 'America/Los_Angeles');
    expect(formatDay(winter.day)).toBe('2025-03-03');
    expect(winter.minutes).toBe(14 * 60 + 59);
    const summer = localClock(at('2025-07-01T21:59:00Z'), 'America/Los_Angeles');
    expect(summer.minutes).toBe(14 * 60 + 59);
  });

  it('changes date at local midnight, not UTC midnight', () => {
    const lateEvening = localClock(at('2025-03-04T03:30:00Z'), 'America/New_York');
    expect(formatDay(lateEvening.day)).toBe('2025-03-03');
    expect(lateEvening.minutes).toBe(22 * 60 + 30);
    expect(localClock(at('2025-03-04T00:00:00Z'), 'Asia/Tokyo').minutes).toBe(9 * 60);
  });

  it('falls back to UTC, flagged, for an unknown time zone', () => {
    const clock = localClock(at('2025-03-03T10:15:00Z'), 'Mars/Olympus');
    expect(clock).toMatchObject({ known: false, minutes: 615 });
    expect(formatDay(clock.day)).toBe('2025-03-03');
  });

  it('reads each time zone once per decision', () => {
    const read = clockReader(at('2025-03-03T10:15:00Z'));
    expect(read('Europe/Paris')).toBe(read('Europe/Paris'));
  });
});

describe('cut-off', () => {
  it('parses HH:MM and refuses anything else', () => {
    expect(cutoffMinutes('00:00')).toBe(0);
    expect(cutoffMinutes('15:00')).toBe(900);
    expect(() => cutoffMinutes('3pm')).toThrow();
    expect(() => cutoffMinutes('24:00')).toThrow();
  });

  it('is past from the cut-off minute on, in local time (Los Angeles, 15:00)', () => {
    const before = localClock(at('2025-03-03T22:59:00Z'), 'America/Los_Angeles'); // 14:59 PST
    const after = localClock(at('2025-03-03T23:01:00Z'), 'America/Los_Angeles'); // 15:01 PST
    const exactly = localClock(at('2025-03-03T23:00:00Z'), 'America/Los_Angeles');
    expect(isPastCutoff(before, '15:00')).toBe(false);
    expect(isPastCutoff(after, '15:00')).toBe(true);
    expect(isPastCutoff(exactly, '15:00')).toBe(true);
    expect(isPastCutoff(after, null)).toBe(false);
  });
});

describe('delivery promise', () => {
  const la = (iso: string) => localClock(at(iso), 'America/Los_Angeles');

  it('departs today before the cut-off and tomorrow after it, then adds transit days', () => {
    const placed = la('2025-03-03T18:00:00Z');
    const early = promiseDelivery({
      now: la('2025-03-03T22:59:00Z'),
      placed,
      cutoffTime: '15:00',
      transitDays: 2,
      slaDays: 2,
    });
    expect(early).toMatchObject({ pastCutoff: false, promisedDate: '2025-03-05', daysLate: 0 });
    const late = promiseDelivery({
      now: la('2025-03-03T23:01:00Z'),
      placed,
      cutoffTime: '15:00',
      transitDays: 2,
      slaDays: 2,
    });
    expect(late).toMatchObject({ pastCutoff: true, promisedDate: '2025-03-06', daysLate: 1 });
    expect(formatDay(late.departureDay)).toBe('2025-03-04');
  });

  it('counts lateness from the placement date, so a re-route days later is late', () => {
    const promise = promiseDelivery({
      now: la('2025-03-07T17:00:00Z'),
      placed: la('2025-03-03T17:00:00Z'),
      cutoffTime: null,
      transitDays: 3,
      slaDays: 5,
    });
    expect(promise).toMatchObject({ promisedDate: '2025-03-10', daysLate: 2 });
  });

  it('uses the channel SLA when set, the default otherwise, and transit by distance band', () => {
    const r = rules({ slaDays: { default: 5, byChannel: { b2b: 10 } } });
    expect(slaDaysFor(r, 'b2b')).toBe(10);
    expect(slaDaysFor(r, 'web')).toBe(5);
    expect(slaDaysFor(r, 'constructor')).toBe(5);
    expect(transitDaysFor(r, 0)).toBe(1);
    expect(transitDaysFor(r, 481)).toBe(3);
    expect(transitDaysFor(r, 9000)).toBe(5);
  });
});
