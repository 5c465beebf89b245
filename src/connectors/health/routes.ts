import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/app.ts';
import { found } from '../../http/respond.ts';
import { connectorHealth, listConnectorHealth } from './health.ts';

const ChannelParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const DESCRIPTION =
  "`last_order_received_at`: the last platform order placed or held for review; `last_error`: the latest of an order refused (`source: inbound`), a poll that failed (`polling`) and an outbound delivery that failed (`outbound`); `review_queue`: orders held for review; `outbound.backlog` and `outbound.oldest_undelivered_at`: messages the channel's outbound endpoint has not accepted yet (queued, retrying or dead), null without an endpoint.";

/** `GET /v1/channels/{id}/connector/health` and `GET /v1/connectors/health`. */
export function connectorHealthRoutes(app: FastifyInstance, { database: { db } }: AppContext): void {
  const tags = ['connectors'];
  app.get<{ Params: Static<typeof ChannelParams> }>(
    '/channels/:id/connector/health',
    {
      config: { permission: 'orders:manage' },
      schema: { tags, summary: "A channel connector's health", description: DESCRIPTION, params: ChannelParams },
    },
    async (request, reply) =>
      found(reply, await connectorHealth(db, request.params.id), `connector on channel ${request.params.id}`),
  );
  app.get(
    '/connectors/health',
    {
      config: { permission: 'orders:manage' },
      schema: { tags, summary: "Every channel connector's health", description: DESCRIPTION },
    },
    async () => ({ data: await listConnectorHealth(db), next_cursor: null }),
  );
}
