import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/index.ts';
import { sendProblem } from '../http/errors.ts';
import { resolveLocationScope } from '../network/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import type { ReadOn } from '../http/read-after.ts';
import { getAvailability, getAvailabilityBody, SHORT_SKU_LIST } from './availability.ts';
import { getAvailabilityOn, getTimeline } from './availability-on.ts';
import {
  AvailabilityBody,
  AvailabilityQuery,
  AvailabilityResponse,
  TimelineQuery,
  TimelineResponse,
} from './schemas.ts';
import { isCalendarDay, today } from './supply-plan.ts';

const MAX_SKUS = 1000;

interface Scope {
  location_group?: string | undefined;
  channel?: string | undefined;
  location_id?: string | undefined;
  on?: string | undefined;
}

/** The locations in the asked scope; a channel key sees what its own channel may sell, whatever it asks for. */
function scopeOf(db: Db, request: FastifyRequest, scope: Scope) {
  const channelId = request.principal.role === 'channel' ? (request.principal.channelId ?? undefined) : scope.channel;
  return resolveLocationScope(db, { channelId, locationGroupId: scope.location_group, locationId: scope.location_id });
}

/** A day that is over cannot be promised any more. */
function pastDay(on: string) {
  if (!isCalendarDay(on)) {
    return problem('validation_failed', `on ${on} is not a day of the calendar.`, {
      errors: [{ pointer: '/on', message: 'is not a day of the calendar' }],
    });
  }
  const now = today();
  if (on >= now) return undefined;
  return problem('date_in_past', `${on} is before today (${now}, UTC); ask for today or a later day.`, {
    on,
    today: now,
    errors: [{ pointer: '/on', message: `is before ${now}` }],
  });
}

/** What an availability call answers: a body to serialize, or (a long list) the JSON text the database wrote. */
type Answer = { body: object } | { json: string };

async function answer(read: ReadOn, request: FastifyRequest, reply: FastifyReply, skus: string[], scope: Scope) {
  if (skus.length === 0 || skus.length > MAX_SKUS) {
    return sendProblem(
      reply,
      problem('validation_failed', `Ask for 1 to ${MAX_SKUS} SKUs per call (got ${skus.length}).`),
    );
  }
  const past = scope.on === undefined ? undefined : pastDay(scope.on);
  if (past) return sendProblem(reply, past);
  const answered = await read(request, async (db): Promise<Result<Answer>> => {
    const resolved = await scopeOf(db, request, scope);
    if (!resolved.ok) return resolved;
    if (scope.on !== undefined) return ok({ body: await getAvailabilityOn(db, skus, resolved.value, scope.on) });
    if (new Set(skus).size <= SHORT_SKU_LIST) return ok({ body: await getAvailability(db, skus, resolved.value) });
    return ok({ json: await getAvailabilityBody(db, skus, resolved.value) });
  });
  if (!answered.ok) return sendProblem(reply, answered.problem);
  if ('body' in answered.value) return reply.send(answered.value.body);
  // A long list's body is written by the database, as the AvailabilityResponse serializer would
  // write it (test/api/availability-body.test.ts holds the two to the same bytes). A string with a
  // JSON content type goes out as it is: Fastify skips the response serializer, and the schema
  // still documents the answer.
  return reply.type('application/json; charset=utf-8').send(answered.value.json);
}

export function availabilityRoutes(app: FastifyInstance, read: ReadOn): void {
  const config = { permission: 'availability:read' } as const;
  const tags = ['availability'];
  app.get<{ Querystring: AvailabilityQuery }>(
    '/availability',
    {
      config,
      schema: {
        tags,
        summary: 'Available-to-promise per SKU: total and per location',
        description:
          'available = max(0, on_hand − reserved − safety_stock) over active locations in scope (a location group, a channel’s group, one location, or the whole network).',
        querystring: AvailabilityQuery,
        response: { 200: AvailabilityResponse },
      },
    },
    (request, reply) => {
      const skus = request.query.skus
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      return answer(read, request, reply, skus, request.query);
    },
  );
  app.post<{ Body: AvailabilityBody }>(
    '/availability/query',
    {
      config,
      schema: {
        tags,
        summary: 'The same as GET /v1/availability, with the SKUs in a JSON body',
        body: AvailabilityBody,
        response: { 200: AvailabilityResponse },
      },
    },
    (request, reply) => answer(read, request, reply, request.body.skus, request.body),
  );
  app.get<{ Querystring: TimelineQuery }>(
    '/availability/timeline',
    {
      config,
      schema: {
        tags,
        summary: 'One SKU’s availability over time per location: stock now, supply to come, promises',
        description:
          'Each day on which stock is available or open supply is expected, per location in scope: what arrives, what waiting orders are promised from it (oldest order first), and what is available from that day on.',
        querystring: TimelineQuery,
        response: { 200: TimelineResponse },
      },
    },
    async (request, reply) => {
      const { sku } = request.query;
      const timeline = await read(request, async (db) => {
        const resolved = await scopeOf(db, request, request.query);
        if (!resolved.ok) return resolved;
        const known = await getAvailability(db, [sku], null);
        if (known.unknown_skus.length > 0) return fail(problem('not_found', `No product ${sku}.`));
        return ok({ sku, locations: await getTimeline(db, sku, resolved.value) });
      });
      return timeline.ok ? timeline.value : sendProblem(reply, timeline.problem);
    },
  );
}
