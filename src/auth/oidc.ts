import * as client from 'openid-client';
import { and, eq } from 'drizzle-orm';
import { userTables, type Executor } from '../db/index.ts';
import { newId } from '../shared/ids.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { problem } from '../shared/problem.ts';
import { userRoles, type UserRole } from './users.ts';

const { users } = userTables;

/** Single sign-on by OpenID Connect (CONSIGN_OIDC_*): the provider, this client, and how a claim maps to a role. */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The ID token claim holding the person's groups or roles (a string or a list), e.g. `groups`. */
  roleClaim: string;
  /** Claim values to roles, in order of precedence: the first value the person has decides. */
  roleMap: { value: string; role: UserRole }[];
  /** The button's words: "Sign in with <label>". */
  label: string;
}

/** Reads `ops-admins:admin,support:agent` into the role map; throws naming what is wrong. */
export function parseRoleMap(text: string): OidcSettings['roleMap'] {
  return text
    .split(',')
    .map((pair) => pair.trim())
    .filter(Boolean)
    .map((pair) => {
      const at = pair.lastIndexOf(':');
      const value = pair.slice(0, at).trim();
      const role = pair.slice(at + 1).trim() as UserRole;
      if (at <= 0 || !userRoles.includes(role))
        throw new Error(
          `CONSIGN_OIDC_ROLE_MAP: "${pair}" is not <claim value>:<role> with a role of ${userRoles.join(', ')}`,
        );
      return { value, role };
    });
}

/** The provider's configuration, discovered once (and again after a failure). */
export function oidcClient(settings: OidcSettings) {
  let discovered: Promise<client.Configuration> | undefined;
  const configuration = () =>
    (discovered ??= client
      .discovery(
        new URL(settings.issuer),
        settings.clientId,
        undefined,
        // HTTP Basic: the token endpoint's default (RFC 6749), which every provider accepts.
        client.ClientSecretBasic(settings.clientSecret),
        // A provider on plain HTTP is a local one (a test, a laptop); anything else must be HTTPS.
        settings.issuer.startsWith('http:') ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .catch((error: unknown) => {
        discovered = undefined;
        throw error;
      }));
  return {
    settings,
    /** Where to send the browser, and the checks to keep (in a cookie) until it comes back. */
    async start(redirectUri: string) {
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const url = client.buildAuthorizationUrl(await configuration(), {
        redirect_uri: redirectUri,
        scope: 'openid email profile',
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
      });
      return { url: url.href, verifier, state };
    },
    /** Exchanges the code the provider sent back (checking state and PKCE) for the ID token's claims. */
    async finish(callbackUrl: URL, checks: { verifier: string; state: string }) {
      const tokens = await client.authorizationCodeGrant(await configuration(), callbackUrl, {
        pkceCodeVerifier: checks.verifier,
        expectedState: checks.state,
      });
      const claims = tokens.claims();
      if (!claims) throw new Error('The provider answered without an ID token.');
      return { issuer: claims.iss, ...claims };
    },
  };
}

export type OidcClient = ReturnType<typeof oidcClient>;

/** The role the claim's values map to: the first entry of the map the person has. */
function roleFromClaim(settings: OidcSettings, value: unknown): UserRole | undefined {
  const values = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
  return settings.roleMap.find((entry) => values.includes(entry.value))?.role;
}

/**
 * The person an SSO sign-in names: found by the provider's subject, else by e-mail (and linked
 * to the subject), else created. Their role follows the claim at every sign-in; a claim that maps
 * to no role, a disabled person, or a fulfillment role without locations is refused.
 */
export async function ssoPerson(
  executor: Executor,
  settings: OidcSettings,
  claims: Record<string, unknown> & { iss: string; sub: string },
): Promise<Result<typeof users.$inferSelect>> {
  const role = roleFromClaim(settings, claims[settings.roleClaim]);
  const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
  if (!role) {
    return fail(
      problem(
        'sso_refused',
        `${email || 'This account'} has no ${settings.roleClaim} that Consign maps to a role; ask an admin to add you to one of: ${settings.roleMap.map((e) => e.value).join(', ')}.`,
      ),
    );
  }
  if (!email) return fail(problem('sso_refused', 'The provider sent no e-mail address for this account.'));
  const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim() : email;
  const [bySubject] = await executor
    .select()
    .from(users)
    .where(and(eq(users.oidcIssuer, claims.iss), eq(users.oidcSubject, claims.sub)));
  const [byEmail] = bySubject ? [bySubject] : await executor.select().from(users).where(eq(users.email, email));
  if (byEmail?.disabled) return fail(problem('sso_refused', `${email} is disabled in Consign.`));
  const locationIds = role === 'fulfillment' ? (byEmail?.locationIds ?? []) : [];
  if (role === 'fulfillment' && locationIds.length === 0)
    return fail(problem('sso_refused', `${email} maps to fulfillment, but an admin has not given them locations yet.`));
  const values = { name, role, locationIds, oidcIssuer: claims.iss, oidcSubject: claims.sub, updatedAt: new Date() };
  const [row] = byEmail
    ? await executor.update(users).set(values).where(eq(users.id, byEmail.id)).returning()
    : await executor
        .insert(users)
        .values({ id: newId('usr'), email, ...values })
        .returning();
  return ok(row!);
}
