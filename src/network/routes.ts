import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../http/app.ts';
import { runCreate } from '../http/idempotency.ts';
import { decodeCursor, page, PageQuery } from '../http/pagination.ts';
import { created, found, respond } from '../http/respond.ts';
import { inTransaction } from '../db/index.ts';
import { createChannel, getChannel, listChannels } from './channels.ts';
import { createLocationGroup, getLocationGroup, listLocationGroups, updateLocationGroup } from './location-groups.ts';
import { createLocation, getLocation, listLocations, updateLocation } from './locations.ts';
import {
  capabilities,
  CreateChannel,
  CreateLocation,
  CreateLocationGroup,
  locationTypes,
  UpdateLocation,
  UpdateLocationGroup,
} from './schemas.ts';

const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
type IdParams = { id: string };
type PageQs = { limit: number; cursor?: string };

export function networkRoutes(app: FastifyInstance, { database: { db } }: AppContext): void {
  const read = { permission: 'network:read' } as const;
  const write = { permission: 'network:write', idempotent: true } as const;

  app.post<{ Body: CreateLocation }>(
    '/locations',
    { config: write, schema: { tags: ['network'], summary: 'Create a location', body: CreateLocation } },
    (request, reply) => runCreate(db, request, reply, (tx) => created(createLocation(tx, request.body))),
  );
  app.get<{ Querystring: PageQs & { type?: string; capability?: string } }>(
    '/locations',
    {
      config: read,
      schema: {
        tags: ['network'],
        summary: 'List locations',
        querystring: Type.Object({
          ...PageQuery,
          type: Type.Optional(Type.Union(locationTypes.map((t) => Type.Literal(t)))),
          capability: Type.Optional(Type.Union(capabilities.map((c) => Type.Literal(c)))),
        }),
      },
    },
    async (request) => {
      const { limit, cursor, type, capability } = request.query;
      const rows = await listLocations(db, {
        type,
        capability,
        after: decodeCursor(cursor, 'string'),
        limit: limit + 1,
      });
      return page(rows, limit, (r) => r.id);
    },
  );
  app.get<{ Params: IdParams }>(
    '/locations/:id',
    { config: read, schema: { tags: ['network'], summary: 'Get a location', params: IdParams } },
    async (request, reply) => found(reply, await getLocation(db, request.params.id), `location ${request.params.id}`),
  );
  app.patch<{ Params: IdParams; Body: UpdateLocation }>(
    '/locations/:id',
    {
      config: { permission: 'network:write' },
      schema: { tags: ['network'], summary: 'Update a location', params: IdParams, body: UpdateLocation },
    },
    async (request, reply) =>
      respond(reply, await inTransaction(db, (tx) => updateLocation(tx, request.params.id, request.body))),
  );

  app.post<{ Body: CreateLocationGroup }>(
    '/location-groups',
    { config: write, schema: { tags: ['network'], summary: 'Create a location group', body: CreateLocationGroup } },
    (request, reply) => runCreate(db, request, reply, (tx) => created(createLocationGroup(tx, request.body))),
  );
  app.get<{ Querystring: PageQs }>(
    '/location-groups',
    {
      config: read,
      schema: { tags: ['network'], summary: 'List location groups', querystring: Type.Object(PageQuery) },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const rows = await listLocationGroups(db, { after: decodeCursor(cursor, 'string'), limit: limit + 1 });
      return page(rows, limit, (r) => r.id);
    },
  );
  app.get<{ Params: IdParams }>(
    '/location-groups/:id',
    { config: read, schema: { tags: ['network'], summary: 'Get a location group', params: IdParams } },
    async (request, reply) =>
      found(reply, await getLocationGroup(db, request.params.id), `location group ${request.params.id}`),
  );
  app.patch<{ Params: IdParams; Body: UpdateLocationGroup }>(
    '/location-groups/:id',
    {
      config: { permission: 'network:write' },
      schema: {
        tags: ['network'],
        summary: 'Rename a group or replace its members',
        params: IdParams,
        body: UpdateLocationGroup,
      },
    },
    async (request, reply) =>
      respond(reply, await inTransaction(db, (tx) => updateLocationGroup(tx, request.params.id, request.body))),
  );

  app.post<{ Body: CreateChannel }>(
    '/channels',
    { config: write, schema: { tags: ['network'], summary: 'Create a sales channel', body: CreateChannel } },
    (request, reply) => runCreate(db, request, reply, (tx) => created(createChannel(tx, request.body))),
  );
  app.get<{ Querystring: PageQs }>(
    '/channels',
    { config: read, schema: { tags: ['network'], summary: 'List channels', querystring: Type.Object(PageQuery) } },
    async (request) => {
      const { limit, cursor } = request.query;
      const rows = await listChannels(db, { after: decodeCursor(cursor, 'string'), limit: limit + 1 });
      return page(rows, limit, (r) => r.id);
    },
  );
  app.get<{ Params: IdParams }>(
    '/channels/:id',
    { config: read, schema: { tags: ['network'], summary: 'Get a channel', params: IdParams } },
    async (request, reply) => found(reply, await getChannel(db, request.params.id), `channel ${request.params.id}`),
  );
}
