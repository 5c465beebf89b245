import { isDeepStrictEqual } from 'node:util';
import { must, type Requester } from './client.ts';
import type { WebhookDispatcher } from '../../src/webhooks/index.ts';
import type { WebhookReceiver } from './webhook-receiver.ts';

export interface OutboxEvent {
  id: string;
  type: string;
  subject_id: string;
  data: Record<string, unknown>;
  created_at: string;
}

/** Every outbox event, oldest first, read through `GET /v1/events` page by page. */
export async function listAllEvents(request: Requester): Promise<OutboxEvent[]> {
  const events: OutboxEvent[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 1_000; page++) {
    const body = await must(request, 'GET', `/v1/events?limit=500${cursor ? `&cursor=${cursor}` : ''}`);
    events.push(...(body.data as OutboxEvent[]));
    if (!body.has_more) return events;
    cursor = body.next_cursor;
  }
  throw new Error('more than 500,000 events: not a test database');
}

/** The Standard Webhooks `webhook-id` of an event's deliveries. */
export const webhookIdOf = (event: OutboxEvent): string => `evt_${event.id}`;

/** Events the receiver has not received yet. */
export function undelivered(receiver: WebhookReceiver, events: OutboxEvent[]): OutboxEvent[] {
  const counts = receiver.counts();
  return events.filter((e) => !counts.has(webhookIdOf(e)));
}

/**
 * What is wrong with the receiver's deliveries against the events it should have: deliveries
 * that failed verification, events missing or received that it should not have, events received
 * with another type or data and, unless `duplicates` are allowed, events received twice.
 * Deduplicated by `webhook-id`, a correct run has none of these.
 */
export function deliveryProblems(
  receiver: WebhookReceiver,
  events: OutboxEvent[],
  options: { duplicates: 'allowed' | 'forbidden' },
) {
  const counts = receiver.counts();
  const expected = new Set(events.map(webhookIdOf));
  const problems = {
    refused: receiver.refused,
    missing: undelivered(receiver, events).map(webhookIdOf),
    unexpected: [...counts.keys()].filter((id) => !expected.has(id)),
    duplicates: options.duplicates === 'forbidden' ? [...counts].filter(([, n]) => n > 1) : [],
    altered: receiver.received
      .filter((r) => {
        const event = events.find((e) => webhookIdOf(e) === r.webhookId);
        return event && (event.type !== r.type || !isDeepStrictEqual(event.data, r.data));
      })
      .map((r) => r.webhookId),
  };
  return Object.values(problems).some((list) => list.length > 0) ? problems : undefined;
}

/** Ticks the dispatcher until a tick neither fans out nor sends anything (bounded); how many it sent. */
export async function drainDispatcher(dispatcher: WebhookDispatcher): Promise<number> {
  let sent = 0;
  for (let i = 0; i < 20; i++) {
    const tick = await dispatcher.tick();
    sent += tick.attempted;
    if (tick.events === 0 && tick.attempted === 0) return sent;
  }
  throw new Error('the dispatcher did not settle in 20 ticks');
}
