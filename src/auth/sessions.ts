import { randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import { userTables, type Db, type Executor } from '../db/index.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { problem } from '../shared/problem.ts';
import { hashSecret } from './keys.ts';
import { principalOf, revokeSessionsOf, setPassword } from './users.ts';
import type { Principal } from './roles.ts';

const { users, userSessions, passwordResets } = userTables;

/** How long a console session lasts from sign-in: a working day and then some. */
export const SESSION_HOURS = 12;
/** How long a one-time sign-in link works. */
export const SIGN_IN_LINK_HOURS = 24;
/** `last_seen_at` is written at most this often per session. */
const TOUCH_EVERY = sql`interval '1 minute'`;

const token = () => randomBytes(32).toString('base64url');

interface NewSession {
  /** Goes into the HttpOnly cookie; only its hash is stored. */
  token: string;
  /** Every writing request of the session sends it back as `X-CSRF-Token`. */
  csrfToken: string;
  expiresAt: Date;
}

export async function createSession(executor: Executor, userId: string): Promise<NewSession> {
  const session = { token: token(), csrfToken: token(), expiresAt: new Date(Date.now() + SESSION_HOURS * 3_600_000) };
  await executor.insert(userSessions).values({
    id: hashSecret(session.token),
    userId,
    csrfToken: session.csrfToken,
    expiresAt: session.expiresAt,
  });
  return session;
}

export interface ResolvedSession {
  sessionId: string;
  csrfToken: string;
  principal: Principal;
}

/** The live session of a cookie's token (not revoked, not expired, its person not disabled), or null. */
export async function resolveSession(db: Db, cookieToken: string): Promise<ResolvedSession | null> {
  const id = hashSecret(cookieToken);
  const [row] = await db
    .select({ user: users, csrfToken: userSessions.csrfToken, lastSeenAt: userSessions.lastSeenAt })
    .from(userSessions)
    .innerJoin(users, eq(users.id, userSessions.userId))
    .where(
      and(
        eq(userSessions.id, id),
        isNull(userSessions.revokedAt),
        gt(userSessions.expiresAt, sql`now()`),
        eq(users.disabled, false),
      ),
    );
  if (!row) return null;
  if (Date.now() - row.lastSeenAt.getTime() > 60_000) {
    await db
      .update(userSessions)
      .set({ lastSeenAt: sql`now()` })
      .where(and(eq(userSessions.id, id), lt(userSessions.lastSeenAt, sql`now() - ${TOUCH_EVERY}`)));
  }
  return { sessionId: id, csrfToken: row.csrfToken, principal: principalOf(row.user) };
}

export async function revokeSession(executor: Executor, sessionId: string): Promise<void> {
  await executor
    .update(userSessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(userSessions.id, sessionId), isNull(userSessions.revokedAt)));
}

/** A one-time link's token (printed by the CLI, or mailed); only its hash is stored. */
export async function createSignInLink(
  executor: Executor,
  userId: string,
): Promise<{ token: string; expiresAt: Date }> {
  const link = { token: token(), expiresAt: new Date(Date.now() + SIGN_IN_LINK_HOURS * 3_600_000) };
  await executor.insert(passwordResets).values({ id: hashSecret(link.token), userId, expiresAt: link.expiresAt });
  return link;
}

/**
 * Uses a one-time link to set a new password: the link is marked used by a compare-and-set, so
 * it works once however many requests send it. The person's other sessions end.
 */
export async function useSignInLink(executor: Executor, linkToken: string, password: string) {
  const [link] = await executor
    .update(passwordResets)
    .set({ usedAt: sql`now()` })
    .where(
      and(
        eq(passwordResets.id, hashSecret(linkToken)),
        isNull(passwordResets.usedAt),
        gt(passwordResets.expiresAt, sql`now()`),
      ),
    )
    .returning({ userId: passwordResets.userId });
  if (!link) return invalidLink();
  const [person] = await executor.select().from(users).where(eq(users.id, link.userId));
  if (!person || person.disabled) return invalidLink();
  const updated = await setPassword(executor, link.userId, password);
  if (!updated.ok) return updated;
  await revokeSessionsOf(executor, link.userId);
  return ok(updated.value);
}

function invalidLink(): Result<never> {
  return fail(
    problem(
      'invalid_sign_in_link',
      'This sign-in link is unknown, was used already or has expired. Ask an admin for a new one (`consign users reset-link`).',
    ),
  );
}
