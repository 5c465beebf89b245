import type { TrackingStatus } from '../statuses.ts';
import {
  contentKey,
  ignored,
  invalid,
  isoInstant,
  isRecord,
  joinLocation,
  mapStatus,
  readHistory,
  text,
  uniqueEvents,
  withCurrentStatus,
  type EntryResult,
  type ParseOutcome,
  type ParsedEvent,
} from './types.ts';

/**
 * EasyPost tracker statuses → Consign. `null`: the status says nothing yet (the event is skipped).
 *
 * | EasyPost               | Consign              | why                                                   |
 * | ---------------------- | -------------------- | ----------------------------------------------------- |
 * | pre_transit            | pre_transit          |                                                       |
 * | in_transit             | in_transit           |                                                       |
 * | out_for_delivery       | out_for_delivery     |                                                       |
 * | available_for_pickup   | out_for_delivery     | at a pickup point, waiting for the customer           |
 * | delivered              | delivered            |                                                       |
 * | return_to_sender       | returned_to_sender   | on its way back: it will not reach the customer       |
 * | failure                | exception            | delivery failed: someone has to act                   |
 * | error                  | exception            | the carrier reports an error for the tracker          |
 * | cancelled              | exception            | the label/tracker was cancelled after we shipped      |
 * | unknown                | (skipped)            | no information from the carrier yet                   |
 */
export const easypostStatusMap: Readonly<Record<string, TrackingStatus | null>> = {
  pre_transit: 'pre_transit',
  in_transit: 'in_transit',
  out_for_delivery: 'out_for_delivery',
  available_for_pickup: 'out_for_delivery',
  delivered: 'delivered',
  return_to_sender: 'returned_to_sender',
  failure: 'exception',
  error: 'exception',
  cancelled: 'exception',
  unknown: null,
};

function rawStatusOf(entry: Record<string, unknown>): string | null {
  const status = text(entry.status);
  const detail = text(entry.status_detail);
  return status && detail ? `${status}/${detail}` : status;
}

function locationOf(value: unknown): string | null {
  return isRecord(value) ? joinLocation([value.city, value.state, value.zip, value.country]) : null;
}

/** One `TrackingDetail`. EasyPost gives details no identity, so the key is a content hash. */
function readDetail(entry: Record<string, unknown>): EntryResult {
  const status = mapStatus(easypostStatusMap, text(entry.status));
  if (typeof status !== 'string') return status;
  const occurredAt = isoInstant(entry.datetime);
  if (!occurredAt) return { skip: 'no valid datetime' };
  const rawStatus = rawStatusOf(entry)!;
  const description = text(entry.message) ?? text(entry.description);
  return {
    dedupeKey: contentKey(rawStatus, occurredAt, description),
    status,
    rawStatus,
    description,
    location: locationOf(entry.tracking_location),
    occurredAt,
    raw: entry,
  };
}

/** The tracker's own status as an event, for trackers whose history does not show it yet. */
function currentStatus(tracker: Record<string, unknown>): ParsedEvent | null {
  const status = mapStatus(easypostStatusMap, text(tracker.status));
  const occurredAt = isoInstant(tracker.updated_at);
  if (typeof status !== 'string' || !occurredAt) return null;
  const rawStatus = rawStatusOf(tracker)!;
  return {
    dedupeKey: contentKey(rawStatus, occurredAt, null),
    status,
    rawStatus,
    description: null,
    location: null,
    occurredAt,
    raw: { status: tracker.status, status_detail: tracker.status_detail, updated_at: tracker.updated_at },
  };
}

/** A `Tracker` object: the `result` of a tracker webhook, or an API response. */
export function parseTracker(tracker: Record<string, unknown>, pointer = ''): ParseOutcome {
  const trackingNumber = text(tracker.tracking_code);
  if (!trackingNumber) return invalid(`${pointer}/tracking_code`, 'The tracker has no tracking_code.');
  const history = readHistory(tracker.tracking_details, `${pointer}/tracking_details`, readDetail);
  if ('invalid' in history) return history.invalid;
  return {
    kind: 'tracking',
    update: {
      trackingNumber,
      carrier: text(tracker.carrier),
      events: uniqueEvents(withCurrentStatus(history.events, currentStatus(tracker))),
      skipped: history.skipped,
    },
  };
}

/**
 * An EasyPost webhook body: an `Event` whose `result` is a `Tracker` (`tracker.created`,
 * `tracker.updated`). Other events (batches, shipments, refunds) are acknowledged and ignored.
 */
export function parse(body: unknown): ParseOutcome {
  if (!isRecord(body)) return invalid('', 'The body must be an EasyPost Event object.');
  if (body.object === 'Tracker') return parseTracker(body);
  if (body.object !== 'Event') return invalid('/object', 'Expected an EasyPost Event ("object": "Event").');
  const description = text(body.description) ?? '';
  if (!description.startsWith('tracker.')) return ignored(`EasyPost event "${description}" is not about tracking.`);
  if (!isRecord(body.result)) return ignored(`EasyPost event "${description}" carries no tracker.`);
  if (body.result.object !== 'Tracker') return invalid('/result/object', 'A tracker event must carry a Tracker.');
  return parseTracker(body.result, '/result');
}
