import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { inTransaction, type Tx } from '../db/index.ts';
import type { AppContext } from '../http/app.ts';
import { sendProblem } from '../http/errors.ts';
import { runCreate, runOneStatementCreate } from '../http/idempotency.ts';
import { newId } from '../shared/ids.ts';
import { created, respond } from '../http/respond.ts';
import { Quantity, Sku } from '../http/schemas.ts';
import { resolveChannelId, resolveLocationScope } from '../network/index.ts';
import { problem } from '../shared/problem.ts';
import { createHold } from './hold.ts';
import { gatherMs, holdOneLine } from './hold-one-line.ts';
import { getReservation } from './read.ts';
import { releaseReservation } from './release.ts';
import { canSeeChannel } from '../auth/index.ts';

const HoldBody = Type.Object(
  {
    lines: Type.Array(
      Type.Object(
        { sku: Sku, quantity: Quantity, location_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 100 },
    ),
    expires_in_seconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 7 * 24 * 3600, default: 900 })),
    channel: Type.Optional(
      Type.String({ maxLength: 64, description: 'Channel ID or code: hold within its location group' }),
    ),
    location_group: Type.Optional(Type.String({ maxLength: 64 })),
    reference: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Your cart or checkout ID' })),
  },
  { additionalProperties: false },
);
type HoldBody = Static<typeof HoldBody>;
const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

export function reservationRoutes(app: FastifyInstance, { database: { db, engine } }: AppContext): void {
  const tags = ['reservations'];
  app.post<{ Body: HoldBody }>(
    '/reservations',
    {
      config: { permission: 'reservations:write', idempotent: true },
      schema: {
        tags,
        summary: 'Hold stock for a cart until it expires, is released, or becomes an order',
        description: 'All lines are held or none (409 insufficient_stock with per-line shortfalls).',
        body: HoldBody,
      },
    },
    async (request, reply) => {
      const body = request.body;
      const principal = request.principal;
      const channel = principal.role === 'channel' ? (principal.channelId ?? undefined) : body.channel;
      const input = (locationIds: string[] | null, channelId: string | null) => ({
        lines: body.lines,
        expiresInSeconds: body.expires_in_seconds ?? 900,
        locationIds,
        channelId,
        reference: body.reference,
        actor: principal.keyId,
      });
      const work = async (tx: Tx) => {
        const scope = await resolveLocationScope(tx, { channelId: channel, locationGroupId: body.location_group });
        if (!scope.ok) return scope;
        const channelId = channel === undefined ? null : ((await resolveChannelId(tx, channel)) ?? null);
        return created(createHold(tx, input(scope.value, channelId)));
      };
      const [line, ...more] = body.lines;
      if (line?.location_id === undefined || more.length > 0 || (channel && body.location_group)) {
        return runCreate(db, request, reply, work);
      }
      // The storefront's usual call: one line at a named location, one statement, no transaction.
      const located = { sku: line.sku, quantity: line.quantity, location_id: line.location_id };
      const scope = { channel, locationGroup: body.location_group };
      return runOneStatementCreate(
        db,
        request,
        reply,
        async (claim) => {
          // The statement records the ID of the channel `channel` names.
          const hold = { id: newId('res'), line: located, input: input(null, channel ?? null), scope, claim };
          const json = await holdOneLine(db, hold, gatherMs(engine));
          return json === undefined ? undefined : { status: 201, json };
        },
        work,
      );
    },
  );

  app.get<{ Params: { id: string } }>(
    '/reservations/:id',
    {
      config: { permission: 'reservations:read' },
      schema: { tags, summary: 'A hold and its lines', params: IdParams },
    },
    async (request, reply) => {
      const reservation = await getReservation(db, request.params.id);
      if (!reservation || !canSeeChannel(request.principal, reservation.channel_id)) {
        return sendProblem(reply, problem('not_found', `No reservation ${request.params.id}.`));
      }
      return reservation;
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/reservations/:id',
    {
      config: { permission: 'reservations:write' },
      schema: { tags, summary: 'Release a hold (idempotent)', params: IdParams },
    },
    async (request, reply) => {
      const reservation = await getReservation(db, request.params.id);
      if (!reservation || !canSeeChannel(request.principal, reservation.channel_id)) {
        return sendProblem(reply, problem('not_found', `No reservation ${request.params.id}.`));
      }
      return respond(
        reply,
        await inTransaction(db, (tx) => releaseReservation(tx, request.params.id, request.principal.keyId)),
      );
    },
  );
}
