import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysInMonth, rruleOccurrences, type RRule } from './rrule.ts';
import { intervalDate } from './schedule.ts';

const DAY_MS = 86_400_000;
const anchors = fc
  .integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2032, 0, 1) })
  .map((ms) => new Date(Math.floor(ms / 60_000) * 60_000));
const weekdayOf = (d: Date) => (d.getUTCDay() + 6) % 7;
const monthDayMatches = (d: Date, days: number[]) => {
  const last = daysInMonth(d.getUTCFullYear(), d.getUTCMonth());
  return days.some((n) => (n > 0 ? n : last + n + 1) === d.getUTCDate());
};

const rules: fc.Arbitrary<RRule> = fc
  .record({
    freq: fc.constantFrom('DAILY' as const, 'WEEKLY' as const, 'MONTHLY' as const),
    interval: fc.integer({ min: 1, max: 4 }),
    weekdays: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { maxLength: 3 }),
    monthDays: fc.uniqueArray(
      fc.integer({ min: -31, max: 31 }).filter((n) => n !== 0),
      { maxLength: 3 },
    ),
    count: fc.integer({ min: 1, max: 25 }),
  })
  .map(({ freq, interval, weekdays, monthDays, count }) => ({
    freq,
    interval,
    byDay: weekdays.map((weekday) => ({ weekday })),
    byMonthDay: freq === 'WEEKLY' ? [] : monthDays,
    count,
  }));

describe('RRULE occurrences (properties)', () => {
  it('ascend from DTSTART, keep its time of day, match every BY part and stop at COUNT', () => {
    fc.assert(
      fc.property(rules, anchors, (rule, anchor) => {
        const dates = [...rruleOccurrences(rule, anchor)];
        expect(dates.length).toBeLessThanOrEqual(rule.count!);
        let previous = anchor.getTime() - 1;
        for (const date of dates) {
          expect(date.getTime()).toBeGreaterThan(previous);
          previous = date.getTime();
          expect(date.getTime() % DAY_MS).toBe(anchor.getTime() % DAY_MS);
          if (rule.byDay.length > 0) expect(rule.byDay.map((r) => r.weekday)).toContain(weekdayOf(date));
          if (rule.byMonthDay.length > 0) expect(monthDayMatches(date, rule.byMonthDay)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a plain DAILY or WEEKLY rule steps by exactly INTERVAL days or weeks', () => {
    fc.assert(
      fc.property(fc.constantFrom(1, 7), fc.integer({ min: 1, max: 9 }), anchors, (unitDays, interval, anchor) => {
        const rule: RRule = {
          freq: unitDays === 1 ? 'DAILY' : 'WEEKLY',
          interval,
          byDay: [],
          byMonthDay: [],
          count: 10,
        };
        const dates = [...rruleOccurrences(rule, anchor)];
        expect(dates).toHaveLength(10);
        dates.forEach((d, k) => expect(d.getTime()).toBe(anchor.getTime() + k * interval * unitDays * DAY_MS));
      }),
    );
  });
});

describe('fixed monthly intervals (properties)', () => {
  it("keep the anchor's day, or the month's last day when the month is shorter", () => {
    fc.assert(
      fc.property(anchors, fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 60 }), (anchor, every, k) => {
        const date = intervalDate(anchor, every, 'month', k);
        const months = anchor.getUTCFullYear() * 12 + anchor.getUTCMonth() + k * every;
        expect(date.getUTCFullYear() * 12 + date.getUTCMonth()).toBe(months);
        const last = daysInMonth(date.getUTCFullYear(), date.getUTCMonth());
        expect(date.getUTCDate()).toBe(Math.min(anchor.getUTCDate(), last));
        expect(date.getTime() % DAY_MS).toBe(anchor.getTime() % DAY_MS);
      }),
    );
  });
});
