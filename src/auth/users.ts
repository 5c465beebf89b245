import { and, asc, eq, sql } from 'drizzle-orm';
import { toIso, userTables, type Executor } from '../db/index.ts';
import { newId } from '../shared/ids.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { problem } from '../shared/problem.ts';
import { hashPassword, passwordMatches, weakPassword } from './passwords.ts';
import type { Principal, Role } from './roles.ts';

const { users, userSessions } = userTables;

/** The roles a person may hold: a channel is a machine's, so only API keys act for one. */
export const userRoles = ['admin', 'agent', 'fulfillment', 'read-only'] as const satisfies readonly Role[];
export type UserRole = (typeof userRoles)[number];

/** Wrong passwords in a row that lock an account, and for how long. */
const MAX_FAILED_ATTEMPTS = 5;
const LOCK_MINUTES = 15;

type UserRow = typeof users.$inferSelect;

/** A person as admins see them: never the password hash. */
export interface UserSummary {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  location_ids: string[];
  disabled: boolean;
  has_password: boolean;
  sso: boolean;
  locked_until: string | null;
  created_at: string | null;
}

function summary(row: UserRow): UserSummary {
  const locked = row.lockedUntil && row.lockedUntil.getTime() > Date.now() ? row.lockedUntil : null;
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role as UserRole,
    location_ids: row.locationIds,
    disabled: row.disabled,
    has_password: row.passwordHash !== null,
    sso: row.oidcSubject !== null,
    locked_until: toIso(locked),
    created_at: toIso(row.createdAt),
  };
}

/** The principal a person's session acts as: their role, their locations, their e-mail as the actor. */
export function principalOf(row: UserRow): Principal {
  return {
    keyId: row.email,
    role: row.role as Role,
    locationIds: row.locationIds,
    channelId: null,
    person: { id: row.id, email: row.email, name: row.name },
  };
}

const normalizeEmail = (email: string) => email.trim().toLowerCase();

interface CreateUserInput {
  email: string;
  name?: string | undefined;
  role: UserRole;
  locationIds?: string[] | undefined;
  password?: string | undefined;
  oidc?: { issuer: string; subject: string } | undefined;
}

/** Scope rules shared with API keys: locations for fulfillment people only, and at least one. */
function scopeProblem(role: UserRole, locationIds: string[]): string | undefined {
  if (role === 'fulfillment' && locationIds.length === 0) return 'A fulfillment person needs at least one location.';
  if (role !== 'fulfillment' && locationIds.length > 0)
    return `Locations apply to fulfillment people only, not ${role}.`;
  return undefined;
}

export async function createUser(executor: Executor, input: CreateUserInput): Promise<Result<UserSummary>> {
  const email = normalizeEmail(input.email);
  const locationIds = [...new Set(input.locationIds ?? [])];
  const scope = scopeProblem(input.role, locationIds);
  if (scope) return fail(problem('validation_failed', scope));
  if (input.password !== undefined) {
    const weak = weakPassword(input.password);
    if (weak) return fail(problem('validation_failed', weak));
  }
  const [row] = await executor
    .insert(users)
    .values({
      id: newId('usr'),
      email,
      name: input.name?.trim() || email,
      role: input.role,
      locationIds,
      passwordHash: input.password === undefined ? null : await hashPassword(input.password),
      oidcIssuer: input.oidc?.issuer ?? null,
      oidcSubject: input.oidc?.subject ?? null,
    })
    .onConflictDoNothing({ target: users.email })
    .returning();
  if (!row) return fail(problem('already_exists', `A person with the e-mail ${email} already exists.`, { email }));
  return ok(summary(row));
}

export async function listUsers(executor: Executor): Promise<UserSummary[]> {
  const rows = await executor.select().from(users).orderBy(asc(users.email));
  return rows.map(summary);
}

export async function findUser(executor: Executor, idOrEmail: string): Promise<UserRow | undefined> {
  const [row] = await executor
    .select()
    .from(users)
    .where(idOrEmail.includes('@') ? eq(users.email, normalizeEmail(idOrEmail)) : eq(users.id, idOrEmail));
  return row;
}

interface UserChange {
  name?: string | undefined;
  role?: UserRole | undefined;
  locationIds?: string[] | undefined;
  disabled?: boolean | undefined;
}

/** Changes a person's name, role, locations or whether they may sign in; disabling ends their sessions. */
export async function updateUser(executor: Executor, id: string, change: UserChange): Promise<Result<UserSummary>> {
  const current = await findUser(executor, id);
  if (!current) return fail(problem('not_found', `No person ${id}.`));
  const role = change.role ?? (current.role as UserRole);
  const locationIds = change.locationIds ?? (change.role && change.role !== 'fulfillment' ? [] : current.locationIds);
  const scope = scopeProblem(role, locationIds);
  if (scope) return fail(problem('validation_failed', scope));
  const [row] = await executor
    .update(users)
    .set({
      role,
      locationIds,
      ...(change.name?.trim() ? { name: change.name.trim() } : {}),
      ...(change.disabled === undefined ? {} : { disabled: change.disabled }),
      updatedAt: new Date(),
    })
    .where(eq(users.id, current.id))
    .returning();
  if (change.disabled) await revokeSessionsOf(executor, current.id);
  return ok(summary(row!));
}

/** Ends every session of a person (sign-out everywhere, disabling, a new password). */
export async function revokeSessionsOf(executor: Executor, userId: string): Promise<number> {
  const rows = await executor
    .update(userSessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(userSessions.userId, userId), sql`${userSessions.revokedAt} is null`))
    .returning({ id: userSessions.id });
  return rows.length;
}

/**
 * Checks an e-mail and password. Wrong ones count against the account in one statement; the
 * MAX_FAILED_ATTEMPTS-th in a row locks it for LOCK_MINUTES (`account_locked`, with when to try
 * again), during which even the right password is refused. A lock that has run out starts the
 * count again. The answer never says whether the e-mail exists.
 */
export async function checkPassword(executor: Executor, email: string, password: string): Promise<Result<UserRow>> {
  const row = await findUser(executor, normalizeEmail(email) || '@');
  const usable = row && !row.disabled ? row : undefined;
  if (usable?.lockedUntil && usable.lockedUntil.getTime() > Date.now()) return fail(locked(usable.lockedUntil));
  if (await passwordMatches(usable?.passwordHash ?? null, password)) {
    const [fresh] = await executor
      .update(users)
      .set({ failedAttempts: 0, lockedUntil: null })
      .where(eq(users.id, usable!.id))
      .returning();
    return ok(fresh!);
  }
  if (usable) {
    // One statement, so wrong passwords sent at once all count; a lock that ran out counts from 1.
    const attempts = sql`case when ${users.lockedUntil} <= now() then 1 else ${users.failedAttempts} + 1 end`;
    const [counted] = await executor
      .update(users)
      .set({
        failedAttempts: attempts,
        lockedUntil: sql`case when ${users.lockedUntil} > now() then ${users.lockedUntil}
          when ${attempts} >= ${MAX_FAILED_ATTEMPTS} then now() + make_interval(mins => ${LOCK_MINUTES}) end`,
      })
      .where(eq(users.id, usable.id))
      .returning({ lockedUntil: users.lockedUntil });
    if (counted?.lockedUntil) return fail(locked(counted.lockedUntil));
  }
  return fail(problem('sign_in_failed', 'The e-mail address or the password is wrong.'));
}

function locked(until: Date) {
  return problem(
    'account_locked',
    `Too many wrong passwords: this account is locked until ${until.toISOString()}. Try again then, or ask an admin for a sign-in link.`,
    { locked_until: until.toISOString() },
  );
}

/** Sets a person's password (from a one-time link) and lifts any lock. */
export async function setPassword(executor: Executor, userId: string, password: string): Promise<Result<UserRow>> {
  const weak = weakPassword(password);
  if (weak) return fail(problem('validation_failed', weak));
  const [row] = await executor
    .update(users)
    .set({ passwordHash: await hashPassword(password), failedAttempts: 0, lockedUntil: null, updatedAt: new Date() })
    .where(eq(users.id, userId))
    .returning();
  if (!row) return fail(problem('not_found', `No person ${userId}.`));
  return ok(row);
}
