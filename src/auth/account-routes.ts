import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../http/app.ts';
import { respond } from '../http/respond.ts';
import { inTransaction, type Db } from '../db/index.ts';
import { findChannel, findLocation } from '../network/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok } from '../shared/result.ts';
import { readCookie, sessionCookie, SSO_COOKIE } from './cookies.ts';
import { ssoPerson, type OidcClient } from './oidc.ts';
import { createApiKey, listApiKeys, revokeApiKey } from './keys.ts';
import { roles, type Principal } from './roles.ts';
import { meOf } from './routes.ts';
import { createSession, createSignInLink, revokeSession, SESSION_HOURS, useSignInLink } from './sessions.ts';
import { checkPassword, createUser, listUsers, principalOf, revokeSessionsOf, updateUser, userRoles } from './users.ts';

const hide = { hide: true } as const;
const Email = Type.String({ minLength: 3, maxLength: 254, pattern: '^[^@\\s]+@[^@\\s]+$' });
const SignIn = Type.Object({ email: Email, password: Type.String({ minLength: 1, maxLength: 1024 }) });
const LinkUse = Type.Object({
  token: Type.String({ minLength: 10, maxLength: 200 }),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
});
const UserRoleSchema = Type.Union(userRoles.map((r) => Type.Literal(r)));
const CreateUserBody = Type.Object({
  email: Email,
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  role: UserRoleSchema,
  location_ids: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 100 })),
});
const ChangeUserBody = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  role: Type.Optional(UserRoleSchema),
  location_ids: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 100 })),
  disabled: Type.Optional(Type.Boolean()),
});
const CreateKeyBody = Type.Object({
  role: Type.Union(roles.map((r) => Type.Literal(r))),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  location_ids: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 100 })),
  channel_id: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
});
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

type SignInBody = Static<typeof SignIn>;
type LinkBody = Static<typeof LinkUse>;

/** Served over HTTPS (directly or behind a proxy that says so): the cookie is then Secure. */
const secure = (request: FastifyRequest) =>
  request.protocol === 'https' || request.headers['x-forwarded-proto'] === 'https';

/** Starts a session for a person: the HttpOnly cookie, and `/v1/me` with the CSRF token in the body. */
async function startSession(db: Db, request: FastifyRequest, reply: FastifyReply, principal: Principal) {
  const session = await createSession(db, principal.person!.id);
  const cookie = sessionCookie(session.token, { maxAgeSeconds: SESSION_HOURS * 3600, secure: secure(request) });
  reply.header('set-cookie', [...setCookies(reply), cookie]);
  return meOf(principal, session.csrfToken);
}

const setCookies = (reply: FastifyReply): string[] => {
  const current = reply.getHeader('set-cookie');
  return current === undefined ? [] : Array.isArray(current) ? current : [String(current)];
};

/** A sign-in link's address on this server (the console's page that sets a password). */
export function signInLinkUrl(base: string, token: string): string {
  return `${base.replace(/\/+$/, '')}/set-password#token=${token}`;
}

const origin = (request: FastifyRequest) => `${secure(request) ? 'https' : 'http'}://${request.host}`;

/**
 * Staff accounts: the console's sign-in and sign-out (`/v1/auth/…`, not in the API reference:
 * they are the console's, not a machine's), and the admins' pages for people and API keys.
 */
export function accountRoutes(app: FastifyInstance, { database: { db } }: AppContext, sso?: OidcClient): void {
  app.get('/auth/options', { schema: hide }, async () => ({ sso: sso ? { label: sso.settings.label } : null }));
  if (sso) ssoRoutes(app, db, sso);
  app.post<{ Body: SignInBody }>('/auth/sign-in', { schema: { ...hide, body: SignIn } }, async (request, reply) => {
    const checked = await checkPassword(db, request.body.email, request.body.password);
    if (!checked.ok) return respond(reply, checked);
    return startSession(db, request, reply, principalOf(checked.value));
  });
  app.post<{ Body: LinkBody }>('/auth/sign-in-link', { schema: { ...hide, body: LinkUse } }, async (request, reply) => {
    const used = await inTransaction(db, (tx) => useSignInLink(tx, request.body.token, request.body.password));
    if (!used.ok) return respond(reply, used);
    return startSession(db, request, reply, principalOf(used.value));
  });
  app.post('/auth/sign-out', { config: { permission: 'session:read' }, schema: hide }, async (request, reply) => {
    if (request.session) await revokeSession(db, request.session.sessionId);
    reply.header('set-cookie', sessionCookie('', { maxAgeSeconds: 0, secure: secure(request) }));
    return { signed_out: 1 };
  });
  app.post(
    '/auth/sign-out-everywhere',
    { config: { permission: 'session:read' }, schema: hide },
    async (request, reply) => {
      const person = request.principal.person;
      if (!person)
        return respond(reply, fail(problem('validation_failed', 'An API key has no sessions; revoke it instead.')));
      const ended = await revokeSessionsOf(db, person.id);
      reply.header('set-cookie', sessionCookie('', { maxAgeSeconds: 0, secure: secure(request) }));
      return { signed_out: ended };
    },
  );

  const tags = ['auth'];
  const manageUsers = { permission: 'users:manage' } as const;
  app.get(
    '/users',
    { config: manageUsers, schema: { tags, summary: 'The people who sign in to the console' } },
    async () => ({
      data: await listUsers(db),
    }),
  );
  app.post<{ Body: Static<typeof CreateUserBody> }>(
    '/users',
    {
      config: manageUsers,
      schema: {
        tags,
        summary: 'Invite a person: answers a one-time sign-in link to set their password',
        body: CreateUserBody,
      },
    },
    async (request, reply) => {
      const { email, name, role, location_ids: locationIds } = request.body;
      const result = await inTransaction(db, async (tx) => {
        const user = await createUser(tx, { email, name, role, locationIds });
        if (!user.ok) return user;
        const link = await createSignInLink(tx, user.value.id);
        return ok({
          ...user.value,
          sign_in_link: signInLinkUrl(origin(request), link.token),
          link_expires_at: link.expiresAt.toISOString(),
        });
      });
      return respond(reply, result, 201);
    },
  );
  app.patch<{ Params: Static<typeof IdParams>; Body: Static<typeof ChangeUserBody> }>(
    '/users/:id',
    {
      config: manageUsers,
      schema: {
        tags,
        summary: "Change a person's name, role or locations, or disable them",
        params: IdParams,
        body: ChangeUserBody,
      },
    },
    async (request, reply) => {
      const { name, role, location_ids: locationIds, disabled } = request.body;
      return respond(
        reply,
        await inTransaction(db, (tx) => updateUser(tx, request.params.id, { name, role, locationIds, disabled })),
      );
    },
  );
  app.post<{ Params: Static<typeof IdParams> }>(
    '/users/:id/sign-in-link',
    {
      config: manageUsers,
      schema: { tags, summary: 'A new one-time link that sets the person’s password', params: IdParams },
    },
    async (request, reply) => {
      const result = await inTransaction(db, async (tx) => {
        const users = await listUsers(tx);
        const user = users.find((u) => u.id === request.params.id);
        if (!user) return fail(problem('not_found', `No person ${request.params.id}.`));
        const link = await createSignInLink(tx, user.id);
        return ok({
          sign_in_link: signInLinkUrl(origin(request), link.token),
          expires_at: link.expiresAt.toISOString(),
        });
      });
      return respond(reply, result, 201);
    },
  );

  const manageKeys = { permission: 'keys:write' } as const;
  app.get(
    '/keys',
    { config: manageKeys, schema: { tags, summary: 'API keys (never their secrets), with when each was last used' } },
    async () => ({
      data: await listApiKeys(db, { includeRevoked: true }),
    }),
  );
  app.post<{ Body: Static<typeof CreateKeyBody> }>(
    '/keys',
    {
      config: manageKeys,
      schema: { tags, summary: 'Create an API key: its secret is in this answer only', body: CreateKeyBody },
    },
    async (request, reply) => {
      const { role, name, location_ids: locationIds = [], channel_id: channelId } = request.body;
      const scope = keyScopeProblem(role, locationIds, channelId);
      if (scope) return respond(reply, fail(problem('validation_failed', scope)));
      return respond(reply, await createKeyChecked(db, { role, name, locationIds, channelId }), 201);
    },
  );
  app.post<{ Params: Static<typeof IdParams> }>(
    '/keys/:id/revoke',
    {
      config: manageKeys,
      schema: { tags, summary: 'Revoke an API key: it stops working within about a second', params: IdParams },
    },
    async (request, reply) =>
      respond(
        reply,
        (await revokeApiKey(db, request.params.id))
          ? ok({ id: request.params.id, revoked: true })
          : fail(problem('not_found', `No API key ${request.params.id} that is not revoked already.`)),
      ),
  );
}

function keyScopeProblem(role: string, locationIds: string[], channelId: string | undefined): string | undefined {
  if (role === 'fulfillment' && locationIds.length === 0) return 'A fulfillment key needs at least one location.';
  if (role !== 'fulfillment' && locationIds.length > 0) return `Locations apply to fulfillment keys only, not ${role}.`;
  if (role === 'channel' && !channelId) return 'A channel key needs its channel.';
  if (role !== 'channel' && channelId) return `A channel applies to channel keys only, not ${role}.`;
  return undefined;
}

/** Creates a key for locations and a channel named by ID or code, naming every one that does not exist. */
async function createKeyChecked(db: Db, input: Parameters<typeof createApiKey>[1]) {
  return inTransaction(db, async (tx) => {
    const refs = input.locationIds ?? [];
    const locations = await Promise.all(refs.map((ref) => findLocation(tx, ref)));
    const channel = input.channelId ? await findChannel(tx, input.channelId) : undefined;
    const missing = refs.filter((_ref, i) => !locations[i]).map((ref) => `location ${ref}`);
    if (input.channelId && !channel) missing.push(`channel ${input.channelId}`);
    if (missing.length > 0) return fail(problem('unknown_reference', `Unknown ${missing.join(', ')}.`));
    const locationIds = [...new Set(locations.map((l) => l!.id))];
    return ok(await createApiKey(tx, { ...input, locationIds, channelId: channel?.id }));
  });
}

const SSO_PATH = '/v1/auth/oidc';
/** Only a path of this server: never another site (`//evil.example`) after signing in. */
const safeReturn = (path: string | undefined) => (path && /^\/(?![/\\])/.test(path) ? path : '/');

/**
 * Single sign-on by OpenID Connect: the authorization code flow with PKCE. The state, the PKCE
 * verifier and where to return wait in a short HttpOnly cookie while the browser is at the
 * provider; the callback checks them, maps the ID token's role claim to a role and starts a
 * session as a password would. Refusals return to the sign-in page with the reason.
 */
function ssoRoutes(app: FastifyInstance, db: Db, sso: OidcClient): void {
  const flowCookie = (request: FastifyRequest, value: string, maxAgeSeconds: number) =>
    sessionCookie(value, { maxAgeSeconds, secure: secure(request), name: SSO_COOKIE, path: SSO_PATH });
  const refuse = (reply: FastifyReply, reason: string) =>
    reply.redirect(`/?sso_error=${encodeURIComponent(reason)}`, 302);

  app.get<{ Querystring: { return_to?: string } }>(
    '/auth/oidc/start',
    { schema: { ...hide, querystring: Type.Object({ return_to: Type.Optional(Type.String({ maxLength: 2000 })) }) } },
    async (request, reply) => {
      const started = await sso.start(`${origin(request)}${SSO_PATH}/callback`);
      const flow = { state: started.state, verifier: started.verifier, returnTo: safeReturn(request.query.return_to) };
      reply.header('set-cookie', flowCookie(request, JSON.stringify(flow), 600));
      return reply.redirect(started.url, 302);
    },
  );
  app.get('/auth/oidc/callback', { schema: hide }, async (request, reply) => {
    const raw = readCookie(request.headers.cookie, SSO_COOKIE);
    reply.header('set-cookie', [flowCookie(request, '', 0)]);
    let flow: { state: string; verifier: string; returnTo: string };
    try {
      flow = JSON.parse(raw ?? '') as typeof flow;
    } catch {
      return refuse(reply, 'The single sign-on took too long or started in another browser; try again.');
    }
    let claims: Awaited<ReturnType<OidcClient['finish']>>;
    try {
      claims = await sso.finish(new URL(request.url, origin(request)), flow);
    } catch (error) {
      request.log.warn({ err: error }, 'single sign-on failed');
      return refuse(reply, `The single sign-on failed: ${(error as Error).message}`);
    }
    const person = await inTransaction(db, (tx) => ssoPerson(tx, sso.settings, claims));
    if (!person.ok) return refuse(reply, person.problem.detail);
    await startSession(db, request, reply, principalOf(person.value));
    return reply.redirect(safeReturn(flow.returnTo), 302);
  });
}
