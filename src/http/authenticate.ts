import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  can,
  readCookie,
  resolveSession,
  SESSION_COOKIE,
  type KeyResolver,
  type Permission,
  type Principal,
  type ResolvedSession,
} from '../auth/index.ts';
import type { Db } from '../db/index.ts';
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
    /** The console session that authenticated the request; null for an API key. */
    session: ResolvedSession | null;
  }
}

const BEARER = /^Bearer\s+(\S+)$/i;
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

const sameText = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/**
 * Every route with a permission needs an API key (`Authorization: Bearer`) or a console
 * session's cookie. A request with a session cookie that writes must also send the session's
 * CSRF token as `X-CSRF-Token`: another site can make a browser send the cookie, not read the
 * token. Either way the request gets one principal, and one permission check follows.
 */
export function registerAuthentication(app: FastifyInstance, db: Db, resolveKey: KeyResolver): void {
  app.decorateRequest('principal', null as unknown as Principal);
  app.decorateRequest('session', null);
  app.addHook('onRequest', async (request) => {
    const permission = request.routeOptions.config.permission;
    if (!permission) return;
    const principal = await authenticate(request, db, resolveKey);
    if (!can(principal, permission)) {
      const who = principal.person ? `A ${principal.role} person` : `A ${principal.role} key`;
      throw new ProblemError(
        problem('forbidden', `${who} may not use this endpoint (needs ${permission}).`, {
          role: principal.role,
          permission,
        }),
      );
    }
    request.principal = principal;
  });
}

async function authenticate(request: FastifyRequest, db: Db, resolveKey: KeyResolver): Promise<Principal> {
  const bearer = BEARER.exec(request.headers.authorization ?? '')?.[1];
  if (bearer) {
    const principal = await resolveKey(bearer);
    if (!principal) throw new ProblemError(problem('unauthorized', 'This API key is unknown or revoked.'));
    return principal;
  }
  const cookie = readCookie(request.headers.cookie, SESSION_COOKIE);
  if (!cookie) {
    throw new ProblemError(
      problem(
        'unauthorized',
        'Sign in to the console, or send "Authorization: Bearer <api key>". Create a key with `consign keys create --role admin`.',
      ),
    );
  }
  const session = await resolveSession(db, cookie);
  if (!session) {
    throw new ProblemError(problem('unauthorized', 'Your session has ended (signed out or expired): sign in again.'));
  }
  if (!READS.has(request.method)) {
    const sent = request.headers['x-csrf-token'];
    if (typeof sent !== 'string' || !sameText(sent, session.csrfToken)) {
      throw new ProblemError(
        problem(
          'csrf_failed',
          'A request of a signed-in session that changes something must send the session’s X-CSRF-Token header (from GET /v1/me).',
        ),
      );
    }
  }
  request.session = session;
  return session.principal;
}
