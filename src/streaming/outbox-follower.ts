import { sql } from 'drizzle-orm';
import { query, queryOne, toIso, type Executor, type Tx } from '../db/index.ts';
import { createGapTracker, forgetPassed, settledCount, type GapTracker } from './settle.ts';

/** An outbox row as the followers read it. */
export interface OutboxEvent {
  id: number;
  type: string;
  subjectType: string;
  subjectId: string;
  payload: unknown;
  /** ISO 8601. */
  createdAt: string;
}

/**
 * One consumer of the outbox (`webhooks`, `nats`): its position is the row of that name in
 * `outbox_cursors`; the gap tracker is this process's memory of gaps it is waiting out.
 */
/** A background worker that follows the outbox: woken when events commit, stopped on shutdown. */
export interface OutboxWorker {
  wake: () => void;
  stop: () => Promise<void>;
}

export interface OutboxFollower {
  readonly name: string;
  readonly gaps: GapTracker;
  readonly now: () => number;
}

export function createOutboxFollower(
  name: string,
  options: { gapGraceMs?: number; now?: () => number } = {},
): OutboxFollower {
  return { name, gaps: createGapTracker(options.gapGraceMs), now: options.now ?? Date.now };
}

interface SettledBatch {
  /** The cursor before this batch. */
  cursor: number;
  /** The events after the cursor that may be handed on, in ID order (possibly none). */
  events: OutboxEvent[];
}

/**
 * Locks the follower's cursor row for the transaction and reads the next events it may pass.
 * Returns undefined when another process holds the cursor: it is doing this work right now.
 */
export async function readSettledBatch(
  tx: Tx,
  follower: OutboxFollower,
  limit: number,
): Promise<SettledBatch | undefined> {
  const cursor = await lockCursor(tx, follower.name);
  if (cursor === undefined) return undefined;
  const rows = await query<{
    id: number;
    type: string;
    subject_type: string;
    subject_id: string;
    payload: unknown;
    created_at: string;
  }>(
    tx,
    sql`select id, type, subject_type, subject_id, payload, created_at
        from events where id > ${cursor} order by id limit ${limit}`,
  );
  const taken = settle(follower, cursor, rows);
  const events = rows.slice(0, taken).map((row) => ({
    id: row.id,
    type: row.type,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    payload: row.payload,
    createdAt: toIso(row.created_at) ?? '',
  }));
  return { cursor, events };
}

/** The next events a follower may pass, by ID only. */
interface SettledIds {
  /** The cursor before these events. */
  cursor: number;
  /** Ascending; possibly none. */
  ids: number[];
}

/**
 * `readSettledBatch` for a follower that needs only which events it may pass, not what they
 * say (the webhook fan-out reads them in its own insert; a connector follower with no
 * connectors): the outbox's busiest reader then reads and parses no payloads.
 */
export async function readSettledIds(tx: Tx, follower: OutboxFollower, limit: number): Promise<SettledIds | undefined> {
  const cursor = await lockCursor(tx, follower.name);
  if (cursor === undefined) return undefined;
  const rows = await query<{ id: number }>(
    tx,
    sql`select id from events where id > ${cursor} order by id limit ${limit}`,
  );
  const taken = settle(follower, cursor, rows);
  return { cursor, ids: rows.slice(0, taken).map((row) => row.id) };
}

/** How many of `rows` (ascending IDs after `cursor`) the follower may pass now (`settledCount`). */
function settle(follower: OutboxFollower, cursor: number, rows: { id: number }[]): number {
  forgetPassed(follower.gaps, cursor);
  return settledCount(
    follower.gaps,
    cursor,
    rows.map((row) => row.id),
    follower.now(),
  );
}

/** The cursor's position, locked until the transaction ends; the row is created at 0 the first time. */
async function lockCursor(tx: Tx, name: string): Promise<number | undefined> {
  const locked = await queryOne<{ last_event_id: number }>(
    tx,
    sql`select last_event_id from outbox_cursors where name = ${name} for update skip locked`,
  );
  if (locked) return locked.last_event_id;
  const created = await queryOne<{ last_event_id: number }>(
    tx,
    sql`insert into outbox_cursors (name) values (${name}) on conflict (name) do nothing returning last_event_id`,
  );
  return created?.last_event_id;
}

export async function advanceCursor(tx: Tx, name: string, lastEventId: number): Promise<void> {
  await tx.execute(sql`
    update outbox_cursors set last_event_id = ${lastEventId}, updated_at = now()
    where name = ${name} and last_event_id < ${lastEventId}`);
}

/** Where a follower stands (for operators and tests); 0 before it first ran. */
export async function cursorPosition(executor: Executor, name: string): Promise<number> {
  const row = await queryOne<{ last_event_id: number }>(
    executor,
    sql`select last_event_id from outbox_cursors where name = ${name}`,
  );
  return row?.last_event_id ?? 0;
}

/** How far each follower of the outbox is behind: at most `cap` events counted, and the oldest one's age. */
interface FollowerLag {
  follower: string;
  eventsBehind: number;
  oldestWaitingSeconds: number;
}

export async function outboxLag(executor: Executor, cap = 1_000_000): Promise<FollowerLag[]> {
  const rows = await query<{ name: string; behind: number; oldest_seconds: number | null }>(
    executor,
    sql`select c.name,
               (select count(*)::int from (select 1 from events e where e.id > c.last_event_id limit ${cap}) w) as behind,
               (select extract(epoch from now() - e.created_at)::float8 from events e
                where e.id > c.last_event_id order by e.id limit 1) as oldest_seconds
        from outbox_cursors c order by c.name`,
  );
  return rows.map((row) => ({
    follower: row.name,
    eventsBehind: row.behind,
    oldestWaitingSeconds: Math.max(0, row.oldest_seconds ?? 0),
  }));
}
