/**
 * The subset of RFC 5545 recurrence rules Consign schedules subscriptions with: FREQ (DAILY,
 * WEEKLY, MONTHLY), INTERVAL, BYDAY (ordinals such as `1MO` or `-1FR` with MONTHLY only),
 * BYMONTHDAY (negative days count from the month's end), COUNT and UNTIL. Dates are UTC; every
 * occurrence keeps DTSTART's time of day. Pure: no clock, no I/O.
 */
type Frequency = 'DAILY' | 'WEEKLY' | 'MONTHLY';

interface WeekdayRule {
  /** 0 = Monday … 6 = Sunday (weeks start on Monday, RFC 5545's default WKST). */
  weekday: number;
  /** MONTHLY only: 1 = first, -1 = last such weekday of the month; absent = every one. */
  nth?: number;
}

export interface RRule {
  freq: Frequency;
  interval: number;
  byDay: WeekdayRule[];
  byMonthDay: number[];
  count?: number;
  until?: Date;
}

const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const DAY_MS = 86_400_000;
const MAX_COUNT = 100_000;

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

function parseWeekdays(value: string, freq: Frequency): Parsed<WeekdayRule[]> {
  const rules: WeekdayRule[] = [];
  for (const part of value.split(',')) {
    const match = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(part);
    if (!match) return { ok: false, error: `BYDAY value "${part}" is not a weekday such as MO or 1MO` };
    const nth = match[1] === undefined ? undefined : Number(match[1]);
    if (nth !== undefined && (nth === 0 || Math.abs(nth) > 5))
      return { ok: false, error: `BYDAY ordinal in "${part}" must be 1…5 or -1…-5` };
    if (nth !== undefined && freq !== 'MONTHLY')
      return { ok: false, error: `BYDAY ordinals such as "${part}" need FREQ=MONTHLY` };
    rules.push({ weekday: WEEKDAYS.indexOf(match[2]!), ...(nth === undefined ? {} : { nth }) });
  }
  return { ok: true, value: rules };
}

function parseMonthDays(value: string): Parsed<number[]> {
  const days = value.split(',').map(Number);
  const bad = days.find((d) => !Number.isInteger(d) || d === 0 || d < -31 || d > 31);
  if (bad !== undefined) return { ok: false, error: `BYMONTHDAY values must be 1…31 or -1…-31` };
  return { ok: true, value: days };
}

/** `20261231T000000Z` or `20261231` (the end of that UTC day). */
function parseUntil(value: string): Parsed<Date> {
  const match = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})Z)?$/.exec(value);
  if (!match) return { ok: false, error: `UNTIL must be a UTC date-time such as 20261231T235959Z` };
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  const until =
    match[4] === undefined
      ? new Date(Date.UTC(y!, mo! - 1, d!) + DAY_MS - 1)
      : new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
  if (until.getUTCMonth() !== mo! - 1 || until.getUTCDate() !== d!)
    return { ok: false, error: `UNTIL ${value} is not a date` };
  return { ok: true, value: until };
}

function positiveInt(name: string, value: string, max: number): Parsed<number> {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > max) return { ok: false, error: `${name} must be an integer 1…${max}` };
  return { ok: true, value: n };
}

/** Parses `FREQ=WEEKLY;BYDAY=MO,TH;COUNT=10` (an optional `RRULE:` prefix is accepted). */
export function parseRRule(text: string): Parsed<RRule> {
  const parts = new Map<string, string>();
  for (const part of text.replace(/^RRULE:/i, '').split(';')) {
    const [name, value, extra] = part.split('=');
    if (!name || value === undefined || value === '' || extra !== undefined)
      return { ok: false, error: `"${part}" is not NAME=VALUE` };
    if (parts.has(name.toUpperCase())) return { ok: false, error: `${name} appears twice` };
    parts.set(name.toUpperCase(), value.toUpperCase());
  }
  const unknown = [...parts.keys()].find(
    (k) => !['FREQ', 'INTERVAL', 'BYDAY', 'BYMONTHDAY', 'COUNT', 'UNTIL'].includes(k),
  );
  if (unknown)
    return { ok: false, error: `${unknown} is not supported (FREQ, INTERVAL, BYDAY, BYMONTHDAY, COUNT, UNTIL)` };
  const freq = parts.get('FREQ');
  if (freq !== 'DAILY' && freq !== 'WEEKLY' && freq !== 'MONTHLY')
    return { ok: false, error: 'FREQ must be DAILY, WEEKLY or MONTHLY' };
  if (parts.has('COUNT') && parts.has('UNTIL')) return { ok: false, error: 'COUNT and UNTIL exclude each other' };
  if (freq === 'WEEKLY' && parts.has('BYMONTHDAY'))
    return { ok: false, error: 'BYMONTHDAY cannot be used with WEEKLY' };
  const rule: RRule = { freq, interval: 1, byDay: [], byMonthDay: [] };
  const steps: [string, (v: string) => Parsed<unknown>, (v: never) => void][] = [
    ['INTERVAL', (v) => positiveInt('INTERVAL', v, 1000), (v: number) => (rule.interval = v)],
    ['COUNT', (v) => positiveInt('COUNT', v, MAX_COUNT), (v: number) => (rule.count = v)],
    ['BYDAY', (v) => parseWeekdays(v, freq), (v: WeekdayRule[]) => (rule.byDay = v)],
    ['BYMONTHDAY', parseMonthDays, (v: number[]) => (rule.byMonthDay = v)],
    ['UNTIL', parseUntil, (v: Date) => (rule.until = v)],
  ];
  for (const [name, parse, set] of steps) {
    const raw = parts.get(name);
    if (raw === undefined) continue;
    const parsed = parse(raw);
    if (!parsed.ok) return parsed;
    set(parsed.value as never);
  }
  return { ok: true, value: rule };
}

export const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
/** Monday = 0 … Sunday = 6. */
const weekdayOf = (ms: number) => (new Date(ms).getUTCDay() + 6) % 7;
const dayStart = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;

function matchesMonthDay(ms: number, byMonthDay: number[]): boolean {
  if (byMonthDay.length === 0) return true;
  const date = new Date(ms);
  const day = date.getUTCDate();
  const last = daysInMonth(date.getUTCFullYear(), date.getUTCMonth());
  return byMonthDay.some((d) => (d > 0 ? d === day : last + d + 1 === day));
}

/** Does the day match one BYDAY entry? An ordinal counts that weekday within the month. */
function matchesWeekday(ms: number, rule: WeekdayRule): boolean {
  if (weekdayOf(ms) !== rule.weekday) return false;
  if (rule.nth === undefined) return true;
  const date = new Date(ms);
  const day = date.getUTCDate();
  const last = daysInMonth(date.getUTCFullYear(), date.getUTCMonth());
  return rule.nth > 0 ? Math.ceil(day / 7) === rule.nth : Math.ceil((last - day + 1) / 7) === -rule.nth;
}

const matchesByDay = (ms: number, byDay: WeekdayRule[]) =>
  byDay.length === 0 || byDay.some((r) => matchesWeekday(ms, r));

/** The candidate days (midnight UTC, ascending) of the k-th period after DTSTART's. */
function periodDays(rule: RRule, start: number, k: number): number[] {
  const base = dayStart(start);
  if (rule.freq === 'DAILY') return [base + k * rule.interval * DAY_MS];
  if (rule.freq === 'WEEKLY') {
    const monday = base - weekdayOf(base) * DAY_MS + k * rule.interval * 7 * DAY_MS;
    const weekdays = rule.byDay.length > 0 ? rule.byDay.map((r) => r.weekday) : [weekdayOf(start)];
    return [...new Set(weekdays)].sort((a, b) => a - b).map((w) => monday + w * DAY_MS);
  }
  const first = new Date(start);
  const month = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + k * rule.interval, 1));
  const length = daysInMonth(month.getUTCFullYear(), month.getUTCMonth());
  const days = Array.from({ length }, (_, i) => month.getTime() + i * DAY_MS);
  if (rule.byMonthDay.length === 0 && rule.byDay.length === 0)
    return days.filter((d) => new Date(d).getUTCDate() === first.getUTCDate());
  return days;
}

/** How many periods may pass without an occurrence before the rule counts as empty. */
const MAX_EMPTY_PERIODS = 5_000;

/**
 * The occurrences of `rule` from `start` (DTSTART) on, ascending. DTSTART itself is the first
 * only when it matches the rule. Ends at COUNT, UNTIL, or after MAX_EMPTY_PERIODS periods in a
 * row without an occurrence (a rule like BYMONTHDAY=31 with INTERVAL=12 from February).
 */
export function* rruleOccurrences(rule: RRule, start: Date): Generator<Date> {
  const startMs = start.getTime();
  const timeOfDay = startMs - dayStart(startMs);
  let produced = 0;
  let empty = 0;
  for (let k = 0; empty < MAX_EMPTY_PERIODS; k++) {
    empty++;
    for (const day of periodDays(rule, startMs, k)) {
      const at = day + timeOfDay;
      if (at < startMs || !matchesByDay(day, rule.byDay) || !matchesMonthDay(day, rule.byMonthDay)) continue;
      if (rule.until && at > rule.until.getTime()) return;
      if (rule.count !== undefined && produced >= rule.count) return;
      produced++;
      empty = 0;
      yield new Date(at);
    }
  }
}
