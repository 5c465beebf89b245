import { Type, type Static } from '@sinclair/typebox';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { queryOne } from '../db/index.ts';
import type { AppContext } from '../http/app.ts';
import { sendProblem } from '../http/errors.ts';
import { resolveChannelId } from '../network/index.ts';
import { problem } from '../shared/problem.ts';
import { channelPolicy, productPolicies, setChannelPolicy, setProductPolicy } from './policy.ts';
import { ChannelPolicyBody, ProductPolicyBody } from './schemas.ts';

const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const SkuParams = Type.Object({ sku: Type.String({ maxLength: 100 }) });

/** Return windows and refund rules: per channel, with per-product overrides of the window. */
export function returnPolicyRoutes(app: FastifyInstance, { database: { db } }: AppContext): void {
  const tags = ['returns'];
  const channelId = (idOrCode: string) => resolveChannelId(db, idOrCode);

  app.get<{ Params: { id: string } }>(
    '/channels/:id/return-policy',
    {
      config: { permission: 'returns:read' },
      schema: { tags, summary: 'The channel’s return policy', params: IdParams },
    },
    async (request, reply) => {
      const id = await channelId(request.params.id);
      if (!id) return sendProblem(reply, problem('not_found', `No channel ${request.params.id}.`));
      return { channel_id: id, ...(await channelPolicy(db, id)) };
    },
  );
  app.put<{ Params: { id: string }; Body: Static<typeof ChannelPolicyBody> }>(
    '/channels/:id/return-policy',
    {
      config: { permission: 'returns:configure' },
      schema: {
        tags,
        summary: 'Set the channel’s return window, authorization, shipping refund and restocking fee',
        params: IdParams,
        body: ChannelPolicyBody,
      },
    },
    async (request, reply) => {
      const id = await channelId(request.params.id);
      if (!id) return sendProblem(reply, problem('not_found', `No channel ${request.params.id}.`));
      await setChannelPolicy(db, id, request.body);
      return { channel_id: id, ...(await channelPolicy(db, id)) };
    },
  );
  app.get<{ Params: { sku: string } }>(
    '/products/:sku/return-policy',
    {
      config: { permission: 'returns:read' },
      schema: { tags, summary: 'The product’s return rules', params: SkuParams },
    },
    async (request) => {
      const sku = request.params.sku;
      return (await productPolicies(db, [sku])).get(sku) ?? { sku, window_days: null, returnable: true };
    },
  );
  app.put<{ Params: { sku: string }; Body: Static<typeof ProductPolicyBody> }>(
    '/products/:sku/return-policy',
    {
      config: { permission: 'returns:configure' },
      schema: {
        tags,
        summary: 'Override the return window for a product, or make it not returnable',
        params: SkuParams,
        body: ProductPolicyBody,
      },
    },
    async (request, reply) => {
      const sku = request.params.sku;
      const known = await queryOne(db, sql`select 1 from products where sku = ${sku}`);
      if (!known) return sendProblem(reply, problem('unknown_sku', `No product ${sku}.`));
      await setProductPolicy(db, { sku, ...request.body });
      return (await productPolicies(db, [sku])).get(sku);
    },
  );
}
