import { describe, expect, it } from 'vitest';
import { parseRRule, rruleOccurrences } from './rrule.ts';
import { checkSchedule, intervalDate, occurrenceAfter, occurrencesBetween, type ScheduleInput } from './schedule.ts';

const utc = (iso: string) => new Date(iso);
const iso = (d: Date | null) => d?.toISOString().replace(':00.000Z', 'Z') ?? null;

function first(schedule: ScheduleInput, anchor: string, n: number): string[] {
  const dates: string[] = [];
  let after: Date | null = null;
  for (let i = 0; i < n; i++) {
    const next = occurrenceAfter(schedule, utc(anchor), after);
    if (!next) break;
    dates.push(iso(next)!);
    after = next;
  }
  return dates;
}

describe('fixed intervals', () => {
  it('months keep the anchor day and fall on the last day of shorter months', () => {
    expect(first({ every: 1, unit: 'month' }, '2026-01-31T09:00:00Z', 5)).toEqual([
      '2026-01-31T09:00Z',
      '2026-02-28T09:00Z',
      '2026-03-31T09:00Z',
      '2026-04-30T09:00Z',
      '2026-05-31T09:00Z',
    ]);
  });
  it('a leap year gives February 29th, and years roll over', () => {
    expect(first({ every: 1, unit: 'month' }, '2027-12-30T00:00:00Z', 3)).toEqual([
      '2027-12-30T00:00Z',
      '2028-01-30T00:00Z',
      '2028-02-29T00:00Z',
    ]);
    expect(iso(intervalDate(utc('2026-11-15T00:00:00Z'), 3, 'month', 2))).toBe('2027-05-15T00:00Z');
  });
  it('days and weeks are exact multiples (UTC has no DST)', () => {
    expect(first({ every: 2, unit: 'day' }, '2026-03-28T12:00:00Z', 3)).toEqual([
      '2026-03-28T12:00Z',
      '2026-03-30T12:00Z',
      '2026-04-01T12:00Z',
    ]);
    expect(first({ every: 1, unit: 'week' }, '2026-10-24T06:30:00Z', 2)).toEqual([
      '2026-10-24T06:30Z',
      '2026-10-31T06:30Z',
    ]);
  });
});

describe('RRULE subset', () => {
  const cases: [string, string, string, number, string[]][] = [
    [
      'daily every 3 days',
      'FREQ=DAILY;INTERVAL=3',
      '2026-02-26T08:00:00Z',
      3,
      ['2026-02-26T08:00Z', '2026-03-01T08:00Z', '2026-03-04T08:00Z'],
    ],
    [
      'daily on weekdays only',
      'FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR',
      '2026-11-27T08:00:00Z',
      3,
      ['2026-11-27T08:00Z', '2026-11-30T08:00Z', '2026-12-01T08:00Z'],
    ],
    [
      'weekly on Monday and Thursday',
      'FREQ=WEEKLY;BYDAY=TH,MO',
      '2026-11-25T10:00:00Z',
      4,
      ['2026-11-26T10:00Z', '2026-11-30T10:00Z', '2026-12-03T10:00Z', '2026-12-07T10:00Z'],
    ],
    [
      'every other week, DTSTART weekday',
      'FREQ=WEEKLY;INTERVAL=2',
      '2026-11-27T10:00:00Z',
      3,
      ['2026-11-27T10:00Z', '2026-12-11T10:00Z', '2026-12-25T10:00Z'],
    ],
    [
      'monthly on the 31st skips short months',
      'FREQ=MONTHLY',
      '2026-01-31T00:00:00Z',
      3,
      ['2026-01-31T00:00Z', '2026-03-31T00:00Z', '2026-05-31T00:00Z'],
    ],
    [
      'monthly on the last day',
      'FREQ=MONTHLY;BYMONTHDAY=-1',
      '2026-01-15T00:00:00Z',
      3,
      ['2026-01-31T00:00Z', '2026-02-28T00:00Z', '2026-03-31T00:00Z'],
    ],
    [
      'monthly on the 1st and 15th',
      'FREQ=MONTHLY;BYMONTHDAY=15,1',
      '2026-01-10T00:00:00Z',
      3,
      ['2026-01-15T00:00Z', '2026-02-01T00:00Z', '2026-02-15T00:00Z'],
    ],
    [
      'first Monday of every month',
      'FREQ=MONTHLY;BYDAY=1MO',
      '2026-01-01T09:00:00Z',
      3,
      ['2026-01-05T09:00Z', '2026-02-02T09:00Z', '2026-03-02T09:00Z'],
    ],
    [
      'last Friday, every 2 months',
      'FREQ=MONTHLY;INTERVAL=2;BYDAY=-1FR',
      '2026-01-01T09:00:00Z',
      2,
      ['2026-01-30T09:00Z', '2026-03-27T09:00Z'],
    ],
    [
      'Friday the 13th',
      'FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13',
      '2026-01-01T00:00:00Z',
      2,
      ['2026-02-13T00:00Z', '2026-03-13T00:00Z'],
    ],
    ['COUNT ends it', 'FREQ=DAILY;COUNT=2', '2026-01-01T00:00:00Z', 5, ['2026-01-01T00:00Z', '2026-01-02T00:00Z']],
    [
      'UNTIL is inclusive',
      'FREQ=WEEKLY;UNTIL=20260115T000000Z',
      '2026-01-01T00:00:00Z',
      5,
      ['2026-01-01T00:00Z', '2026-01-08T00:00Z', '2026-01-15T00:00Z'],
    ],
    [
      'UNTIL as a date covers that day',
      'RRULE:FREQ=DAILY;UNTIL=20260102',
      '2026-01-01T23:00:00Z',
      5,
      ['2026-01-01T23:00Z', '2026-01-02T23:00Z'],
    ],
  ];
  for (const [name, rule, anchor, n, expected] of cases) {
    it(`${name}: ${rule}`, () => expect(first({ rrule: rule }, anchor, n)).toEqual(expected));
  }

  const invalid: [string, string][] = [
    ['FREQ=YEARLY', 'FREQ must be'],
    ['FREQ=DAILY;BYHOUR=3', 'BYHOUR is not supported'],
    ['FREQ=DAILY;INTERVAL=0', 'INTERVAL must be'],
    ['FREQ=DAILY;COUNT=2;UNTIL=20260101', 'exclude each other'],
    ['FREQ=WEEKLY;BYDAY=1MO', 'need FREQ=MONTHLY'],
    ['FREQ=MONTHLY;BYDAY=XX', 'not a weekday'],
    ['FREQ=MONTHLY;BYMONTHDAY=32', 'BYMONTHDAY values'],
    ['FREQ=WEEKLY;BYMONTHDAY=1', 'cannot be used with WEEKLY'],
    ['FREQ=DAILY;UNTIL=20260230', 'is not a date'],
    ['FREQ=DAILY;FREQ=WEEKLY', 'appears twice'],
    ['FREQ', 'is not NAME=VALUE'],
  ];
  for (const [rule, message] of invalid) {
    it(`rejects ${rule}`, () => {
      const parsed = parseRRule(rule);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.error).toContain(message);
    });
  }

  it('a rule with no date at all is rejected, not looped over forever', () => {
    const checked = checkSchedule({ rrule: 'FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=30' }, utc('2026-02-01T00:00:00Z'));
    expect(checked.ok).toBe(false);
  });
  it('DTSTART that does not match the rule is not an occurrence', () => {
    const rule = parseRRule('FREQ=WEEKLY;BYDAY=MO');
    if (!rule.ok) throw new Error(rule.error);
    const dates = [...rruleOccurrences({ ...rule.value, count: 1 }, utc('2026-11-27T00:00:00Z'))];
    expect(dates.map(iso)).toEqual(['2026-11-30T00:00Z']);
  });
});

describe('occurrencesBetween', () => {
  it('lists the dates after one date up to another, bounded', () => {
    const schedule = { every: 1, unit: 'day' } as const;
    const anchor = utc('2026-01-01T00:00:00Z');
    const dates = occurrencesBetween(schedule, anchor, anchor, utc('2026-01-05T00:00:00Z'), 10);
    expect(dates.map(iso)).toEqual([
      '2026-01-02T00:00Z',
      '2026-01-03T00:00Z',
      '2026-01-04T00:00Z',
      '2026-01-05T00:00Z',
    ]);
    expect(occurrencesBetween(schedule, anchor, anchor, utc('2026-01-05T00:00:00Z'), 2)).toHaveLength(2);
  });
});
