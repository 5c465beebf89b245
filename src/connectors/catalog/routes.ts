import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { inTransaction } from '../../db/index.ts';
import type { AppContext } from '../../http/app.ts';
import { sendProblem } from '../../http/errors.ts';
import { decodeCursor, page, PageQuery } from '../../http/pagination.ts';
import { respond } from '../../http/respond.ts';
import { Sku } from '../../http/schemas.ts';
import { canSeeChannel } from '../../auth/index.ts';
import { getChannel } from '../../network/index.ts';
import { problem } from '../../shared/problem.ts';
import { ok } from '../../shared/result.ts';
import { parseMappingCsv } from './csv.ts';
import { deleteMapping, listMappings, MAX_MAPPINGS, upsertMappings, type MappingInput } from './mappings.ts';
import { releaseUnmapped } from './release.ts';

const PlatformId = Type.String({ minLength: 1, maxLength: 100 });
const Mapping = Type.Object(
  {
    product_id: Type.String({
      minLength: 1,
      maxLength: 100,
      description: 'Shopify/BigCommerce/WooCommerce product_id, SFCC productId, Amazon ASIN',
    }),
    variant_id: Type.Optional(
      Type.String({
        maxLength: 100,
        description:
          "Shopify/BigCommerce variant_id, WooCommerce variation_id, Amazon SellerSKU; '' or absent: the whole product",
      }),
    ),
    sku: Sku,
    inventory_item_id: Type.Optional(
      Type.Union([Type.Null(), Type.String({ maxLength: 100, description: "Shopify's inventory item ID" })]),
    ),
  },
  { additionalProperties: false },
);
const MappingsBody = Type.Object(
  { mappings: Type.Array(Mapping, { minItems: 1, maxItems: MAX_MAPPINGS }) },
  { additionalProperties: false },
);
const ChannelParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const ItemParams = Type.Object({ id: Type.String({ maxLength: 64 }), product_id: PlatformId });
const ListQuery = Type.Object({
  ...PageQuery,
  product_id: Type.Optional(PlatformId),
  sku: Type.Optional(Type.String({ maxLength: 100 })),
});
const VariantQuery = Type.Object({ variant_id: Type.Optional(Type.String({ maxLength: 100 })) });

const DESCRIPTION = `A channel's platform items → Consign SKUs. Inbound order lines are resolved through it first (the variant's mapping, else the product's), then by the SKU the platform sent; a platform SKU that is a Consign SKU is recorded on first sight (source \`auto\`). A line with neither waits for review (\`unmapped_item\`) and is placed as soon as its mapping exists. Availability pushes name the mapped platform items.`;

/** `/v1/channels/{id}/catalog-mappings`: bulk upsert (JSON or CSV), list, delete. */
export function catalogMappingRoutes(app: FastifyInstance, { database: { db } }: AppContext): void {
  const tags = ['connectors'];

  app.register(async (scope) => {
    scope.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: 8 * 1024 * 1024 }, (_r, body, done) =>
      done(null, body),
    );
    scope.post<{ Params: Static<typeof ChannelParams>; Body: Static<typeof MappingsBody> | string }>(
      '/channels/:id/catalog-mappings',
      {
        config: { permission: 'catalog:write' },
        schema: {
          tags,
          summary:
            'Create or replace catalog mappings in bulk (JSON, or CSV with product_id,variant_id,sku,inventory_item_id)',
          description: `${DESCRIPTION} All rows or none: a row naming an unknown SKU refuses the upload (422 \`unknown_sku\`, one error per row). Answers how many were written and the held orders this placed (\`released\`). Up to ${MAX_MAPPINGS} rows per call.`,
          params: ChannelParams,
          body: {
            content: {
              'application/json': { schema: MappingsBody },
              'text/csv': {
                schema: Type.String({
                  maxLength: 8 * 1024 * 1024,
                  description:
                    'A header row naming product_id and sku (variant_id, inventory_item_id optional), then one mapping per row',
                }),
              },
            },
          },
        },
      },
      async (request, reply) => {
        const channelId = request.params.id;
        if (!(await getChannel(db, channelId)))
          return sendProblem(reply, problem('not_found', `No channel ${channelId}.`));
        const input = typeof request.body === 'string' ? parseMappingCsv(request.body) : ok(bodyRows(request.body));
        if (!input.ok) return respond(reply, input);
        const written = await inTransaction(db, (tx) =>
          upsertMappings(tx, channelId, input.value.rows, input.value.pointerOf),
        );
        if (!written.ok) return respond(reply, written);
        return { upserted: written.value, released: await releaseUnmapped(db, channelId) };
      },
    );
  });

  app.get<{ Params: Static<typeof ChannelParams>; Querystring: Static<typeof ListQuery> & { limit: number } }>(
    '/channels/:id/catalog-mappings',
    {
      config: { permission: 'catalog:read' },
      schema: {
        tags,
        summary: "A channel's catalog mappings, in (product_id, variant_id) order",
        description: DESCRIPTION,
        params: ChannelParams,
        querystring: ListQuery,
      },
    },
    async (request, reply) => {
      // Another channel's mappings are not a channel key's to see, nor to learn of.
      if (!canSeeChannel(request.principal, request.params.id))
        return sendProblem(reply, problem('not_found', `No channel ${request.params.id}.`));
      const q = request.query;
      const after = decodeCursor<string>(q.cursor, 'string');
      const rows = await listMappings(db, request.params.id, {
        productId: q.product_id,
        sku: q.sku,
        after: after === undefined ? undefined : (JSON.parse(after) as [string, string]),
        limit: q.limit,
      });
      const result = page(rows, q.limit, (m) => JSON.stringify([m.product_id, m.variant_id]));
      return { data: result.data, next_cursor: result.next_cursor };
    },
  );

  app.delete<{ Params: Static<typeof ItemParams>; Querystring: Static<typeof VariantQuery> }>(
    '/channels/:id/catalog-mappings/:product_id',
    {
      config: { permission: 'catalog:write' },
      schema: {
        tags,
        summary: "Delete a platform item's mapping (?variant_id= for a variant's; without it, the whole product's)",
        params: ItemParams,
        querystring: VariantQuery,
      },
    },
    async (request, reply) => {
      const { id, product_id } = request.params;
      const deleted = await deleteMapping(db, id, product_id, request.query.variant_id ?? '');
      return deleted.ok ? reply.code(204).send() : respond(reply, deleted);
    },
  );
}

function bodyRows(body: Static<typeof MappingsBody>): { rows: MappingInput[]; pointerOf: (i: number) => string } {
  return { rows: body.mappings, pointerOf: (i) => `/mappings/${i}/sku` };
}
