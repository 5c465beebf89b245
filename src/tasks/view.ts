/**
 * A task as the API shows it, and the statement that reads it: every reader and writer of tasks
 * returns this shape.
 */
import { sql } from 'drizzle-orm';
import { queryOne, toIso, type Executor } from '../db/index.ts';

export const taskStatuses = ['open', 'claimed', 'done', 'cancelled'] as const;
export type TaskStatus = (typeof taskStatuses)[number];

export interface TaskRow {
  id: string;
  queue: string;
  title: string;
  body: string | null;
  order_id: string | null;
  status: TaskStatus;
  assignee: string | null;
  claimed_at: string | null;
  due_at: string | null;
  resolution: string | null;
  closed_by: string | null;
  closed_at: string | null;
  created_by: string;
  version: number;
  created_at: string;
  updated_at: string;
}

/** The columns of a `TaskRow`, for `select` and `returning`. */
export const taskColumns = sql.raw(
  'id, queue, title, body, order_id, status, assignee, claimed_at, due_at, resolution, closed_by, closed_at, created_by, version, created_at, updated_at',
);

export function presentTask(row: TaskRow) {
  return {
    ...row,
    claimed_at: toIso(row.claimed_at),
    due_at: toIso(row.due_at),
    closed_at: toIso(row.closed_at),
    created_at: toIso(row.created_at)!,
    updated_at: toIso(row.updated_at)!,
  };
}
export type TaskView = ReturnType<typeof presentTask>;

export async function getTask(executor: Executor, id: string): Promise<TaskView | undefined> {
  const row = await queryOne<TaskRow>(executor, sql`select ${taskColumns} from tasks where id = ${id}`);
  return row && presentTask(row);
}
