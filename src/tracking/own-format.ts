import { contentKey, identityKey, type ParsedEvent } from './parsers/types.ts';
import type { TrackingStatus } from './statuses.ts';

interface OwnTrackingEvent {
  status: TrackingStatus;
  description?: string | undefined;
  location?: string | undefined;
  occurred_at: string;
  id?: string | undefined;
}

/**
 * Events posted in Consign's own format (already validated against the route's schema). The
 * sender's `id` is the event's identity; without one, the content is.
 */
export function ownEvents(body: { events: OwnTrackingEvent[] }): ParsedEvent[] {
  return body.events.map((e) => {
    const occurredAt = new Date(e.occurred_at).toISOString();
    const description = e.description?.trim() || null;
    return {
      dedupeKey: e.id ? identityKey(`id:${e.id}`) : contentKey(e.status, occurredAt, description),
      status: e.status,
      rawStatus: e.status,
      description,
      location: e.location?.trim() || null,
      occurredAt,
      raw: e,
    };
  });
}
