import { sql } from 'drizzle-orm';
import { query, toIso, type Executor } from '../db/index.ts';
import { problem, ProblemError } from '../shared/problem.ts';
import { presentTask, taskColumns, type TaskRow, type TaskView } from './view.ts';

interface TaskFilter {
  queue?: string | undefined;
  status?: string | undefined;
  orderId?: string | undefined;
  /** The last row of the previous page (see `taskCursorKey`). */
  after?: { dueAt: string | null; id: string } | undefined;
  limit: number;
}

/** A row's place in the list, `<due time or "none">|<id>`: the cursor's key. */
export const taskCursorKey = (task: TaskView): string => `${task.due_at ?? 'none'}|${task.id}`;

/** Reads a cursor key back; one this API did not issue is a 400. */
export function readTaskCursorKey(key: string | undefined): TaskFilter['after'] {
  if (key === undefined) return undefined;
  const [due, id, ...rest] = key.split('|');
  if (rest.length === 0 && id && /^tsk_[0-9a-z]+$/.test(id) && (due === 'none' || toIsoOrNull(due) === due)) {
    return { dueAt: due === 'none' ? null : due!, id };
  }
  throw new ProblemError(problem('validation_failed', 'cursor is not one this API issued; start again without it.'));
}

function toIsoOrNull(text: string | undefined): string | null {
  const date = new Date(text ?? '');
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** Tasks, the one due soonest first (those with no due time last), then oldest first. */
export async function listTasks(executor: Executor, filter: TaskFilter): Promise<TaskView[]> {
  const { after } = filter;
  const afterSql = !after
    ? sql`true`
    : after.dueAt === null
      ? sql`(due_at is null and id > ${after.id})`
      : sql`(due_at > ${after.dueAt}::timestamptz or (due_at = ${after.dueAt}::timestamptz and id > ${after.id}) or due_at is null)`;
  const rows = await query<TaskRow>(
    executor,
    sql`select ${taskColumns} from tasks
        where (${filter.queue ?? null}::text is null or queue = ${filter.queue ?? null})
          and (${filter.status ?? null}::text is null or status = ${filter.status ?? null})
          and (${filter.orderId ?? null}::text is null or order_id = ${filter.orderId ?? null})
          and ${afterSql}
        order by due_at asc nulls last, id
        limit ${filter.limit}`,
  );
  return rows.map(presentTask);
}

/** Every queue with work in it: its open and claimed tasks, and when the first open one is due. */
export async function listQueues(executor: Executor) {
  const rows = await query<{ queue: string; open: number; claimed: number; next_due_at: string | null }>(
    executor,
    sql`select queue, count(*) filter (where status = 'open')::int as open,
               count(*) filter (where status = 'claimed')::int as claimed,
               min(due_at) filter (where status = 'open') as next_due_at
        from tasks where status in ('open', 'claimed')
        group by queue order by queue`,
  );
  return rows.map((row) => ({ ...row, next_due_at: toIso(row.next_due_at) }));
}
