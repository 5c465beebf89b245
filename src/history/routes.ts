import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../http/app.ts';
import { respond } from '../http/respond.ts';
import { resolveChannelId } from '../network/index.ts';
import { problem } from '../shared/problem.ts';
import { fail } from '../shared/result.ts';
import { importHistory } from './import-history.ts';

const ImportHistoryBody = Type.Object(
  {
    channel: Type.String({ minLength: 1, maxLength: 64, description: 'Channel ID or code the orders belong to' }),
    orders: Type.Array(Type.Unknown(), {
      minItems: 1,
      maxItems: 5000,
      description:
        "Orders of the previous system in Consign's history format (docs/migration.md); each is checked on its own, and its index + 1 is its row in the report",
    }),
    managed_open: Type.Optional(
      Type.Boolean({ description: 'Place open orders with nothing shipped as managed orders that Consign routes' }),
    ),
  },
  { additionalProperties: false },
);

/** `POST /v1/imports/history`: the API of `consign import history`, for files sent in parts. */
export function historyRoutes(app: FastifyInstance, { database: { db } }: AppContext): void {
  app.post<{ Body: Static<typeof ImportHistoryBody> }>(
    '/imports/history',
    {
      config: { permission: 'history:import' },
      schema: {
        tags: ['imports'],
        summary: "Import a previous system's orders as they were, with a validation report",
        description:
          'Rejected orders write nothing and are reported (row, field, problem); orders already imported with the same content are counted as duplicates, so a request can be repeated. Imported orders are unmanaged: Consign reports on them but never routes, captures, cancels or changes them (409 order_unmanaged).',
        body: ImportHistoryBody,
      },
    },
    async (request, reply) => {
      const channelId = await resolveChannelId(db, request.body.channel);
      if (!channelId)
        return respond(
          reply,
          fail(
            problem('unknown_reference', `No channel ${request.body.channel}.`, {
              errors: [{ pointer: '/channel', message: 'unknown channel' }],
            }),
          ),
        );
      const result = await importHistory(db, {
        channelId,
        rows: request.body.orders.map((value, i) => ({ row: i + 1, value })),
        managedOpen: request.body.managed_open,
        actor: request.principal.keyId,
      });
      return respond(reply, result);
    },
  );
}
