/**
 * A task's lifecycle as data: which statuses each step starts from and where it leads. Every
 * step is one compare-and-set on the status (and on the version, when the caller names the one
 * it read); zero rows changed is a conflict, explained from the task as it is now.
 */
import { sql } from 'drizzle-orm';
import { query, type Executor } from '../db/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { recordTaskEvent, type TaskEventType } from './events.ts';
import { getTask, presentTask, taskColumns, type TaskRow, type TaskStatus, type TaskView } from './view.ts';

export const taskTransitions = {
  claim: { from: ['open'], to: 'claimed', event: 'task.claimed', done: 'claimed' },
  complete: { from: ['open', 'claimed'], to: 'done', event: 'task.completed', done: 'completed' },
  cancel: { from: ['open', 'claimed'], to: 'cancelled', event: 'task.cancelled', done: 'cancelled' },
} as const satisfies Record<
  string,
  { from: readonly TaskStatus[]; to: TaskStatus; event: TaskEventType; done: string }
>;

export type TaskStep = keyof typeof taskTransitions;

export interface StepInput {
  /** The version the caller read; another is a 409 `conflict`. */
  version?: number | undefined;
  /** Claim: who takes the task (default: the actor). */
  assignee?: string | undefined;
  /** Complete or cancel: what was done, or why not. */
  resolution?: string | undefined;
}

/** Moves a task one step, or says why it cannot: 404, 409 `illegal_transition`, 409 `conflict`. */
export async function transitionTask(
  executor: Executor,
  id: string,
  step: TaskStep,
  input: StepInput,
  actor: string,
): Promise<Result<TaskView>> {
  const { from, to, event } = taskTransitions[step];
  const changes =
    step === 'claim'
      ? sql`assignee = ${input.assignee ?? actor}, claimed_at = now()`
      : sql`resolution = ${input.resolution ?? null}::text, closed_by = ${actor}, closed_at = now()`;
  const [row] = await query<TaskRow>(
    executor,
    sql`update tasks
        set status = ${to}, version = version + 1, updated_at = now(), ${changes}
        where id = ${id}
          and status in (select jsonb_array_elements_text(${JSON.stringify(from)}::jsonb))
          and (${input.version ?? null}::int is null or version = ${input.version ?? null}::int)
        returning ${taskColumns}`,
  );
  if (!row) return fail(await refusal(executor, id, step, input.version));
  const task = presentTask(row);
  await recordTaskEvent(executor, event, task, actor);
  return ok(task);
}

async function refusal(executor: Executor, id: string, step: TaskStep, version: number | undefined) {
  const task = await getTask(executor, id);
  if (!task) return problem('not_found', `No task ${id}.`);
  const { from, done } = taskTransitions[step];
  if (!(from as readonly string[]).includes(task.status)) {
    return problem(
      'illegal_transition',
      `Task ${id} is ${task.status}; only a task that is ${from.join(' or ')} can be ${done}.`,
      {
        task_status: task.status,
        allowed_from: from,
      },
    );
  }
  return problem('conflict', `Task ${id} is at version ${task.version}, not ${version}; read it again.`, {
    version: task.version,
  });
}
