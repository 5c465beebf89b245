import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { can, permissions, type Permission } from './roles.ts';

const Me = Type.Object({
  key_id: Type.String(),
  role: Type.String(),
  channel_id: Type.Union([Type.String(), Type.Null()]),
  location_ids: Type.Array(Type.String()),
  permissions: Type.Array(Type.String()),
});

/** `GET /v1/me`: who this API key is and what it may do (the console offers only that). */
export function sessionRoutes(app: FastifyInstance): void {
  app.get(
    '/me',
    {
      config: { permission: 'session:read' },
      schema: { tags: ['auth'], summary: 'The calling API key: role, scope and permissions', response: { 200: Me } },
    },
    async (request) => {
      const principal = request.principal;
      return {
        key_id: principal.keyId,
        role: principal.role,
        channel_id: principal.channelId,
        location_ids: principal.locationIds,
        permissions: (Object.keys(permissions) as Permission[]).filter((p) => can(principal, p)),
      };
    },
  );
}
