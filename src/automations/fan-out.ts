import { sql } from 'drizzle-orm';
import { inTransaction, query, type Db, type Tx } from '../db/index.ts';
import { ok } from '../shared/result.ts';
import { advanceCursor, readSettledIds, type OutboxFollower } from '../streaming/index.ts';
import { orderFacts } from './fields.ts';
import { causeOf, judge, type EventToMatch } from './match.ts';
import { activeVersions, type ActiveVersion } from './versions.ts';

/** The events after a cursor, as rules see them: an order event names its order. */
export const eventsToMatchSql = sql`
  select e.id, e.type, e.payload ->> 'actor' as actor, (extract(epoch from e.created_at) * 1000)::float8 as created_ms,
         case when e.subject_type = 'order' then e.subject_id else e.payload ->> 'order_id' end as order_id
  from events e`;

interface PlannedExecution {
  rule_id: string;
  version: number;
  event_id: number | null;
  order_id: string | null;
  depth: number;
  actions: unknown;
}

/**
 * Decides which versions act on which events: a version acts only on events committed after it
 * was activated, so activating a rule never reaches back into history.
 */
export async function planExecutions(
  tx: Tx | Db,
  versions: ActiveVersion[],
  events: EventToMatch[],
): Promise<{ event: EventToMatch; version: ActiveVersion; verdict: ReturnType<typeof judge> }[]> {
  const orderIds = [...new Set(events.flatMap((e) => (e.order_id ? [e.order_id] : [])))];
  const facts = await orderFacts(tx, orderIds);
  const causes = events.flatMap((e) => causeOf(e.actor)?.executionId ?? []);
  const depths = new Map(
    causes.length === 0
      ? []
      : (
          await query<{ id: number; depth: number }>(
            tx,
            sql`select id, depth from automation_executions where id in (select jsonb_array_elements_text(${JSON.stringify(causes)}::jsonb)::bigint)`,
          )
        ).map((row) => [Number(row.id), row.depth]),
  );
  return events.flatMap((event) =>
    versions
      .filter((v) => v.activated_ms == null || event.created_ms >= v.activated_ms)
      .map((version) => {
        const cause = causeOf(event.actor);
        const order = event.order_id ? facts.get(event.order_id) : undefined;
        return { event, version, verdict: judge(version, event, order, cause && depths.get(cause.executionId)) };
      }),
  );
}

/**
 * Follows the outbox after the `automations` cursor and records one pending execution per
 * (active rule version that the event triggers and whose condition holds, event). The cursor
 * row is locked while a batch is planned and advanced in the same transaction, and the unique
 * key (rule_id, trigger_key) absorbs anything planned twice: each rule acts once per event
 * across processes and restarts.
 */
export async function fanOutToRules(
  db: Db,
  follower: OutboxFollower,
  options: { batchSize?: number; maxBatches?: number } = {},
): Promise<{ events: number; executions: number }> {
  const batchSize = options.batchSize ?? 200;
  const total = { events: 0, executions: 0 };
  for (let batch = 0; batch < (options.maxBatches ?? 10); batch++) {
    const result = await inTransaction(db, async (tx) => {
      const read = await readSettledIds(tx, follower, batchSize);
      const last = read?.ids.at(-1);
      if (!read || last === undefined) return ok({ events: 0, executions: 0 });
      const versions = (await activeVersions(tx)).filter((v) => 'event_types' in v.trigger);
      const events =
        versions.length === 0
          ? []
          : await query<EventToMatch>(
              tx,
              sql`${eventsToMatchSql} where e.id > ${read.cursor} and e.id <= ${last} order by e.id`,
            );
      const planned = (await planExecutions(tx, versions, events)).filter((p) => p.verdict.matched);
      const inserted = await insertExecutions(
        tx,
        planned.map(({ event, version, verdict }) => ({
          rule_id: version.rule_id,
          version: version.version,
          event_id: event.id,
          order_id: event.order_id,
          depth: verdict.matched ? verdict.depth : 0,
          actions: version.actions,
        })),
      );
      await advanceCursor(tx, follower.name, last);
      return ok({ events: read.ids.length, executions: inserted });
    });
    if (!result.ok) throw new Error(`automation fan-out failed: ${result.problem.detail}`);
    total.events += result.value.events;
    total.executions += result.value.executions;
    if (result.value.events < batchSize) break;
  }
  return total;
}

/** Records pending executions; one that exists already (same rule, same trigger) is left alone. */
export async function insertExecutions(tx: Tx, rows: PlannedExecution[]): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await query(
    tx,
    sql`insert into automation_executions (rule_id, version, trigger_key, event_id, order_id, depth, status, actions)
        select r.rule_id, r.version, case when r.event_id is null then 'order:' || r.order_id else 'evt_' || r.event_id end,
               r.event_id, r.order_id, r.depth, 'pending', r.actions
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
             as r(rule_id text, version int, event_id bigint, order_id text, depth int, actions jsonb)
        where exists (select 1 from orders o where o.id = r.order_id) or r.order_id is null
        on conflict (rule_id, trigger_key) do nothing
        returning 1`,
  );
  return inserted.length;
}
