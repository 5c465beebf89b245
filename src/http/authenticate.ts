import type { FastifyInstance } from 'fastify';
import { can, type KeyResolver, type Permission, type Principal } from '../auth/index.ts';
import { problem, ProblemError } from '../shared/problem.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The permission a route needs; routes without one are public (health, docs). */
    permission?: Permission;
    /** Creating POSTs honour the Idempotency-Key header. */
    idempotent?: boolean;
  }
  interface FastifyRequest {
    principal: Principal;
  }
}

const BEARER = /^Bearer\s+(\S+)$/i;

export function registerAuthentication(app: FastifyInstance, resolveKey: KeyResolver): void {
  app.decorateRequest('principal', null as unknown as Principal);
  app.addHook('onRequest', async (request) => {
    const permission = request.routeOptions.config.permission;
    if (!permission) return;
    const match = BEARER.exec(request.headers.authorization ?? '');
    if (!match?.[1]) {
      throw new ProblemError(
        problem(
          'unauthorized',
          'Send "Authorization: Bearer <api key>". Create a key with `consign keys create --role admin`.',
        ),
      );
    }
    const principal = await resolveKey(match[1]);
    if (!principal) throw new ProblemError(problem('unauthorized', 'This API key is unknown or revoked.'));
    if (!can(principal, permission)) {
      throw new ProblemError(
        problem('forbidden', `A ${principal.role} key may not use this endpoint (needs ${permission}).`, {
          role: principal.role,
          permission,
        }),
      );
    }
    request.principal = principal;
  });
}
