import { daysInMonth, parseRRule, rruleOccurrences, type Parsed } from './rrule.ts';

/**
 * When a subscription's periods fall: a fixed interval or a recurrence rule, both anchored at
 * the subscription's first date (`starts_at`). Pure functions of (schedule, anchor).
 */
export type ScheduleInput = { every: number; unit: 'day' | 'week' | 'month' } | { rrule: string };

const DAY_MS = 86_400_000;

/**
 * The k-th (0-based) date of a fixed interval. Months keep the anchor's day of month and fall
 * on the month's last day when it is shorter (Jan 31 → Feb 28 → Mar 31): each date is counted
 * from the anchor, never from the previous date, so a short month does not shift later ones.
 */
export function intervalDate(anchor: Date, every: number, unit: 'day' | 'week' | 'month', k: number): Date {
  const ms = anchor.getTime();
  if (unit === 'day') return new Date(ms + k * every * DAY_MS);
  if (unit === 'week') return new Date(ms + k * every * 7 * DAY_MS);
  const months = anchor.getUTCMonth() + k * every;
  const year = anchor.getUTCFullYear() + Math.floor(months / 12);
  const month = ((months % 12) + 12) % 12;
  const day = Math.min(anchor.getUTCDate(), daysInMonth(year, month));
  const timeOfDay = ms - Date.UTC(anchor.getUTCFullYear(), anchor.getUTCMonth(), anchor.getUTCDate());
  return new Date(Date.UTC(year, month, day) + timeOfDay);
}

/** Bound on the dates one lookup walks through (a daily schedule for ~270 years). */
const MAX_STEPS = 100_000;

/** Every date of the schedule from the anchor on, ascending (bounded). */
function* occurrences(schedule: ScheduleInput, anchor: Date): Generator<Date> {
  if ('rrule' in schedule) {
    const rule = parseRRule(schedule.rrule);
    if (!rule.ok) throw new Error(`stored schedule does not parse: ${rule.error}`);
    let steps = 0;
    for (const date of rruleOccurrences(rule.value, anchor)) {
      if (++steps > MAX_STEPS) return;
      yield date;
    }
    return;
  }
  for (let k = 0; k < MAX_STEPS; k++) yield intervalDate(anchor, schedule.every, schedule.unit, k);
}

/** The first date strictly after `after` (the first date of all when `after` is null); null when the schedule has ended. */
export function occurrenceAfter(schedule: ScheduleInput, anchor: Date, after: Date | null): Date | null {
  for (const date of occurrences(schedule, anchor)) {
    if (after === null || date.getTime() > after.getTime()) return date;
  }
  return null;
}

/** The dates in (after, until], ascending, at most `limit` of them. */
export function occurrencesBetween(
  schedule: ScheduleInput,
  anchor: Date,
  after: Date,
  until: Date,
  limit: number,
): Date[] {
  const dates: Date[] = [];
  for (const date of occurrences(schedule, anchor)) {
    if (date.getTime() > until.getTime() || dates.length >= limit) break;
    if (date.getTime() > after.getTime()) dates.push(date);
  }
  return dates;
}

/** Checks a schedule a client sent: the rule parses and yields at least one date. */
export function checkSchedule(schedule: ScheduleInput, anchor: Date): Parsed<Date> {
  if ('rrule' in schedule) {
    const rule = parseRRule(schedule.rrule);
    if (!rule.ok) return rule;
  }
  const first = occurrenceAfter(schedule, anchor, null);
  return first ? { ok: true, value: first } : { ok: false, error: 'the schedule has no date on or after starts_at' };
}

/** The last date in (after, until], or null when there is none (bounded like every lookup). */
export function latestBetween(schedule: ScheduleInput, anchor: Date, after: Date, until: Date): Date | null {
  let latest: Date | null = null;
  for (const date of occurrences(schedule, anchor)) {
    if (date.getTime() > until.getTime()) break;
    if (date.getTime() > after.getTime()) latest = date;
  }
  return latest;
}
