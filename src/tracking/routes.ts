import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { canSeeChannel, canTouchLocation } from '../auth/index.ts';
import type { Db } from '../db/index.ts';
import type { AppContext } from '../http/app.ts';
import { sendProblem } from '../http/errors.ts';
import { runCreate } from '../http/idempotency.ts';
import { respond } from '../http/respond.ts';
import { problem } from '../shared/problem.ts';
import { ok } from '../shared/result.ts';
import { ownEvents } from './own-format.ts';
import { carrierSources, type CarrierSource } from './parsers/index.ts';
import { getShipment, shipmentScope } from './read-shipment.ts';
import { recordTrackingEvents } from './record-events.ts';
import { webhookSecretsFromEnv, type WebhookSecrets } from './signatures.ts';
import { trackingStatuses } from './statuses.ts';
import { receiveCarrierWebhook } from './webhook.ts';

const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const CarrierParams = Type.Object({ carrier: Type.String({ maxLength: 32 }) });
const WebhookQuery = Type.Object({ token: Type.Optional(Type.String({ maxLength: 500 })) });

const TrackingEventsBody = Type.Object(
  {
    events: Type.Array(
      Type.Object(
        {
          status: Type.Union(trackingStatuses.map((s) => Type.Literal(s))),
          description: Type.Optional(Type.String({ maxLength: 1000 })),
          location: Type.Optional(Type.String({ maxLength: 500 })),
          occurred_at: Type.String({ format: 'date-time' }),
          id: Type.Optional(
            Type.String({
              minLength: 1,
              maxLength: 200,
              description: 'Your identity for the event: a repeat of it is ignored.',
            }),
          ),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 500 },
    ),
  },
  { additionalProperties: false },
);
type TrackingEventsBody = Static<typeof TrackingEventsBody>;

/**
 * Who may see or post to a shipment: admins and agents any; channel keys their channel's;
 * fulfillment keys the shipments that left their locations. Answers 404 otherwise.
 */
async function visibleShipment(db: Db, request: FastifyRequest, reply: FastifyReply, id: string): Promise<boolean> {
  const scope = await shipmentScope(db, id);
  const p = request.principal;
  const hidden =
    !scope ||
    !canSeeChannel(p, scope.channel_id) ||
    (p.role === 'fulfillment' && !canTouchLocation(p, scope.location_id));
  if (hidden) sendProblem(reply, problem('not_found', `No shipment ${id}.`));
  return !hidden;
}

export function trackingRoutes(
  app: FastifyInstance,
  { database: { db } }: AppContext,
  secrets: WebhookSecrets = webhookSecretsFromEnv(),
): void {
  const tags = ['tracking'];

  app.post<{ Params: { id: string }; Body: TrackingEventsBody }>(
    '/shipments/:id/tracking-events',
    {
      config: { permission: 'tracking:write', idempotent: true },
      schema: {
        tags,
        summary: 'Record tracking events for a shipment in Consign’s own format',
        description:
          'Events are deduplicated by `id` (or by status, time and description when there is none) and may arrive in any order: the latest event sets the status, and `delivered` / `returned_to_sender` are final. Delivery moves the shipped units to delivered and updates the order. 201 when something new was recorded, 200 when everything was a repeat.',
        params: IdParams,
        body: TrackingEventsBody,
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      if (!(await visibleShipment(db, request, reply, id))) return reply;
      return runCreate(db, request, reply, async (tx) => {
        const result = await recordTrackingEvents(tx, id, {
          source: 'api',
          events: ownEvents(request.body),
          actor: request.principal.keyId,
        });
        if (!result.ok) return result;
        const shipment = await getShipment(tx, id);
        const { recorded, duplicates } = result.value;
        return ok({ status: recorded > 0 ? 201 : 200, body: { recorded, duplicates, shipment } });
      });
    },
  );

  app.get<{ Params: { id: string } }>(
    '/shipments/:id',
    {
      config: { permission: 'orders:read' },
      schema: { tags, summary: 'A shipment with its lines and tracking timeline', params: IdParams },
    },
    async (request, reply) => {
      if (!(await visibleShipment(db, request, reply, request.params.id))) return reply;
      return getShipment(db, request.params.id);
    },
  );

  // The webhooks need the body byte for byte to check its signature, so this scope (and only
  // this scope) keeps JSON bodies raw; the handler parses them once the signature verifies.
  app.register(async (scope) => {
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    scope.post<{ Params: { carrier: string }; Querystring: Static<typeof WebhookQuery> }>(
      '/webhooks/carriers/:carrier',
      {
        config: {}, // no API key: the service's signature is the authentication
        schema: {
          tags,
          security: [],
          summary: 'Tracking webhooks from EasyPost, Shippo and AfterShip, in their own formats',
          description:
            'Send the service’s webhook body unchanged. EasyPost: `X-Hmac-Signature` with the webhook secret (CONSIGN_EASYPOST_WEBHOOK_SECRET). AfterShip: `aftership-hmac-sha256` (CONSIGN_AFTERSHIP_WEBHOOK_SECRET). Shippo: `?token=` in the webhook URL (CONSIGN_SHIPPO_WEBHOOK_TOKEN), plus `Shippo-Auth-Signature` when CONSIGN_SHIPPO_WEBHOOK_HMAC_SECRET is set. 200 when recorded; 202 when valid but ignored (another event type, or a tracking number Consign does not know); 401 when the signature does not verify; 503 when the secret is not configured.',
          params: CarrierParams,
          querystring: WebhookQuery,
        },
      },
      async (request, reply) => {
        const carrier = request.params.carrier;
        if (!(carrierSources as readonly string[]).includes(carrier)) {
          return sendProblem(
            reply,
            problem(
              'not_found',
              `Consign takes tracking webhooks from ${carrierSources.join(', ')}; not from "${carrier}".`,
            ),
          );
        }
        const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const answer = await receiveCarrierWebhook(
          db,
          carrier as CarrierSource,
          { rawBody, headers: request.headers, query: request.query, nowMs: Date.now() },
          secrets,
        );
        return answer.ok ? reply.code(answer.value.status).send(answer.value.body) : respond(reply, answer);
      },
    );
  });
}
