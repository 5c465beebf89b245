import { and, asc, eq, gt, inArray, sql, type SQL } from 'drizzle-orm';
import { tables, toIso, type Executor } from '../db/index.ts';

export interface NewEvent {
  type: string;
  subjectType: string;
  subjectId: string;
  payload: Record<string, unknown>;
}

/**
 * Writes events to the transactional outbox. Call it with the same transaction as the change
 * it announces: either both are committed or neither is. Events about an order carry its
 * `channel_id`, so a channel's subscribers receive all of them.
 */
export async function recordEvents(executor: Executor, events: NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  const json = JSON.stringify(
    events.map((e) => ({ type: e.type, subject_type: e.subjectType, subject_id: e.subjectId, payload: e.payload })),
  );
  await recordEventsFrom(
    executor,
    sql`
    select t.type, t.subject_type, t.subject_id,
           case when t.subject_type = 'order' and not t.payload ? 'channel_id'
                then t.payload || coalesce((select jsonb_build_object('channel_id', o.channel_id) from orders o where o.id = t.subject_id), '{}'::jsonb)
                else t.payload end
    from rows from (jsonb_to_recordset(${json}::jsonb) as (type text, subject_type text, subject_id text, payload jsonb))
         with ordinality as t(type, subject_type, subject_id, payload, n)
    order by t.n`,
  );
}

/**
 * The one INSERT into the outbox: the events `rows` selects as (type, subject_type, subject_id,
 * payload), in the order they happened. A CTE of a one-statement write (a hold, an order's
 * capture, a stock movement), or a statement of its own through `recordEventsFrom`.
 */
export function insertEvents(rows: SQL): SQL {
  return sql`insert into events (type, subject_type, subject_id, payload) ${rows}`;
}

/** Writes the events `rows` selects (see `insertEvents`), in the caller's transaction. */
export async function recordEventsFrom(executor: Executor, rows: SQL): Promise<void> {
  await executor.execute(insertEvents(rows));
}

type EventRow = typeof tables.eventHistory.$inferSelect;

function presentEvent(row: EventRow) {
  return {
    id: String(row.id),
    type: row.type,
    subject_type: row.subjectType,
    subject_id: row.subjectId,
    data: row.payload,
    created_at: toIso(row.createdAt),
  };
}
type ConsignEvent = ReturnType<typeof presentEvent>;

interface EventFilter {
  types?: string[] | undefined;
  subjectId?: string | undefined;
  after?: number | undefined;
  limit: number;
}

/**
 * The feed behind `GET /v1/events`: live and archived events alike (`event_history`), so a cursor
 * older than the outbox's first row reads on through the archive into the live events.
 */
export async function listEvents(executor: Executor, filter: EventFilter): Promise<ConsignEvent[]> {
  const e = tables.eventHistory;
  const rows = await executor
    .select()
    .from(e)
    .where(
      and(
        filter.types?.length ? inArray(e.type, filter.types) : undefined,
        filter.subjectId ? eq(e.subjectId, filter.subjectId) : undefined,
        filter.after !== undefined ? gt(e.id, filter.after) : undefined,
      ),
    )
    .orderBy(asc(e.id))
    .limit(filter.limit);
  return rows.map(presentEvent);
}
