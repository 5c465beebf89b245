import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { canTouchLocation } from '../auth/index.ts';
import { inTransaction, type Db } from '../db/index.ts';
import type { AppContext } from '../http/app.ts';
import { sendProblem } from '../http/errors.ts';
import { runCreate } from '../http/idempotency.ts';
import { decodeCursor, page } from '../http/pagination.ts';
import { created, found, respond } from '../http/respond.ts';
import { Sku } from '../http/schemas.ts';
import { resolveLocationId } from '../network/index.ts';
import { problem } from '../shared/problem.ts';
import { ingestSupplyFeed } from './feeds.ts';
import { getPreorder, setPreorder } from './preorders.ts';
import { receiveSupply } from './receive.ts';
import {
  CreateSupply,
  PreorderBody,
  ReceiveSupply,
  SupplyFeed,
  SupplyParams,
  SupplyQuery,
  UpdateSupply,
} from './schemas.ts';
import { cancelSupply, createSupply, getSupply, listSupplies, updateSupply } from './supplies.ts';

const tags = ['supply'];
const write = { permission: 'inventory:write' } as const;
const read = { permission: 'inventory:read' } as const;

/** A fulfillment key changes supply only at its own locations (IDs or codes, as sent). */
async function forbiddenAt(db: Db, request: FastifyRequest, reply: FastifyReply, idsOrCodes: string[]) {
  const ids = await Promise.all(idsOrCodes.map(async (id) => (await resolveLocationId(db, id)) ?? id));
  const denied = [...new Set(ids)].filter((id) => !canTouchLocation(request.principal, id));
  if (denied.length === 0) return undefined;
  return sendProblem(
    reply,
    problem('forbidden', `This key may not change supply at ${denied.join(', ')}.`, { location_ids: denied }),
  );
}

/** The supply's location must be the key's to change it; an unknown supply answers 404. */
async function forbiddenSupply(db: Db, request: FastifyRequest<{ Params: SupplyParams }>, reply: FastifyReply) {
  const supply = await getSupply(db, request.params.supply_id);
  if (!supply) return sendProblem(reply, problem('not_found', `No supply ${request.params.supply_id}.`));
  return forbiddenAt(db, request, reply, [supply.location_id]);
}

export function supplyRoutes(app: FastifyInstance, { database: { db } }: AppContext): void {
  const params = SupplyParams;
  app.post<{ Body: CreateSupply }>(
    '/supplies',
    {
      config: { ...write, idempotent: true },
      schema: {
        tags,
        summary: 'Record inbound supply: a purchase order, ASN or transfer expected at a location on a day',
        body: CreateSupply,
      },
    },
    async (request, reply) =>
      (await forbiddenAt(db, request, reply, [request.body.location_id])) ??
      runCreate(db, request, reply, (tx) => created(createSupply(tx, request.body, request.principal.keyId))),
  );
  app.get<{ Querystring: SupplyQuery }>(
    '/supplies',
    { config: read, schema: { tags, summary: 'Inbound supply, oldest first', querystring: SupplyQuery } },
    async (request) => {
      const { limit, cursor, status, sku, location_id } = request.query;
      const locationId = location_id && ((await resolveLocationId(db, location_id)) ?? location_id);
      const rows = await listSupplies(db, {
        status,
        sku,
        locationId,
        after: decodeCursor<string>(cursor, 'string'),
        limit: limit + 1,
      });
      return page(rows, limit, (r) => r.id);
    },
  );
  app.get<{ Params: SupplyParams }>(
    '/supplies/:supply_id',
    { config: read, schema: { tags, summary: 'One supply with its lines', params } },
    async (request, reply) =>
      found(reply, await getSupply(db, request.params.supply_id), `supply ${request.params.supply_id}`),
  );
  app.patch<{ Params: SupplyParams; Body: UpdateSupply }>(
    '/supplies/:supply_id',
    {
      config: write,
      schema: {
        tags,
        summary: 'Move an open supply’s expected day or set its lines; promises that move are announced',
        params,
        body: UpdateSupply,
      },
    },
    async (request, reply) =>
      (await forbiddenSupply(db, request, reply)) ??
      respond(
        reply,
        await inTransaction(db, (tx) =>
          updateSupply(tx, request.params.supply_id, request.body, request.principal.keyId),
        ),
      ),
  );
  app.post<{ Params: SupplyParams }>(
    '/supplies/:supply_id/cancel',
    { config: write, schema: { tags, summary: 'Cancel an open supply', params } },
    async (request, reply) =>
      (await forbiddenSupply(db, request, reply)) ??
      respond(
        reply,
        await inTransaction(db, (tx) => cancelSupply(tx, request.params.supply_id, request.principal.keyId)),
      ),
  );
  app.post<{ Params: SupplyParams; Body: ReceiveSupply }>(
    '/supplies/:supply_id/receive',
    {
      config: { ...write, idempotent: true },
      schema: {
        tags,
        summary: 'Receive an open supply: its units go on hand and serve waiting orders, oldest first',
        params,
        body: ReceiveSupply,
      },
    },
    async (request, reply) =>
      (await forbiddenSupply(db, request, reply)) ??
      runCreate(db, request, reply, (tx) =>
        created(receiveSupply(tx, request.params.supply_id, request.body, request.principal.keyId), 200),
      ),
  );
  app.post<{ Body: SupplyFeed }>(
    '/supplies/feeds',
    {
      bodyLimit: 16 * 1024 * 1024,
      config: { ...write, idempotent: true },
      schema: {
        tags,
        summary: 'Bulk expected supply from an ERP (up to 10,000 rows), all or nothing',
        description:
          'Rows with the same kind and reference are one supply: created when new, else its day and lines set to the rows’ while it is open. Any invalid row rejects the feed (422 feed_rejected with every row’s error) and nothing is written.',
        body: SupplyFeed,
      },
    },
    async (request, reply) =>
      (await forbiddenAt(
        db,
        request,
        reply,
        request.body.rows.map((r) => r.location_id),
      )) ??
      runCreate(db, request, reply, (tx) => created(ingestSupplyFeed(tx, request.body, request.principal.keyId), 200)),
  );

  const skuParams = Type.Object({ sku: Sku });
  app.get<{ Params: { sku: string } }>(
    '/products/:sku/preorder',
    {
      config: { permission: 'catalog:read' },
      schema: { tags, summary: 'A SKU’s pre-order policy and the units waiting for it', params: skuParams },
    },
    async (request, reply) => found(reply, await getPreorder(db, request.params.sku), `product ${request.params.sku}`),
  );
  app.put<{ Params: { sku: string }; Body: PreorderBody }>(
    '/products/:sku/preorder',
    {
      config: { permission: 'catalog:write' },
      schema: {
        tags,
        summary: 'Turn pre-orders of a SKU on or off and cap the units that may wait for supply',
        params: skuParams,
        body: PreorderBody,
      },
    },
    async (request, reply) =>
      respond(
        reply,
        await inTransaction(db, (tx) => setPreorder(tx, request.params.sku, request.body, request.principal.keyId)),
      ),
  );
}
