import { sql, type SQL } from 'drizzle-orm';
import { bandFor } from './rates.ts';
import type { RoutingRules } from './rules.ts';

const MS_PER_DAY = 86_400_000;

/** A wall-clock reading in one time zone: a day number (days since 1970-01-01) and minutes since midnight. */
export interface LocalClock {
  day: number;
  minutes: number;
  timeZone: string;
  /** false when the time zone is unknown and UTC was used instead. */
  known: boolean;
}

// Building an Intl.DateTimeFormat is slow and formatting with one is not cheap either: keep one
// formatter per time zone, and remember UTC offsets per quarter hour (offsets and their
// transitions fall on quarter hours, so an offset read once holds for the whole quarter hour).
const formatters = new Map<string, Intl.DateTimeFormat | null>();
/** Offset by time zone, then quarter-hour number (no key string to build per reading). */
const offsets = new Map<string, Map<number, number>>();
let cachedOffsets = 0;
const MAX_CACHED_OFFSETS = 50_000;
const QUARTER_HOUR_MS = 900_000;

function formatterFor(timeZone: string): Intl.DateTimeFormat | null {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
      });
    } catch {
      formatter = null;
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Local wall time minus UTC, in minutes, at `instantMs` (whole minutes: every zone in use is). */
function offsetMinutes(formatter: Intl.DateTimeFormat, instantMs: number): number {
  const fields: Record<string, number> = {};
  for (const part of formatter.formatToParts(instantMs)) fields[part.type] = Number(part.value);
  const wall = Date.UTC(fields.year!, fields.month! - 1, fields.day!, fields.hour!, fields.minute!);
  return Math.round((wall - (instantMs - (instantMs % 60_000))) / 60_000);
}

function cachedOffset(formatter: Intl.DateTimeFormat, timeZone: string, instantMs: number): number {
  const quarter = Math.floor(instantMs / QUARTER_HOUR_MS);
  let byQuarter = offsets.get(timeZone);
  let offset = byQuarter?.get(quarter);
  if (offset === undefined) {
    offset = offsetMinutes(formatter, quarter * QUARTER_HOUR_MS);
    if (cachedOffsets >= MAX_CACHED_OFFSETS) {
      offsets.clear();
      cachedOffsets = 0;
      byQuarter = undefined;
    }
    if (byQuarter === undefined) {
      byQuarter = new Map();
      offsets.set(timeZone, byQuarter);
    }
    byQuarter.set(quarter, offset);
    cachedOffsets += 1;
  }
  return offset;
}

/** The local date and time at `instantMs` in `timeZone` (UTC, flagged, when the zone is unknown). */
export function localClock(instantMs: number, timeZone: string): LocalClock {
  const formatter = formatterFor(timeZone);
  const offset = formatter === null ? 0 : cachedOffset(formatter, timeZone, instantMs);
  const localMs = instantMs + offset * 60_000;
  const day = Math.floor(localMs / MS_PER_DAY);
  return { day, minutes: Math.floor((localMs - day * MS_PER_DAY) / 60_000), timeZone, known: formatter !== null };
}

/** Reads every time zone at most once per decision. */
export function clockReader(instantMs: number): (timeZone: string) => LocalClock {
  const clocks = new Map<string, LocalClock>();
  return (timeZone) => {
    let clock = clocks.get(timeZone);
    if (clock === undefined) {
      clock = localClock(instantMs, timeZone);
      clocks.set(timeZone, clock);
    }
    return clock;
  };
}

const cutoffs = new Map<string, number>();

/** 'HH:MM' → minutes since midnight. */
export function cutoffMinutes(cutoffTime: string): number {
  let minutes = cutoffs.get(cutoffTime);
  if (minutes === undefined) {
    const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(cutoffTime);
    if (match === null) throw new Error(`cut-off "${cutoffTime}" is not HH:MM`);
    minutes = Number(match[1]) * 60 + Number(match[2]);
    if (cutoffs.size < 1_440) cutoffs.set(cutoffTime, minutes);
  }
  return minutes;
}

/** At or after the cut-off, today's carrier has left. No cut-off: never past. */
export function isPastCutoff(clock: LocalClock, cutoffTime: string | null): boolean {
  return cutoffTime !== null && clock.minutes >= cutoffMinutes(cutoffTime);
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

const dayNames = new Map<number, string>();

/** Day number → 'YYYY-MM-DD' (remembered: a decision sees only a handful of days). */
export function formatDay(day: number): string {
  let name = dayNames.get(day);
  if (name === undefined) {
    name = civilDate(day);
    if (dayNames.size >= 10_000) dayNames.clear();
    dayNames.set(day, name);
  }
  return name;
}

/** Day number → 'YYYY-MM-DD' (proleptic Gregorian; arithmetic, no Date object). */
function civilDate(day: number): string {
  // Howard Hinnant's civil_from_days.
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}`;
}

/** Minutes since midnight → 'HH:MM'. */
export const formatMinutes = (minutes: number): string =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

export function slaDaysFor(rules: RoutingRules, channelId: string): number {
  const { byChannel } = rules.slaDays;
  return Object.hasOwn(byChannel, channelId) ? (byChannel[channelId] ?? rules.slaDays.default) : rules.slaDays.default;
}

/**
 * SQL for when an order's SLA runs out: its placement plus its channel's SLA days. `orders` is the
 * query's alias of the orders table.
 */
export function slaDueSql(rules: RoutingRules, orders: SQL = sql.raw('o')): SQL {
  const { byChannel, default: days } = rules.slaDays;
  return sql`(${orders}.placed_at + make_interval(days => coalesce((${JSON.stringify(byChannel)}::jsonb ->> ${orders}.channel_id)::int, ${days}::int)))`;
}

/** An open order whose SLA runs out within this long is at risk. */
export const AT_RISK_MS = 86_400_000;

export const transitDaysFor = (rules: RoutingRules, km: number): number => bandFor(rules.transitDays, km).days;

export interface DeliveryPromise {
  pastCutoff: boolean;
  transitDays: number;
  /** Day numbers (days since 1970-01-01, location-local). */
  departureDay: number;
  promisedDay: number;
  deadlineDay: number;
  promisedDate: string;
  daysLate: number;
}

interface PromiseInput {
  /** The decision time and the order's placement time, read in the location's time zone. */
  now: LocalClock;
  placed: LocalClock;
  cutoffTime: string | null;
  transitDays: number;
  slaDays: number;
}

/**
 * Promised date = next departure (today before the cut-off, tomorrow from it on) + transit days;
 * the deadline is the placement date + the channel's SLA days; lateness counts whole days past it.
 * Calendar days: no weekends or carrier holidays.
 */
export function promiseDelivery(input: PromiseInput): DeliveryPromise {
  const pastCutoff = isPastCutoff(input.now, input.cutoffTime);
  const departureDay = input.now.day + (pastCutoff ? 1 : 0);
  const promisedDay = departureDay + input.transitDays;
  const deadlineDay = input.placed.day + input.slaDays;
  return {
    pastCutoff,
    transitDays: input.transitDays,
    departureDay,
    promisedDay,
    deadlineDay,
    promisedDate: formatDay(promisedDay),
    daysLate: Math.max(0, promisedDay - deadlineDay),
  };
}

/**
 * The promises of one decision: candidates in the same time zone with the same cut-off and transit
 * days get the same promise, so it is built once per combination (a handful per decision) and
 * shared. The clocks are the decision's readers (clockReader).
 */
export function promiseReader(
  nowAt: (timeZone: string) => LocalClock,
  placedAt: (timeZone: string) => LocalClock,
  slaDays: number,
): (timeZone: string, cutoffTime: string | null, transitDays: number) => DeliveryPromise {
  const byZone = new Map<string, Map<string | null, DeliveryPromise[]>>();
  return (timeZone, cutoffTime, transitDays) => {
    let byCutoff = byZone.get(timeZone);
    if (byCutoff === undefined) {
      byCutoff = new Map();
      byZone.set(timeZone, byCutoff);
    }
    let byTransit = byCutoff.get(cutoffTime);
    if (byTransit === undefined) {
      byTransit = [];
      byCutoff.set(cutoffTime, byTransit);
    }
    // Transit days are small integers (validateRules); anything else is simply not shared.
    const shared = Number.isSafeInteger(transitDays) && transitDays >= 0 && transitDays < 64;
    let promise = shared ? byTransit[transitDays] : undefined;
    if (promise === undefined) {
      promise = promiseDelivery({ now: nowAt(timeZone), placed: placedAt(timeZone), cutoffTime, transitDays, slaDays });
      if (shared) byTransit[transitDays] = promise;
    }
    return promise;
  };
}
