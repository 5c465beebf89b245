import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { can, permissions, type Permission, type Principal } from './roles.ts';

const Me = Type.Object({
  key_id: Type.String(),
  role: Type.String(),
  channel_id: Type.Union([Type.String(), Type.Null()]),
  location_ids: Type.Array(Type.String()),
  permissions: Type.Array(Type.String()),
  person: Type.Union([Type.Object({ id: Type.String(), email: Type.String(), name: Type.String() }), Type.Null()]),
  csrf_token: Type.Union([Type.String(), Type.Null()]),
});

/** Who the caller is and what it may do; for a session, the token its writing requests must send. */
export function meOf(principal: Principal, csrfToken: string | null) {
  return {
    key_id: principal.keyId,
    role: principal.role,
    channel_id: principal.channelId,
    location_ids: principal.locationIds,
    permissions: (Object.keys(permissions) as Permission[]).filter((p) => can(principal, p)),
    person: principal.person ?? null,
    csrf_token: csrfToken,
  };
}

/** `GET /v1/me`: who this API key or signed-in person is and what it may do (the console offers only that). */
export function sessionRoutes(app: FastifyInstance): void {
  app.get(
    '/me',
    {
      config: { permission: 'session:read' },
      schema: {
        tags: ['auth'],
        summary: 'The calling API key or signed-in person: role, scope and permissions',
        response: { 200: Me },
      },
    },
    async (request) => meOf(request.principal, request.session?.csrfToken ?? null),
  );
}
