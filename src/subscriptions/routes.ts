import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { inTransaction, type Db } from '../db/index.ts';
import type { AppContext } from '../http/app.ts';
import { sendProblem } from '../http/errors.ts';
import { runCreate } from '../http/idempotency.ts';
import { parseValueList } from '../http/query-lists.ts';
import { resolveChannelId } from '../network/index.ts';
import { created, respond } from '../http/respond.ts';
import { problem, ProblemError } from '../shared/problem.ts';
import { createSubscription } from './create.ts';
import { actOnSubscription, updateSubscription } from './manage.ts';
import { getSubscription, listSubscriptions } from './read.ts';
import { ActionBody, CreateSubscription, ListQuery, UpdateSubscription } from './schemas.ts';
import { subscriptionActions, subscriptionStatuses, type SubscriptionAction } from './transitions.ts';

const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

const channelOf = (request: FastifyRequest) =>
  request.principal.role === 'channel' ? request.principal.channelId : null;

const actionOptions = (request: FastifyRequest, reason?: string) => ({
  actor: request.principal.keyId,
  channelOfKey: channelOf(request),
  now: new Date(),
  reason,
});

/** Lists what the key may see: a channel key only its own channel's subscriptions. */
async function listVisible(db: Db, request: FastifyRequest<{ Querystring: ListQuery }>) {
  const q = request.query;
  let channelId = q.channel && ((await resolveChannelId(db, q.channel)) ?? q.channel);
  channelId = channelOf(request) ?? channelId;
  const statuses = parseValueList(q.status, subscriptionStatuses, 'status');
  if (!statuses.ok) throw new ProblemError(statuses.problem);
  return listSubscriptions(db, {
    limit: q.limit,
    cursor: q.cursor,
    statuses: statuses.value,
    channelId,
    email: q.email,
  });
}

export function subscriptionRoutes(app: FastifyInstance, { database: { db } }: AppContext): void {
  const tags = ['subscriptions'];
  app.post<{ Body: CreateSubscription }>(
    '/subscriptions',
    {
      config: { permission: 'subscriptions:manage', idempotent: true },
      schema: {
        tags,
        summary: 'Create a subscription: recurring orders on a fixed interval or an RRULE',
        description:
          "Each period's order is placed through the same pipeline as POST /v1/orders, with the external ID `<subscription id>:<period>`.",
        body: CreateSubscription,
      },
    },
    (request, reply) =>
      runCreate(db, request, reply, (tx) => created(createSubscription(tx, request.body, actionOptions(request)))),
  );

  app.get<{ Querystring: ListQuery }>(
    '/subscriptions',
    {
      config: { permission: 'subscriptions:read' },
      schema: { tags, summary: 'List subscriptions, newest first', querystring: ListQuery },
    },
    (request) => listVisible(db, request),
  );

  app.get<{ Params: { id: string } }>(
    '/subscriptions/:id',
    {
      config: { permission: 'subscriptions:read' },
      schema: { tags, summary: 'A subscription with its periods and attempts', params: IdParams },
    },
    async (request, reply) => {
      const found = await getSubscription(db, request.params.id);
      const own = channelOf(request);
      if (!found || (own !== null && found.channel_id !== own))
        return sendProblem(reply, problem('not_found', `No subscription ${request.params.id}.`));
      return found;
    },
  );

  app.patch<{ Params: { id: string }; Body: UpdateSubscription }>(
    '/subscriptions/:id',
    {
      config: { permission: 'subscriptions:manage' },
      schema: {
        tags,
        summary: 'Change the payment method or address for the coming periods',
        params: IdParams,
        body: UpdateSubscription,
      },
    },
    async (request, reply) =>
      respond(
        reply,
        await inTransaction(db, (tx) =>
          updateSubscription(tx, request.params.id, request.body, actionOptions(request)),
        ),
      ),
  );

  actionRoutes(app, db, tags);
}

const ACTION_SUMMARIES: Record<SubscriptionAction, string> = {
  pause: 'Pause a subscription: no orders until it is resumed',
  resume: 'Resume a paused subscription; the periods that fell while paused are skipped',
  skip: 'Skip the next period of a subscription',
  cancel: 'Cancel a subscription for good',
};

/** `POST /subscriptions/{id}/{pause,resume,skip,cancel}`, one route per action of the table. */
function actionRoutes(app: FastifyInstance, db: Db, tags: string[]): void {
  for (const action of Object.keys(subscriptionActions) as SubscriptionAction[]) {
    app.post<{ Params: { id: string }; Body: ActionBody }>(
      `/subscriptions/:id/${action}`,
      {
        config: { permission: 'subscriptions:manage', idempotent: true },
        schema: {
          tags,
          summary: `${ACTION_SUMMARIES[action]} (allowed from: ${subscriptionActions[action].from.join(', ')})`,
          params: IdParams,
          body: Type.Optional(ActionBody),
        },
      },
      (request, reply) =>
        runCreate(db, request, reply, (tx) =>
          created(actOnSubscription(tx, request.params.id, action, actionOptions(request, request.body?.reason)), 200),
        ),
    );
  }
}
