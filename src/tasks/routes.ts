import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../http/app.ts';
import { runCreate } from '../http/idempotency.ts';
import { decodeCursor, page } from '../http/pagination.ts';
import { created, found } from '../http/respond.ts';
import { createTask } from './create-task.ts';
import { listQueues, listTasks, readTaskCursorKey, taskCursorKey } from './list-tasks.ts';
import { ClaimTask, CloseTask, CreateTask, TaskParams, TaskQuery } from './schemas.ts';
import { transitionTask, type StepInput, type TaskStep } from './transitions.ts';
import { getTask } from './view.ts';

const tags = ['tasks'];
const read = { permission: 'tasks:read' } as const;
const write = { permission: 'tasks:write', idempotent: true } as const;

/** Task queues: work for people, created here or by automation rules (docs/tasks.md). */
export function taskRoutes(app: FastifyInstance, { database: { db } }: AppContext): void {
  app.get<{ Querystring: TaskQuery }>(
    '/tasks',
    {
      config: read,
      schema: {
        tags,
        summary: 'Tasks, the one due soonest first (no due time last), filtered by queue, status or order',
        querystring: TaskQuery,
      },
    },
    async (request) => {
      const { queue, status, order_id: orderId, cursor, limit } = request.query;
      const after = readTaskCursorKey(decodeCursor<string>(cursor, 'string'));
      const rows = await listTasks(db, { queue, status, orderId, after, limit: limit + 1 });
      return page(rows, limit, taskCursorKey);
    },
  );
  app.get(
    '/tasks/queues',
    { config: read, schema: { tags, summary: 'Every queue with open or claimed tasks, with their counts' } },
    async () => ({ data: await listQueues(db) }),
  );
  app.post<{ Body: CreateTask }>(
    '/tasks',
    { config: write, schema: { tags, summary: 'Open a task in a queue, optionally about an order', body: CreateTask } },
    async (request, reply) =>
      runCreate(db, request, reply, async (tx) => {
        const { queue, title, body, order_id: orderId, due_at: dueAt } = request.body;
        const task = await createTask(tx, { queue, title, body, orderId, dueAt }, request.principal.keyId);
        if (!task.ok) return task;
        const { created: _created, ...view } = task.value;
        return { ok: true, value: { status: 201, body: view } };
      }),
  );
  app.get<{ Params: TaskParams }>(
    '/tasks/:id',
    { config: read, schema: { tags, summary: 'One task', params: TaskParams } },
    async (request, reply) => found(reply, await getTask(db, request.params.id), `task ${request.params.id}`),
  );
  const step = (name: TaskStep, body: typeof ClaimTask | typeof CloseTask, summary: string) =>
    app.post<{ Params: TaskParams; Body: StepInput }>(
      `/tasks/:id/${name}`,
      {
        config: write,
        schema: { tags, summary, params: TaskParams, body },
        // The body is optional: none is the same as `{}`.
        preValidation: async (request) => {
          request.body ??= {};
        },
      },
      async (request, reply) =>
        runCreate(db, request, reply, (tx) =>
          created(transitionTask(tx, request.params.id, name, request.body, request.principal.keyId), 200),
        ),
    );
  step('claim', ClaimTask, 'Take an open task (409 `illegal_transition` when it is not open)');
  step('complete', CloseTask, 'Mark an open or claimed task done, with an optional resolution note');
  step('cancel', CloseTask, 'Cancel an open or claimed task, with an optional reason');
}
