import { sql } from 'drizzle-orm';
import { query, tables, toIso, type Executor } from '../db/index.ts';

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
  await executor.execute(sql`
    insert into events (type, subject_type, subject_id, payload)
    select t.type, t.subject_type, t.subject_id,
           case when t.subject_type = 'order' and not t.payload ? 'channel_id'
                then t.payload || coalesce((select jsonb_build_object('channel_id', o.channel_id) from orders o where o.id = t.subject_id), '{}'::jsonb)
                else t.payload end
    from rows from (jsonb_to_recordset(${json}::jsonb) as (type text, subject_type text, subject_id text, payload jsonb))
         with ordinality as t(type, subject_type, subject_id, payload, n)
    order by t.n`);
}

type EventRow = typeof tables.events.$inferSelect;

export function presentEvent(row: EventRow) {
  return {
    id: String(row.id),
    type: row.type,
    subject_type: row.subjectType,
    subject_id: row.subjectId,
    data: row.payload,
    created_at: toIso(row.createdAt),
  };
}
export type ConsignEvent = ReturnType<typeof presentEvent>;

export interface EventFilter {
  types?: string[] | undefined;
  subjectId?: string | undefined;
  after?: number | undefined;
  limit: number;
  /**
   * How long a transaction may hold an event ID it has not committed (the webhook followers'
   * gap grace, ADR 0005): 0 where every transaction runs alone (PGlite).
   */
  gapGraceMs: number;
}

/**
 * Events after `after` in ID order, as far as they are settled. Event IDs come from a sequence,
 * so a later ID can commit before an earlier one: a missing ID is a transaction still in flight
 * or one that rolled back. The page ends before the first missing ID whose next event was
 * written less than `gapGraceMs` ago (events keep their insert time), so a reader that moves its
 * cursor to the page's last event never passes an event that commits later. The check runs over
 * every event up to the page's last, whatever the filters select.
 */
export async function listEvents(executor: Executor, filter: EventFilter): Promise<ConsignEvent[]> {
  const after = filter.after ?? 0;
  const matches = [
    sql`id > ${after}`,
    ...(filter.types?.length ? [sql`type = any(${sql.param(filter.types)}::text[])`] : []),
    ...(filter.subjectId ? [sql`subject_id = ${filter.subjectId}`] : []),
  ];
  const rows = await query<EventRow>(
    executor,
    sql`with page as (
          select id from events where ${sql.join(matches, sql` and `)} order by id limit ${filter.limit}
        ), scanned as (
          select id, lag(id) over (order by id) as previous
          from events where id > ${after} and id <= (select max(id) from page)
        ), unsettled as (
          -- IDs alone find the gaps (from the primary key); only the event after each is read.
          select min(s.id) as id from scanned s
          where coalesce(s.previous, ${after}) <> s.id - 1
            and (select g.created_at from events g where g.id = s.id)
                > clock_timestamp() - ${filter.gapGraceMs} * interval '1 millisecond'
        )
        select e.id, e.type, e.subject_type as "subjectType", e.subject_id as "subjectId", e.payload,
               e.created_at as "createdAt"
        from events e join page p on p.id = e.id
        where e.id < coalesce((select id from unsettled), ${Number.MAX_SAFE_INTEGER})
        order by e.id`,
  );
  return rows.map(presentEvent);
}
