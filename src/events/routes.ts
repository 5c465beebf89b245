import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../http/app.ts';
import { decodeCursor, page, PageQuery } from '../http/pagination.ts';
import { listEvents } from './outbox.ts';

export function eventRoutes(app: FastifyInstance, { database: { db } }: AppContext): void {
  app.get<{ Querystring: { limit: number; cursor?: string; type?: string; subject_id?: string } }>(
    '/events',
    {
      config: { permission: 'events:read' },
      schema: {
        tags: ['events'],
        summary: 'List events from the outbox, oldest first',
        description: 'Poll with `cursor` = the last `next_cursor` to follow the stream; an empty page means you are up to date.',
        querystring: Type.Object({
          ...PageQuery,
          type: Type.Optional(Type.String({ maxLength: 500, description: 'Comma-separated event types' })),
          subject_id: Type.Optional(Type.String({ maxLength: 100 })),
        }),
      },
    },
    async (request) => {
      const { limit, cursor, type, subject_id } = request.query;
      const rows = await listEvents(db, {
        types: type?.split(',').filter(Boolean),
        subjectId: subject_id,
        after: decodeCursor<number>(cursor, 'number'),
        limit: limit + 1,
      });
      return page(rows, limit, (r) => Number(r.id));
    },
  );
}
