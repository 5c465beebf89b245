import { sql } from 'drizzle-orm';
import { inTransaction, queryOne, type Db } from '../db/index.ts';
import { ok } from '../shared/result.ts';
import { advanceCursor, readSettledIds, type OutboxFollower } from '../streaming/index.ts';
import { subscriptionWantsEvent } from './event-types.ts';

interface FanOutOptions {
  /** Events per transaction. */
  batchSize?: number;
  /** Transactions per call at most. */
  maxBatches?: number;
  signal?: AbortSignal;
}

export interface FanOutResult {
  /** Outbox events the cursor moved past. */
  events: number;
  /** Deliveries created for them. */
  deliveries: number;
  /** Stopped at `maxBatches` with its last batch full: more events may be waiting. */
  backlog: boolean;
}

/**
 * Step A of the dispatcher: follows the outbox after the `webhooks` cursor and creates one
 * pending delivery per (active subscription that wants the event, event). The cursor row is
 * locked while a batch is enqueued and advanced in the same transaction, so several server
 * processes never enqueue an event twice (and the unique key would absorb it if they did).
 * A subscription receives the events created after it was.
 */
export async function fanOutEvents(
  db: Db,
  follower: OutboxFollower,
  options: FanOutOptions = {},
): Promise<FanOutResult> {
  const batchSize = options.batchSize ?? 500;
  const total: FanOutResult = { events: 0, deliveries: 0, backlog: false };
  for (let batch = 0; batch < (options.maxBatches ?? 10) && !options.signal?.aborted; batch++) {
    const result = await inTransaction(db, async (tx) => {
      const read = await readSettledIds(tx, follower, batchSize);
      const last = read?.ids.at(-1);
      if (!read || last === undefined) return ok({ events: 0, deliveries: 0 });
      const inserted = await queryOne<{ count: number }>(
        tx,
        sql`with inserted as (
              insert into webhook_deliveries (subscription_id, event_id, status, next_attempt_at)
              select s.id, e.id, 'pending', now()
              from events e join webhook_subscriptions s on s.active and e.created_at >= s.created_at
              where e.id > ${read.cursor} and e.id <= ${last} and ${subscriptionWantsEvent}
              on conflict (subscription_id, event_id) do nothing
              returning 1
            )
            select count(*)::int as count from inserted`,
      );
      await advanceCursor(tx, follower.name, last);
      return ok({ events: read.ids.length, deliveries: inserted?.count ?? 0 });
    });
    if (!result.ok) throw new Error(`webhook fan-out failed: ${result.problem.detail}`);
    total.events += result.value.events;
    total.deliveries += result.value.deliveries;
    total.backlog = result.value.events === batchSize;
    if (!total.backlog) break;
  }
  return total;
}
