import type { TrackingStatus } from '../statuses.ts';
import {
  contentKey,
  identityKey,
  ignored,
  invalid,
  isoInstant,
  isRecord,
  joinLocation,
  mapStatus,
  readHistory,
  text,
  uniqueEvents,
  type EntryResult,
  type ParseOutcome,
} from './types.ts';

/**
 * Shippo track statuses → Consign. `null`: no information yet (the event is skipped).
 *
 * | Shippo       | Consign            | why                                                     |
 * | ------------ | ------------------ | ------------------------------------------------------- |
 * | PRE_TRANSIT  | pre_transit        |                                                         |
 * | TRANSIT      | in_transit         | refined by substatus, below                             |
 * | DELIVERED    | delivered          |                                                         |
 * | RETURNED     | returned_to_sender | being returned or returned: it will not reach the buyer |
 * | FAILURE      | exception          | undeliverable, lost, disposed                           |
 * | UNKNOWN      | (skipped)          | no information from the carrier                         |
 */
export const shippoStatusMap: Readonly<Record<string, TrackingStatus | null>> = {
  PRE_TRANSIT: 'pre_transit',
  TRANSIT: 'in_transit',
  DELIVERED: 'delivered',
  RETURNED: 'returned_to_sender',
  FAILURE: 'exception',
  UNKNOWN: null,
};

/**
 * Substatus codes that refine TRANSIT (Shippo files them all under TRANSIT). Codes not listed
 * here (package_accepted, package_arrived, package_departed, package_processing,
 * package_processed, package_forwarded, delayed, delivery_scheduled, delivery_rescheduled,
 * reschedule_delivery) stay in_transit. Other statuses are not refined: their top level wins.
 *
 * | substatus             | Consign          | why                                          |
 * | --------------------- | ---------------- | -------------------------------------------- |
 * | out_for_delivery      | out_for_delivery |                                              |
 * | pickup_available      | out_for_delivery | waiting at a pickup point for the customer   |
 * | delivery_attempted    | exception        | a failed attempt: the customer has to act    |
 * | notice_left           | exception        | a failed attempt with a notice               |
 * | address_issue         | exception        |                                              |
 * | contact_carrier       | exception        |                                              |
 * | location_inaccessible | exception        |                                              |
 * | package_held          | exception        | customs or carrier hold                      |
 * | package_damaged       | exception        |                                              |
 */
export const shippoTransitSubstatusMap: Readonly<Record<string, TrackingStatus>> = {
  out_for_delivery: 'out_for_delivery',
  pickup_available: 'out_for_delivery',
  delivery_attempted: 'exception',
  notice_left: 'exception',
  address_issue: 'exception',
  contact_carrier: 'exception',
  location_inaccessible: 'exception',
  package_held: 'exception',
  package_damaged: 'exception',
};

function substatusOf(entry: Record<string, unknown>): string | null {
  return isRecord(entry.substatus) ? text(entry.substatus.code) : null;
}

/** The normalised status of a Shippo status entry, with its substatus taken into account. */
function normaliseShippo(status: string | null, substatus: string | null): TrackingStatus | { skip: string } {
  const mapped = mapStatus(shippoStatusMap, status);
  if (mapped === 'in_transit' && substatus && Object.hasOwn(shippoTransitSubstatusMap, substatus)) {
    return shippoTransitSubstatusMap[substatus]!;
  }
  return mapped;
}

/** One TrackingStatus object (the current one or a history entry); its `object_id` is its identity. */
function readStatus(entry: Record<string, unknown>): EntryResult {
  const raw = text(entry.status);
  const substatus = substatusOf(entry);
  const status = normaliseShippo(raw, substatus);
  if (typeof status !== 'string') return status;
  const occurredAt = isoInstant(entry.status_date) ?? isoInstant(entry.object_created);
  if (!occurredAt) return { skip: 'no valid status_date' };
  const rawStatus = substatus ? `${raw}/${substatus}` : raw!;
  const description = text(entry.status_details);
  const objectId = text(entry.object_id);
  return {
    dedupeKey: objectId ? identityKey(objectId) : contentKey(rawStatus, occurredAt, description),
    status,
    rawStatus,
    description,
    location: isRecord(entry.location)
      ? joinLocation([entry.location.city, entry.location.state, entry.location.zip, entry.location.country])
      : null,
    occurredAt,
    raw: entry,
  };
}

/** A Shippo `Track` object: the `data` of a `track_updated` webhook, or an API response. */
function parseTrack(track: Record<string, unknown>, pointer = ''): ParseOutcome {
  const trackingNumber = text(track.tracking_number);
  if (!trackingNumber) return invalid(`${pointer}/tracking_number`, 'The track has no tracking_number.');
  const history = readHistory(track.tracking_history, `${pointer}/tracking_history`, readStatus);
  if ('invalid' in history) return history.invalid;
  const current = isRecord(track.tracking_status) ? readStatus(track.tracking_status) : null;
  const events = current && !('skip' in current) ? [...history.events, current] : history.events;
  return {
    kind: 'tracking',
    update: { trackingNumber, carrier: text(track.carrier), events: uniqueEvents(events), skipped: history.skipped },
  };
}

/** A Shippo webhook body: `{ event: "track_updated", data: Track }`; other events are ignored. */
export function parse(body: unknown): ParseOutcome {
  if (!isRecord(body)) return invalid('', 'The body must be a Shippo webhook object.');
  if (body.event === undefined && 'tracking_status' in body) return parseTrack(body);
  const event = text(body.event);
  if (!event) return invalid('/event', 'A Shippo webhook names its event.');
  if (event !== 'track_updated') return ignored(`Shippo event "${event}" is not about tracking.`);
  if (!isRecord(body.data)) return invalid('/data', 'A track_updated webhook carries the track in data.');
  return parseTrack(body.data, '/data');
}
