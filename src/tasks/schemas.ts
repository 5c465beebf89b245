import { Type, type Static } from '@sinclair/typebox';
import { INT4_MAX, Id, Timestamp } from '../http/schemas.ts';
import { PageQuery } from '../http/pagination.ts';
import { taskStatuses } from './view.ts';

const Queue = Type.String({
  pattern: '^[a-z0-9][a-z0-9_-]{0,63}$',
  maxLength: 64,
  description: 'The queue’s short name: 1–64 lower-case letters, digits, "_" or "-" (`fraud-review`)',
});
const Title = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });
const Note = Type.String({ minLength: 1, maxLength: 2000 });
const Version = Type.Integer({
  minimum: 1,
  maximum: INT4_MAX,
  description: 'The version you read: the change applies only to that version (409 `conflict` otherwise)',
});

export const CreateTask = Type.Object(
  {
    queue: Queue,
    title: Title,
    body: Type.Optional(Note),
    order_id: Type.Optional(Id('ord')),
    due_at: Type.Optional(Timestamp),
  },
  { additionalProperties: false },
);
export type CreateTask = Static<typeof CreateTask>;

export const ClaimTask = Type.Object(
  {
    assignee: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'Who takes it; default: the API key' }),
    ),
    version: Type.Optional(Version),
  },
  { additionalProperties: false },
);
export type ClaimTask = Static<typeof ClaimTask>;

export const CloseTask = Type.Object(
  {
    resolution: Type.Optional(Type.String({ minLength: 1, maxLength: 2000, description: 'What was done, or why not' })),
    version: Type.Optional(Version),
  },
  { additionalProperties: false },
);
export type CloseTask = Static<typeof CloseTask>;

export const TaskParams = Type.Object({ id: Id('tsk') });
export type TaskParams = Static<typeof TaskParams>;

export const TaskQuery = Type.Object(
  {
    queue: Type.Optional(Queue),
    status: Type.Optional(Type.Union(taskStatuses.map((s) => Type.Literal(s)))),
    order_id: Type.Optional(Id('ord')),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export type TaskQuery = Static<typeof TaskQuery> & { limit: number };
