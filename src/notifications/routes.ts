import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../http/app.ts';
import { sendProblem } from '../http/errors.ts';
import { decodeCursor, page } from '../http/pagination.ts';
import { found, respond } from '../http/respond.ts';
import { getMessage, listMessages, resendMessage } from './messages.ts';
import { readPreferences, unsubscribe, writePreferences } from './preferences.ts';
import { IdParams, ListQuery, PreferencesBody, PreferencesParams, UnsubscribeQuery } from './schemas.ts';

/** Messages sent to customers, their preferences, and the unsubscribe link. */
export function notificationRoutes(app: FastifyInstance, { database: { db } }: AppContext): void {
  const tags = ['notifications'];
  const read = { permission: 'notifications:read' } as const;
  const write = { permission: 'notifications:write' } as const;

  app.get<{ Querystring: ListQuery }>(
    '/notifications',
    { config: read, schema: { tags, summary: 'Messages to customers, newest first', querystring: ListQuery } },
    async (request) => {
      const { limit = 50, cursor, order_id, status, customer_email } = request.query;
      const rows = await listMessages(db, {
        orderId: order_id,
        status,
        customerEmail: customer_email,
        before: decodeCursor<string>(cursor, 'string'),
        limit: limit + 1,
      });
      return page(rows, limit, (row) => row.id);
    },
  );
  app.get<{ Params: { id: string } }>(
    '/notifications/:id',
    { config: read, schema: { tags, summary: 'One message, as rendered, with its attempts', params: IdParams } },
    async (request, reply) =>
      found(reply, await getMessage(db, request.params.id), `notification ${request.params.id}`),
  );
  app.post<{ Params: { id: string } }>(
    '/notifications/:id/resend',
    {
      config: write,
      schema: { tags, summary: 'Send a sent or dead message again, as it was rendered', params: IdParams },
    },
    async (request, reply) => respond(reply, await resendMessage(db, request.params.id)),
  );
  app.get<{ Params: { email: string } }>(
    '/customers/:email/notification-preferences',
    {
      config: read,
      schema: { tags, summary: 'The customer’s notification preferences', params: PreferencesParams },
    },
    async (request) => readPreferences(db, request.params.email),
  );
  app.put<{ Params: { email: string }; Body: PreferencesBody }>(
    '/customers/:email/notification-preferences',
    {
      config: write,
      schema: {
        tags,
        summary: 'Replace the customer’s notification preferences (fields left out take their defaults)',
        params: PreferencesParams,
        body: PreferencesBody,
      },
    },
    async (request) => writePreferences(db, request.params.email, request.body),
  );
  const unsubscribeSchema = {
    tags,
    summary: 'The link in notifications that are not transactional: opts the customer out (no API key)',
    querystring: UnsubscribeQuery,
  };
  app.get<{ Querystring: { token: string } }>('/unsubscribe', { schema: unsubscribeSchema }, async (request, reply) => {
    const done = await unsubscribe(db, request.query.token);
    if (!done.ok) return sendProblem(reply, done.problem);
    return reply
      .type('text/html; charset=utf-8')
      .send(
        '<!doctype html><title>Unsubscribed</title><p>You will no longer receive these messages. Messages about your orders, deliveries, returns and refunds still reach you.</p>',
      );
  });
  // RFC 8058 one-click unsubscribe: mail programs POST to the List-Unsubscribe link.
  app.post<{ Querystring: { token: string } }>('/unsubscribe', { schema: unsubscribeSchema }, async (request, reply) =>
    respond(reply, await unsubscribe(db, request.query.token)),
  );
}
