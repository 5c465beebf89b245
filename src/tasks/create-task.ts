import { sql } from 'drizzle-orm';
import { query, queryOne, type Executor } from '../db/index.ts';
import { newId } from '../shared/ids.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { recordTaskEvent } from './events.ts';
import { getTask, presentTask, taskColumns, type TaskRow, type TaskView } from './view.ts';

interface NewTask {
  queue: string;
  title: string;
  body?: string | null | undefined;
  orderId?: string | null | undefined;
  /** When it is due; or `dueInMinutes` from now; neither: no due time. */
  dueAt?: string | null | undefined;
  dueInMinutes?: number | null | undefined;
  /**
   * What made the task, unique across tasks: a second create with the same key returns the first
   * task and writes nothing (an automation's retry creates one task).
   */
  sourceKey?: string | null | undefined;
}

/**
 * Opens a task in its queue and announces it (`task.created`) in the caller's transaction. The
 * task and whether this call made it; an unknown order is a 422 `unknown_reference`.
 */
export async function createTask(
  executor: Executor,
  input: NewTask,
  actor: string,
): Promise<Result<TaskView & { created: boolean }>> {
  const orderId = input.orderId ?? null;
  if (orderId && !(await queryOne(executor, sql`select id from orders where id = ${orderId}`))) {
    return fail(problem('unknown_reference', `No order ${orderId}.`, { order_id: orderId }));
  }
  const sourceKey = input.sourceKey ?? null;
  // Due times are kept to the millisecond, as the API shows them, so a page cursor names a row exactly.
  const [row] = await query<TaskRow>(
    executor,
    sql`insert into tasks (id, queue, title, body, order_id, due_at, created_by, source_key)
        values (${newId('tsk')}, ${input.queue}, ${input.title}, ${input.body ?? null}, ${orderId},
                date_trunc('milliseconds', coalesce(${input.dueAt ?? null}::timestamptz,
                                                    now() + make_interval(mins => ${input.dueInMinutes ?? null}::int))),
                ${actor}, ${sourceKey})
        on conflict (source_key) do nothing
        returning ${taskColumns}`,
  );
  if (!row) {
    const [existing] = await query<{ id: string }>(executor, sql`select id from tasks where source_key = ${sourceKey}`);
    return ok({ ...(await getTask(executor, existing!.id))!, created: false });
  }
  const task = presentTask(row);
  await recordTaskEvent(executor, 'task.created', task, actor);
  return ok({ ...task, created: true });
}
