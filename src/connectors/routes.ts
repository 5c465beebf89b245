import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { inTransaction } from '../db/index.ts';
import type { AppContext } from '../http/app.ts';
import { sendProblem } from '../http/errors.ts';
import { respond } from '../http/respond.ts';
import { problem } from '../shared/problem.ts';
import { ok, type Result } from '../shared/result.ts';
import { platforms, type Platform } from './mapping.ts';
import type { EventIntake } from './lifecycle/event.ts';
import type { Intake } from './place.ts';
import { receivePlatformOrder } from './receive.ts';
import { catalogMappingRoutes } from './catalog/routes.ts';
import { connectorHealthRoutes } from './health/routes.ts';
import { listReviews, placeReviewed } from './reviews.ts';
import { ConnectorSettings, presentConnector, putConnector, readConnector } from './settings.ts';
import { signatureHeaders } from './signature.ts';

const PlatformParams = Type.Object({ platform: Type.String({ maxLength: 32 }) });
const ChannelQuery = Type.Object({ channel: Type.Optional(Type.String({ maxLength: 64 })) });
const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const ReviewQuery = Type.Object({
  status: Type.Optional(Type.Union([Type.Literal('held'), Type.Literal('placed'), Type.Literal('dismissed')])),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});

function sendIntake(reply: Parameters<typeof respond>[0], result: Result<Intake | EventIntake>) {
  if (!result.ok) return respond(reply, result);
  const { status, ...body } = result.value;
  return reply.code(status).send(body);
}

export function connectorRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context.database;
  const tags = ['connectors'];
  catalogMappingRoutes(app, context);
  connectorHealthRoutes(app, context);

  // Signatures cover the exact bytes, and platform IDs exceed 2^53: these routes (only these)
  // keep JSON bodies raw and parse them themselves once the signature verifies.
  app.register(async (scope) => {
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    scope.post<{ Params: { platform: string }; Querystring: Static<typeof ChannelQuery> }>(
      '/connectors/:platform/orders',
      {
        config: {}, // no API key: the platform's signature under the channel's secret is the authentication
        schema: {
          tags,
          security: [],
          summary: 'A platform order in its own format → a Consign order',
          description: `Shopify (orders/create webhook or REST order), WooCommerce (REST order), BigCommerce (v2 order with products and shipping_addresses embedded), sfcc (SCAPI order), amazon (SP-API v0 {Order, OrderItems} or 2026-01-01 {order}). Signature headers: ${Object.entries(
            signatureHeaders,
          )
            .map(([p, h]) => `${p}: ${h}`)
            .join(
              '; ',
            )}. Cancellations, refunds and edits come here too (Shopify X-Shopify-Topic, WooCommerce X-WC-Webhook-Topic, BigCommerce store/order/statusUpdated). 201 created, 200 already received or updated (same platform order ID) or ignored, 202 held for review (also: a line with no SKU and no catalog mapping, problem unmapped_item, whatever on_mismatch says; placed once the mapping exists) or kept until its order arrives, 401 bad signature (no order written; recorded as the connector's last error). Line SKUs come from the channel's catalog mapping (/v1/channels/{id}/catalog-mappings) of the platform product/variant, else the SKU sent.`,
          params: PlatformParams,
          querystring: ChannelQuery,
        },
      },
      async (request, reply) => {
        const platform = request.params.platform;
        if (!(platforms as readonly string[]).includes(platform)) {
          return sendProblem(
            reply,
            problem('not_found', `Connectors exist for ${platforms.join(', ')}; not "${platform}".`),
          );
        }
        const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const result = await receivePlatformOrder(db, platform as Platform, {
          rawBody,
          headers: request.headers,
          channel: request.query.channel,
        });
        return sendIntake(reply, result);
      },
    );
  });

  app.put<{ Params: { id: string }; Body: ConnectorSettings }>(
    '/channels/:id/connector',
    {
      config: { permission: 'network:write' },
      schema: {
        tags,
        summary: "Set a channel's connector: platform, secret, mismatch policy, outbound endpoint, polling",
        description: 'Secrets are stored and never shown again. Changing the polling settings restarts its cursor.',
        params: IdParams,
        body: ConnectorSettings,
      },
    },
    async (request, reply) => {
      const result = await inTransaction(db, async (tx) => {
        const row = await putConnector(tx, request.params.id, request.body);
        return row.ok ? ok(presentConnector(row.value)) : row;
      });
      return respond(reply, result);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/channels/:id/connector',
    { config: { permission: 'network:write' }, schema: { tags, summary: "A channel's connector", params: IdParams } },
    async (request, reply) => {
      const row = await readConnector(db, request.params.id);
      if (!row) return sendProblem(reply, problem('not_found', `Channel ${request.params.id} has no connector.`));
      return presentConnector(row);
    },
  );

  app.get<{ Querystring: Static<typeof ReviewQuery> & { limit: number } }>(
    '/connectors/reviews',
    {
      config: { permission: 'orders:manage' },
      schema: {
        tags,
        summary:
          'Platform orders held for review instead of placed (unmapped items are placed when their catalog mapping is added)',
        querystring: ReviewQuery,
      },
    },
    async (request) => ({ data: await listReviews(db, request.query.status, request.query.limit) }),
  );

  app.post<{ Params: { id: string } }>(
    '/connectors/reviews/:id/place',
    {
      config: { permission: 'orders:manage' },
      schema: { tags, summary: 'Place a held platform order, unchanged, once its cause is fixed', params: IdParams },
    },
    async (request, reply) => sendIntake(reply, await placeReviewed(db, request.params.id)),
  );
}
