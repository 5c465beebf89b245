import { sql } from 'drizzle-orm';
import { inTransaction, queryOne, type Db } from '../db/index.ts';
import { ok } from '../shared/result.ts';
import { startIntervalWorker } from '../shared/interval-worker.ts';

/** Events moved per statement. */
const ARCHIVE_BATCH_SIZE = 1000;
/** Statements per run at most, so one run never holds the outbox for long; the rest goes next run. */
const ARCHIVE_MAX_BATCHES = 10;

interface ArchiveOptions {
  /**
   * Events recorded more than this many days ago are eligible (CONSIGN_EVENT_RETENTION_DAYS); 0:
   * every event before this statement (the server starts no archiver for 0: it keeps every event live).
   */
  retentionDays: number;
  batchSize?: number;
  maxBatches?: number;
}

/**
 * Moves the oldest eligible events from the outbox to `events_archive`, with their IDs, in one
 * statement per batch: the delete returns the rows the insert writes, so a moved event is in
 * exactly one of the two tables at every moment and a reader of `event_history` never misses or
 * doubles one. Eligible: recorded more than `retentionDays` ago and at or before the position of
 * every follower in `outbox_cursors` (webhooks, NATS, connectors, automations, notifications),
 * so nothing is archived that a follower has not passed. A follower that has never run has no
 * cursor and holds nothing back; a retired follower's cursor holds archival back until its row
 * is deleted. Two processes archiving at once move each event once: the second one's delete
 * skips the rows the first already deleted. Returns the number of events moved.
 */
export async function archiveEvents(db: Db, options: ArchiveOptions): Promise<number> {
  const batchSize = options.batchSize ?? ARCHIVE_BATCH_SIZE;
  let archived = 0;
  for (let batch = 0; batch < (options.maxBatches ?? ARCHIVE_MAX_BATCHES); batch++) {
    const moved = await moveBatch(db, options.retentionDays, batchSize);
    archived += moved;
    if (moved < batchSize) break;
  }
  return archived;
}

/**
 * One batch in a transaction of its own: the outbox's trigger refuses every DELETE but one whose
 * transaction sets `consign.archiving_events` (migration 0030), so only this statement removes events.
 */
async function moveBatch(db: Db, retentionDays: number, batchSize: number): Promise<number> {
  const moved = await inTransaction(db, async (tx) => {
    await tx.execute(sql`select set_config('consign.archiving_events', 'on', true)`);
    const row = await queryOne<{ moved: number }>(
      tx,
      sql`with eligible as (
          select id from events
          where id <= coalesce((select min(last_event_id) from outbox_cursors), 9223372036854775807)
            and created_at < now() - make_interval(days => ${retentionDays}::int)
          order by id limit ${batchSize}
        ), moved as (
          delete from events where id in (select id from eligible)
          returning id, type, subject_type, subject_id, payload, created_at
        ), archived as (
          insert into events_archive (id, type, subject_type, subject_id, payload, created_at)
          select id, type, subject_type, subject_id, payload, created_at from moved
          returning id
        )
        select count(*)::int as moved from archived`,
    );
    return ok(row?.moved ?? 0);
  });
  return moved.ok ? moved.value : 0;
}

interface EventArchiverOptions extends ArchiveOptions {
  intervalMs: number;
  onError?: (error: unknown) => void;
  onArchived?: (count: number) => void;
}

/** Archives eligible events every `intervalMs` until stopped (`archiveEvents`); runs never overlap. */
export function startEventArchiver(db: Db, options: EventArchiverOptions): { stop: () => Promise<void> } {
  return startIntervalWorker(
    options.intervalMs,
    async () => {
      const archived = await archiveEvents(db, options);
      if (archived > 0) options.onArchived?.(archived);
    },
    (error) => options.onError?.(error),
  );
}
