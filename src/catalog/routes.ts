import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { inTransaction } from '../db/index.ts';
import { ok } from '../shared/result.ts';
import type { AppContext } from '../http/app.ts';
import { runCreate } from '../http/idempotency.ts';
import { decodeCursor, page, PageQuery } from '../http/pagination.ts';
import { created, found, respond } from '../http/respond.ts';
import { setComponents, SetComponents } from './bundles.ts';
import { createProduct, CreateProduct, getProduct, listProducts, updateProduct, UpdateProduct } from './products.ts';

const SkuParams = Type.Object({ sku: Type.String({ minLength: 1, maxLength: 100 }) });

export function catalogRoutes(app: FastifyInstance, { database: { db } }: AppContext): void {
  app.post<{ Body: CreateProduct }>(
    '/products',
    {
      config: { permission: 'catalog:write', idempotent: true },
      schema: { tags: ['catalog'], summary: 'Create a product (SKU)', body: CreateProduct },
    },
    (request, reply) => runCreate(db, request, reply, (tx) => created(createProduct(tx, request.body))),
  );
  app.get<{ Querystring: { limit: number; cursor?: string; q?: string } }>(
    '/products',
    {
      config: { permission: 'catalog:read' },
      schema: {
        tags: ['catalog'],
        summary: 'List or search products',
        querystring: Type.Object({
          ...PageQuery,
          q: Type.Optional(Type.String({ maxLength: 100, description: 'SKU or name contains' })),
        }),
      },
    },
    async (request) => {
      const { limit, cursor, q } = request.query;
      const rows = await listProducts(db, { search: q, after: decodeCursor(cursor, 'string'), limit: limit + 1 });
      return page(rows, limit, (r) => r.sku);
    },
  );
  app.get<{ Params: { sku: string } }>(
    '/products/:sku',
    {
      config: { permission: 'catalog:read' },
      schema: { tags: ['catalog'], summary: 'Get a product', params: SkuParams },
    },
    async (request, reply) => found(reply, await getProduct(db, request.params.sku), `product ${request.params.sku}`),
  );
  app.patch<{ Params: { sku: string }; Body: UpdateProduct }>(
    '/products/:sku',
    {
      config: { permission: 'catalog:write' },
      schema: { tags: ['catalog'], summary: 'Update a product', params: SkuParams, body: UpdateProduct },
    },
    async (request, reply) =>
      respond(reply, await inTransaction(db, (tx) => updateProduct(tx, request.params.sku, request.body))),
  );
  app.put<{ Params: { sku: string }; Body: SetComponents }>(
    '/products/:sku/components',
    {
      config: { permission: 'catalog:write' },
      schema: {
        tags: ['catalog'],
        summary: 'Make a product a bundle (kit) of components, or a plain SKU again with an empty list',
        params: SkuParams,
        body: SetComponents,
      },
    },
    async (request, reply) =>
      respond(
        reply,
        await inTransaction(db, async (tx) => {
          const set = await setComponents(tx, request.params.sku, request.body);
          return set.ok ? ok((await getProduct(tx, request.params.sku))!) : set;
        }),
      ),
  );
}
