import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../http/app.ts';
import { search } from './find.ts';

const SearchQuery = Type.Object({
  q: Type.String({
    minLength: 1,
    maxLength: 200,
    description: 'An order number or ID, a customer name or e-mail, a SKU or product name, an RMA number',
  }),
});

export function searchRoutes(app: FastifyInstance, { reads }: AppContext): void {
  app.get<{ Querystring: Static<typeof SearchQuery> }>(
    '/search',
    {
      config: { permission: 'session:read' },
      schema: {
        tags: ['search'],
        summary: 'Find orders, customers, SKUs and returns at once (what the key may read; channel keys their own)',
        querystring: SearchQuery,
      },
    },
    async (request) => ({
      data: await reads(request, (db) => search(db, request.principal, request.query.q)),
    }),
  );
}
