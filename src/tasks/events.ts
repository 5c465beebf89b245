import type { Executor } from '../db/index.ts';
import { recordEvents } from '../events/index.ts';
import type { TaskView } from './view.ts';

export type TaskEventType = 'task.created' | 'task.claimed' | 'task.completed' | 'task.cancelled';

/**
 * Announces a task's change in the caller's transaction. A task about an order is an event of
 * the order (its subject), so it shows on the order's timeline and reaches that channel's
 * subscribers; any other task is its own subject.
 */
export async function recordTaskEvent(
  executor: Executor,
  type: TaskEventType,
  task: TaskView,
  actor: string,
): Promise<void> {
  await recordEvents(executor, [
    {
      type,
      subjectType: task.order_id ? 'order' : 'task',
      subjectId: task.order_id ?? task.id,
      payload: {
        task_id: task.id,
        queue: task.queue,
        title: task.title,
        status: task.status,
        assignee: task.assignee,
        due_at: task.due_at,
        ...(task.order_id ? { order_id: task.order_id } : {}),
        ...(task.resolution !== null ? { resolution: task.resolution } : {}),
        actor,
      },
    },
  ]);
}
