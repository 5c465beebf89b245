import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../http/app.ts';
import { decodeCursor, encodeCursor, PageQuery } from '../http/pagination.ts';
import { listEvents } from './outbox.ts';

export function eventRoutes(app: FastifyInstance, { database: { db } }: AppContext): void {
  app.get<{ Querystring: { limit: number; cursor?: string; type?: string; subject_id?: string } }>(
    '/events',
    {
      config: { permission: 'events:read' },
      schema: {
        tags: ['events'],
        summary: 'List events from the outbox, oldest first',
        description:
          'Oldest first. `next_cursor` is always the position after this page: poll again with it to follow the stream (`has_more: false` means you are up to date). Events archived past `CONSIGN_EVENT_RETENTION_DAYS` are listed as before: a cursor older than the live outbox reads on through the archive.',
        querystring: Type.Object({
          ...PageQuery,
          type: Type.Optional(Type.String({ maxLength: 500, description: 'Comma-separated event types' })),
          subject_id: Type.Optional(Type.String({ maxLength: 100 })),
        }),
      },
    },
    async (request) => {
      const { limit, cursor, type, subject_id } = request.query;
      const after = decodeCursor<number>(cursor, 'number');
      const rows = await listEvents(db, {
        types: type?.split(',').filter(Boolean),
        subjectId: subject_id,
        after,
        limit: limit + 1,
      });
      const data = rows.slice(0, limit);
      const last = data.at(-1);
      const position = last ? Number(last.id) : after;
      return {
        data,
        next_cursor: position === undefined ? null : encodeCursor(position),
        has_more: rows.length > limit,
      };
    },
  );
}
