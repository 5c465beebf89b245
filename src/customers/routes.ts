import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../http/app.ts';
import { decodeCursor, page } from '../http/pagination.ts';
import { found } from '../http/respond.ts';
import { listCustomers } from './list-customers.ts';
import { getCustomer } from './read-customer.ts';

const ListQuery = Type.Object({
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'E-mail or name contains' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 400 })),
});
const EmailParams = Type.Object({ email: Type.String({ minLength: 3, maxLength: 254 }) });

/** Channel keys see customers through their own channel's orders only. */
const channelOf = (request: FastifyRequest) =>
  request.principal.role === 'channel' ? (request.principal.channelId ?? 'none') : null;

export function customerRoutes(app: FastifyInstance, { reads }: AppContext): void {
  const tags = ['customers'];
  const config = { permission: 'customers:read' } as const;
  app.get<{ Querystring: { q?: string; limit: number; cursor?: string } }>(
    '/customers',
    {
      config,
      schema: {
        tags,
        summary: 'Customers across every channel, by e-mail (ascending), with order counts',
        querystring: ListQuery,
      },
    },
    async (request) => {
      const { q, limit, cursor } = request.query;
      const after = decodeCursor<string>(cursor, 'string');
      const rows = await reads(request, (db) =>
        listCustomers(db, { text: q, channelId: channelOf(request), after, limit: limit + 1 }),
      );
      return page(rows, limit, (row) => row.email);
    },
  );
  app.get<{ Params: { email: string } }>(
    '/customers/:email',
    {
      config,
      schema: {
        tags,
        summary: 'Customer 360: every order and return of one e-mail across all channels, with totals',
        params: EmailParams,
      },
    },
    async (request, reply) => {
      const { email } = request.params;
      const customer = await reads(request, (db) => getCustomer(db, email, channelOf(request)));
      return found(reply, customer, `customer ${email}`);
    },
  );
}
