import type { TrackingStatus } from '../statuses.ts';
import {
  contentKey,
  ignored,
  invalid,
  isoInstant,
  isRecord,
  joinLocation,
  readHistory,
  text,
  uniqueEvents,
  withCurrentStatus,
  type EntryResult,
  type ParseOutcome,
  type ParsedEvent,
} from './types.ts';

/**
 * AfterShip delivery statuses (tags) → Consign. `null`: nothing known yet (skipped).
 *
 * | AfterShip tag       | Consign          | why                                                        |
 * | ------------------- | ---------------- | ---------------------------------------------------------- |
 * | Pending             | (skipped)        | added, no tracking information yet                         |
 * | InfoReceived        | pre_transit      | the carrier has the label, not the parcel                  |
 * | InTransit           | in_transit       |                                                            |
 * | OutForDelivery      | out_for_delivery |                                                            |
 * | AvailableForPickup  | out_for_delivery | waiting at a pickup point for the customer                 |
 * | AttemptFail         | exception        | a failed attempt: the customer has to act                  |
 * | Delivered           | delivered        |                                                            |
 * | Exception           | exception        | except the return subtags, below                           |
 * | Expired             | exception        | no news for 30 days: someone should look                   |
 */
export const aftershipTagMap: Readonly<Record<string, TrackingStatus | null>> = {
  Pending: null,
  InfoReceived: 'pre_transit',
  InTransit: 'in_transit',
  OutForDelivery: 'out_for_delivery',
  AvailableForPickup: 'out_for_delivery',
  AttemptFail: 'exception',
  Delivered: 'delivered',
  Exception: 'exception',
  Expired: 'exception',
};

/** Subtags that say more than their tag: Exception_010 "Returning to sender", Exception_011 "Returned to sender". */
export const aftershipSubtagMap: Readonly<Record<string, TrackingStatus>> = {
  Exception_010: 'returned_to_sender',
  Exception_011: 'returned_to_sender',
};

function normaliseAftership(tag: string | null, subtag: string | null): TrackingStatus | { skip: string } {
  if (subtag && Object.hasOwn(aftershipSubtagMap, subtag)) return aftershipSubtagMap[subtag]!;
  if (tag === null) return { skip: 'no tag' };
  if (!Object.hasOwn(aftershipTagMap, tag)) return { skip: `unmapped tag "${tag}"` };
  return aftershipTagMap[tag] ?? { skip: `tag "${tag}" carries no tracking information` };
}

function locationOf(checkpoint: Record<string, unknown>): string | null {
  return (
    text(checkpoint.location) ??
    joinLocation([
      checkpoint.city,
      checkpoint.state,
      checkpoint.zip,
      checkpoint.country_iso3 ?? checkpoint.country_name,
    ])
  );
}

/** One checkpoint. AfterShip gives checkpoints no identity, so the key is a content hash. */
function readCheckpoint(checkpoint: Record<string, unknown>): EntryResult {
  const tag = text(checkpoint.tag);
  const subtag = text(checkpoint.subtag);
  const status = normaliseAftership(tag, subtag);
  if (typeof status !== 'string') return status;
  const occurredAt = isoInstant(checkpoint.checkpoint_time);
  if (!occurredAt) return { skip: 'no valid checkpoint_time' };
  const rawStatus = subtag ?? tag!;
  const description = text(checkpoint.message) ?? text(checkpoint.subtag_message);
  return {
    dedupeKey: contentKey(rawStatus, occurredAt, description),
    status,
    rawStatus,
    description,
    location: locationOf(checkpoint),
    occurredAt,
    raw: checkpoint,
  };
}

/** The tracking's own tag as an event, when no checkpoint shows it (Expired, a delivery without a scan). */
function currentStatus(tracking: Record<string, unknown>): ParsedEvent | null {
  const tag = text(tracking.tag);
  const subtag = text(tracking.subtag);
  const status = normaliseAftership(tag, subtag);
  const delivered = status === 'delivered' ? isoInstant(tracking.shipment_delivery_date) : null;
  const occurredAt = delivered ?? isoInstant(tracking.last_updated_at) ?? isoInstant(tracking.updated_at);
  if (typeof status !== 'string' || !occurredAt) return null;
  const rawStatus = subtag ?? tag!;
  const description = text(tracking.subtag_message);
  return {
    dedupeKey: contentKey(rawStatus, occurredAt, description),
    status,
    rawStatus,
    description,
    location: null,
    occurredAt,
    raw: { tag, subtag, subtag_message: tracking.subtag_message, at: occurredAt },
  };
}

/** An AfterShip tracking object: the `msg` of a `tracking_update` webhook. */
function parseTracking(tracking: Record<string, unknown>, pointer = ''): ParseOutcome {
  const trackingNumber = text(tracking.tracking_number);
  if (!trackingNumber) return invalid(`${pointer}/tracking_number`, 'The tracking has no tracking_number.');
  const history = readHistory(tracking.checkpoints, `${pointer}/checkpoints`, readCheckpoint);
  if ('invalid' in history) return history.invalid;
  return {
    kind: 'tracking',
    update: {
      trackingNumber,
      carrier: text(tracking.slug),
      events: uniqueEvents(withCurrentStatus(history.events, currentStatus(tracking))),
      skipped: history.skipped,
    },
  };
}

/** An AfterShip webhook body: `{ event: "tracking_update", msg: Tracking }`; other events are ignored. */
export function parse(body: unknown): ParseOutcome {
  if (!isRecord(body)) return invalid('', 'The body must be an AfterShip webhook object.');
  const event = text(body.event);
  if (!event) return invalid('/event', 'An AfterShip webhook names its event.');
  if (event !== 'tracking_update') return ignored(`AfterShip event "${event}" is not about tracking.`);
  if (!isRecord(body.msg)) return invalid('/msg', 'A tracking_update webhook carries the tracking in msg.');
  return parseTracking(body.msg, '/msg');
}
