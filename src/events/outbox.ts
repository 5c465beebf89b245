import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import { tables, toIso, type Executor } from '../db/index.ts';

export interface NewEvent {
  type: string;
  subjectType: string;
  subjectId: string;
  payload: Record<string, unknown>;
}

/**
 * Writes events to the transactional outbox. Call it with the same transaction as the change
 * it announces: either both are committed or neither is.
 */
export async function recordEvents(executor: Executor, events: NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  await executor.insert(tables.events).values(events);
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
}

export async function listEvents(executor: Executor, filter: EventFilter): Promise<ConsignEvent[]> {
  const e = tables.events;
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
