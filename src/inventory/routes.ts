import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { canTouchLocation } from '../auth/index.ts';
import { inTransaction } from '../db/index.ts';
import type { AppContext } from '../http/app.ts';
import { sendProblem } from '../http/errors.ts';
import { requestHash, runCreate } from '../http/idempotency.ts';
import { decodeCursor, encodeCursor } from '../http/pagination.ts';
import { created, found, respond } from '../http/respond.ts';
import { INT4_MAX } from '../http/schemas.ts';
import { resolveLocationId } from '../network/index.ts';
import { problem, type Problem } from '../shared/problem.ts';
import { ok } from '../shared/result.ts';
import { applyAdjustments } from './adjustments.ts';
import { availabilityRoutes } from './availability-routes.ts';
import { getFeed, ingestFeed } from './feeds.ts';
import { listLedger } from './ledger.ts';
import { listStockLevels, setStockLevel } from './levels.ts';
import { readLevel } from './movements.ts';
import { AdjustmentBody, FeedBody, LedgerQuery, LevelParams, SetLevelBody } from './schemas.ts';

const FEED_BODY_LIMIT = 16 * 1024 * 1024;

/** A fulfillment key may write stock only at its own locations. */
function locationsForbidden(request: FastifyRequest, locationIds: string[]): Problem | undefined {
  const denied = [...new Set(locationIds)].filter((id) => !canTouchLocation(request.principal, id));
  if (denied.length === 0) return undefined;
  return problem('forbidden', `This key may not change stock at ${denied.join(', ')}.`, { location_ids: denied });
}

export function inventoryRoutes(app: FastifyInstance, { database: { db }, reads }: AppContext): void {
  const read = { permission: 'inventory:read' } as const;
  const tags = ['inventory'];
  /** The location's ID, given its ID or code; an unknown one as given (the count reports it). */
  const locationOf = async (idOrCode: string) => (await resolveLocationId(db, idOrCode)) ?? idOrCode;

  app.put<{ Params: LevelParams; Body: SetLevelBody }>(
    '/inventory/:location_id/:sku',
    {
      config: { permission: 'inventory:write' },
      schema: {
        tags,
        summary: 'Set on_hand (a count) and safety stock of one SKU at one location',
        params: LevelParams,
        body: SetLevelBody,
      },
    },
    async (request, reply) => {
      const { sku } = request.params;
      const locationId = await locationOf(request.params.location_id);
      const forbidden = locationsForbidden(request, [locationId]);
      if (forbidden) return sendProblem(reply, forbidden);
      const { on_hand, safety_stock, as_of, reason } = request.body;
      const result = await inTransaction(db, (tx) =>
        setStockLevel(tx, {
          locationId,
          sku,
          onHand: on_hand,
          safetyStock: safety_stock,
          asOf: as_of,
          reason,
          actor: request.principal.keyId,
        }),
      );
      return respond(reply, result);
    },
  );
  app.get<{ Params: LevelParams }>(
    '/inventory/:location_id/:sku',
    { config: read, schema: { tags, summary: 'One stock level', params: LevelParams } },
    async (request) => readLevel(db, await locationOf(request.params.location_id), request.params.sku),
  );
  app.get<{
    Querystring: {
      limit: number;
      cursor?: string;
      location_id?: string;
      sku?: string;
      q?: string;
      max_available?: number;
    };
  }>(
    '/inventory/levels',
    {
      config: read,
      schema: {
        tags,
        summary: 'Stock levels by location and SKU',
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
          cursor: Type.Optional(Type.String({ maxLength: 300 })),
          location_id: Type.Optional(Type.String({ maxLength: 64 })),
          sku: Type.Optional(Type.String({ maxLength: 100 })),
          q: Type.Optional(
            Type.String({ minLength: 1, maxLength: 100, description: 'SKU or product name contains (any case)' }),
          ),
          max_available: Type.Optional(
            Type.Integer({
              minimum: 0,
              maximum: INT4_MAX,
              description: 'Only levels with at most this many available (low stock)',
            }),
          ),
        }),
      },
    },
    async (request) => {
      const { limit, cursor, location_id, sku, q, max_available } = request.query;
      const after = decodeCursor<string>(cursor, 'string');
      const [afterSku, afterLocation] = after ? (JSON.parse(after) as [string, string]) : [];
      const rows = await listStockLevels(db, {
        locationId: location_id,
        sku,
        search: q,
        maxAvailable: max_available,
        after:
          afterSku !== undefined && afterLocation !== undefined
            ? { sku: afterSku, locationId: afterLocation }
            : undefined,
        limit: limit + 1,
      });
      const data = rows.slice(0, limit);
      const last = data.at(-1);
      return {
        data,
        next_cursor: rows.length > limit && last ? encodeCursor(JSON.stringify([last.sku, last.location_id])) : null,
      };
    },
  );

  app.post<{ Body: AdjustmentBody }>(
    '/inventory/adjustments',
    {
      config: { permission: 'inventory:write', idempotent: true },
      schema: { tags, summary: 'Receipts, adjustments and transfers, applied all or nothing', body: AdjustmentBody },
    },
    (request, reply) => {
      const body = request.body;
      const forbidden = locationsForbidden(
        request,
        body.movements.flatMap((m) => [m.location_id, ...(m.to_location_id ? [m.to_location_id] : [])]),
      );
      if (forbidden) return sendProblem(reply, forbidden);
      return runCreate(db, request, reply, (tx) =>
        created(applyAdjustments(tx, { ...body, actor: request.principal.keyId })),
      );
    },
  );

  app.get<{ Querystring: LedgerQuery }>(
    '/inventory/ledger',
    {
      config: read,
      schema: {
        tags,
        summary: 'The immutable movement ledger, oldest first (order=desc: newest first)',
        querystring: LedgerQuery,
      },
    },
    async (request) => {
      const { limit, cursor, sku, location_id, kind, reference_id, order } = request.query;
      const rows = await listLedger(db, {
        sku,
        locationId: location_id,
        kind,
        referenceId: reference_id,
        order,
        after: decodeCursor<number>(cursor, 'number'),
        limit: limit + 1,
      });
      const data = rows.slice(0, limit);
      return { data, next_cursor: rows.length > limit ? encodeCursor(data.at(-1)!.id) : null };
    },
  );

  app.post<{ Body: FeedBody }>(
    '/inventory/feeds',
    {
      bodyLimit: FEED_BODY_LIMIT,
      config: { permission: 'inventory:write', idempotent: true },
      schema: {
        tags,
        summary: 'Bulk snapshot or delta from ERP/WMS/POS (up to 10,000 rows), idempotent by feed_id',
        description:
          'All rows apply or none do. Rows older than the newest count applied to their level are skipped as stale. An as_of more than 5 minutes in the future is refused (422 as_of_in_future). Resending a feed_id returns the first result with `replayed: true`.',
        body: FeedBody,
      },
    },
    (request, reply) => {
      const forbidden = locationsForbidden(
        request,
        request.body.rows.map((r) => r.location_id),
      );
      if (forbidden) return sendProblem(reply, forbidden);
      const hash = requestHash('POST', '/v1/inventory/feeds', request.body);
      return runCreate(db, request, reply, async (tx) => {
        const result = await ingestFeed(tx, request.body, hash, request.principal.keyId);
        if (!result.ok) return result;
        return ok({ status: result.value.replayed ? 200 : 201, body: result.value });
      });
    },
  );
  app.get<{ Params: { feed_id: string } }>(
    '/inventory/feeds/:feed_id',
    {
      config: read,
      schema: {
        tags,
        summary: 'A received feed and its counts',
        params: Type.Object({ feed_id: Type.String({ maxLength: 200 }) }),
      },
    },
    async (request, reply) => found(reply, await getFeed(db, request.params.feed_id), `feed ${request.params.feed_id}`),
  );

  availabilityRoutes(app, reads);
}
