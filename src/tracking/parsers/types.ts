import { createHash } from 'node:crypto';
import type { TrackingStatus } from '../statuses.ts';

/** Where tracking events come from; part of their identity (`tracking_events.source`). */
export type TrackingSource = 'easypost' | 'shippo' | 'aftership' | 'api';
export const carrierSources = ['easypost', 'shippo', 'aftership'] as const;
export type CarrierSource = (typeof carrierSources)[number];

export interface ParsedEvent {
  /** The service's identity for the event, or a hash of (raw status, time, description). */
  dedupeKey: string;
  status: TrackingStatus;
  /** The service's own words for the status (`in_transit/arrived_at_facility`, `TRANSIT/delayed`, `Exception_011`). */
  rawStatus: string;
  description: string | null;
  location: string | null;
  /** ISO 8601, UTC. */
  occurredAt: string;
  /** The service's event object as received, kept for support and replays. */
  raw: unknown;
}

interface SkippedEvent {
  index: number;
  reason: string;
}

export interface CarrierUpdate {
  trackingNumber: string;
  /** The carrier as the service names it (`USPS`, `usps`, `FedEx`), when it says. */
  carrier: string | null;
  events: ParsedEvent[];
  /** History entries that carried nothing usable (no time, or a status meaning "no information yet"). */
  skipped: SkippedEvent[];
}

/**
 * What a parser makes of a body: a tracking update; a valid message that is not about tracking
 * (a batch webhook, a tracker-created event with no tracker) which is acknowledged and ignored;
 * or a body that is not what the service sends.
 */
export type ParseOutcome =
  | { kind: 'tracking'; update: CarrierUpdate }
  | { kind: 'ignored'; reason: string }
  | { kind: 'invalid'; pointer: string; detail: string };

/** More history than any real parcel has: the bound on one message's events. */
const MAX_EVENTS_PER_MESSAGE = 1000;
const MAX_KEY_LENGTH = 200;

export const invalid = (pointer: string, detail: string): ParseOutcome => ({ kind: 'invalid', pointer, detail });
export const ignored = (reason: string): ParseOutcome => ({ kind: 'ignored', reason });

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A non-empty trimmed string, or null. */
export function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/**
 * An ISO 8601 instant from a service's time stamp. Stamps without an offset (AfterShip's
 * `checkpoint_time` is the checkpoint's local time when the carrier gives no zone) are read as
 * UTC: the order of events from one place is kept, and the raw stamp stays in `raw`.
 */
export function isoInstant(value: unknown): string | null {
  const stamp = text(value)?.replace(' ', 'T');
  if (!stamp || !/^\d{4}-\d{2}-\d{2}/.test(stamp)) return null;
  const withTime = stamp.includes('T') ? stamp : `${stamp}T00:00:00`;
  const hasZone = /T.*(?:Z|[+-]\d{2}:?\d{2})$/i.test(withTime);
  const ms = Date.parse(hasZone ? withTime : `${withTime}Z`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** "City, State, Zip, Country" from whichever parts are present; null when none are. */
export function joinLocation(parts: unknown[]): string | null {
  const present = parts.map(text).filter((p): p is string => p !== null);
  return present.length > 0 ? present.join(', ') : null;
}

/** The fallback identity for an event that has none of its own. */
export function contentKey(rawStatus: string, occurredAt: string, description: string | null): string {
  return `h:${createHash('sha256')
    .update(`${rawStatus}\n${occurredAt}\n${description ?? ''}`)
    .digest('hex')}`;
}

/** A service's own event identity, kept short enough to index. */
export function identityKey(id: string): string {
  return id.length <= MAX_KEY_LENGTH ? id : `h:${createHash('sha256').update(id).digest('hex')}`;
}

/**
 * Adds the service's current status as an event when no history entry carries it (a tracker
 * with an empty history, an AfterShip tracking that has expired), so the update is not lost.
 */
export function withCurrentStatus(events: ParsedEvent[], current: ParsedEvent | null): ParsedEvent[] {
  if (!current || events.some((e) => e.status === current.status)) return events;
  return [...events, current];
}

/** Drops repeats inside one message (the same event quoted twice) by identity and by content. */
export function uniqueEvents(events: ParsedEvent[]): ParsedEvent[] {
  const keys = new Set<string>();
  const out: ParsedEvent[] = [];
  for (const event of events) {
    const content = contentKey(event.rawStatus, event.occurredAt, event.description);
    if (keys.has(event.dedupeKey) || keys.has(content)) continue;
    keys.add(event.dedupeKey);
    keys.add(content);
    out.push(event);
  }
  return out;
}

/** One history entry read: an event, or why it was skipped. */
export type EntryResult = ParsedEvent | { skip: string };

/**
 * Reads a history array (absent = empty) entry by entry, within the bound. Entries that are not
 * objects, or that `read` cannot use, are skipped with their index and reason.
 */
export function readHistory(
  entries: unknown,
  pointer: string,
  read: (entry: Record<string, unknown>) => EntryResult,
): { events: ParsedEvent[]; skipped: SkippedEvent[] } | { invalid: ParseOutcome } {
  if (entries === undefined || entries === null) return { events: [], skipped: [] };
  if (!Array.isArray(entries)) return { invalid: invalid(pointer, `${pointer} must be an array.`) };
  if (entries.length > MAX_EVENTS_PER_MESSAGE) {
    return {
      invalid: invalid(
        pointer,
        `${pointer} has ${entries.length} entries; at most ${MAX_EVENTS_PER_MESSAGE} are read.`,
      ),
    };
  }
  const events: ParsedEvent[] = [];
  const skipped: SkippedEvent[] = [];
  entries.forEach((entry, index) => {
    const result: EntryResult = isRecord(entry) ? read(entry) : { skip: 'not an object' };
    if ('skip' in result) skipped.push({ index, reason: result.skip });
    else events.push(result);
  });
  return { events, skipped };
}

/** The normalised status for a raw one, or why there is none. */
export function mapStatus(
  table: Readonly<Record<string, TrackingStatus | null>>,
  raw: string | null,
): TrackingStatus | { skip: string } {
  if (raw === null) return { skip: 'no status' };
  if (!Object.hasOwn(table, raw)) return { skip: `unmapped status "${raw}"` };
  return table[raw] ?? { skip: `status "${raw}" carries no tracking information` };
}
