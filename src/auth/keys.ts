import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, asc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { query, tables, toIso, type Db, type Executor } from '../db/index.ts';
import { newId } from '../shared/ids.ts';
import type { Principal, Role } from './roles.ts';

const SECRET_PREFIX = 'csk_';

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export interface CreateKeyInput {
  role: Role;
  name?: string | undefined;
  locationIds?: string[] | undefined;
  channelId?: string | undefined;
}

export interface CreatedKey {
  id: string;
  /** Shown once; only its hash is stored. */
  secret: string;
  role: Role;
  name: string;
  location_ids: string[];
  channel_id: string | null;
}

export async function createApiKey(executor: Executor, input: CreateKeyInput): Promise<CreatedKey> {
  const secret = SECRET_PREFIX + randomBytes(24).toString('base64url');
  const id = newId('key');
  const name = input.name ?? `${input.role} key`;
  await executor.insert(tables.apiKeys).values({
    id,
    name,
    role: input.role,
    secretHash: hashSecret(secret),
    prefix: secret.slice(0, 10),
    locationIds: input.locationIds ?? [],
    channelId: input.channelId ?? null,
  });
  return {
    id,
    secret,
    role: input.role,
    name,
    location_ids: input.locationIds ?? [],
    channel_id: input.channelId ?? null,
  };
}

export async function revokeApiKey(executor: Executor, id: string): Promise<boolean> {
  const rows = await executor
    .update(tables.apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(tables.apiKeys.id, id), isNull(tables.apiKeys.revokedAt)))
    .returning({ id: tables.apiKeys.id });
  return rows.length > 0;
}

/** A key as operators see it: never the secret, only its first characters. */
export interface ApiKeySummary {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  location_ids: string[];
  channel_id: string | null;
  created_at: string | null;
  revoked_at: string | null;
  /** When the key last authenticated a request (to the minute). */
  last_used_at: string | null;
}

export async function listApiKeys(
  executor: Executor,
  filter: { includeRevoked?: boolean; role?: Role } = {},
): Promise<ApiKeySummary[]> {
  const k = tables.apiKeys;
  const rows = await executor
    .select()
    .from(k)
    .where(
      and(filter.includeRevoked ? undefined : isNull(k.revokedAt), filter.role ? eq(k.role, filter.role) : undefined),
    )
    .orderBy(asc(k.createdAt), asc(k.id));
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    role: row.role as Role,
    prefix: row.prefix,
    location_ids: row.locationIds,
    channel_id: row.channelId,
    created_at: toIso(row.createdAt),
    revoked_at: toIso(row.revokedAt),
    last_used_at: toIso(row.lastUsedAt),
  }));
}

const CACHE_TTL_MS = 30_000;
const CACHE_MAX_ENTRIES = 10_000;
/** How often a resolver asks the database whether any key was revoked since it last looked. */
const REVOCATION_CHECK_MS = 250;

/**
 * Resolves bearer secrets to principals. Lookups are cached for 30 s, but at most every 250 ms
 * (on the next request) the resolver reads the revocation mark of `api_keys` (how many keys are
 * revoked and when the last was): one small aggregate for the whole process. When it changed,
 * another process (or this one) revoked a key, and the cache is dropped, so a revoked key stops
 * working within about a second on every server.
 */
export function createKeyResolver(db: Db, bootstrapAdminKey: string | undefined) {
  const cache = new Map<string, { principal: Principal | null; expiresAt: number }>();
  const bootstrapHash = bootstrapAdminKey ? Buffer.from(hashSecret(bootstrapAdminKey)) : undefined;
  const revocations = revocationWatch(db, () => cache.clear());
  const markUsed = lastUsedMarker(db);

  return async function resolve(secret: string): Promise<Principal | null> {
    const hash = hashSecret(secret);
    if (bootstrapHash && timingSafeEqual(bootstrapHash, Buffer.from(hash))) {
      return { keyId: 'bootstrap', role: 'admin', locationIds: [], channelId: null };
    }
    await revocations.check();
    const cached = cache.get(hash);
    if (cached && cached.expiresAt > Date.now()) {
      if (cached.principal) await markUsed(cached.principal.keyId);
      return cached.principal;
    }
    const [row] = await db
      .select()
      .from(tables.apiKeys)
      .where(and(eq(tables.apiKeys.secretHash, hash), isNull(tables.apiKeys.revokedAt)));
    const principal: Principal | null = row
      ? { keyId: row.id, role: row.role as Role, locationIds: row.locationIds, channelId: row.channelId }
      : null;
    if (cache.size >= CACHE_MAX_ENTRIES) cache.clear();
    cache.set(hash, { principal, expiresAt: Date.now() + CACHE_TTL_MS });
    if (principal) await markUsed(principal.keyId);
    return principal;
  };
}

/** How often a key's `last_used_at` is written: at most once a minute per key and process. */
const LAST_USED_EVERY_MS = 60_000;

/** Writes a key's `last_used_at` when this process has not written it for a minute (and no other process has). */
function lastUsedMarker(db: Db) {
  const marked = new Map<string, number>();
  return async (keyId: string) => {
    const now = Date.now();
    if (now - (marked.get(keyId) ?? 0) < LAST_USED_EVERY_MS) return;
    if (marked.size >= CACHE_MAX_ENTRIES) marked.clear();
    marked.set(keyId, now);
    const k = tables.apiKeys;
    await db
      .update(k)
      .set({ lastUsedAt: sql`now()` })
      .where(and(eq(k.id, keyId), or(isNull(k.lastUsedAt), lt(k.lastUsedAt, sql`now() - interval '1 minute'`))));
  };
}

/** Calls `onChange` when the set of revoked keys changed; checks at most every REVOCATION_CHECK_MS, one query at a time. */
function revocationWatch(db: Db, onChange: () => void) {
  let mark: string | undefined;
  let checkedAt = 0;
  let pending: Promise<void> | undefined;
  const read = async () => {
    const [row] = await query<{ mark: string }>(
      db,
      sql`select count(*)::text || '/' || coalesce(max(revoked_at)::text, '') as mark from api_keys where revoked_at is not null`,
    );
    if (mark !== undefined && row?.mark !== mark) onChange();
    mark = row?.mark;
  };
  return {
    check(): Promise<void> {
      if (Date.now() - checkedAt < REVOCATION_CHECK_MS) return Promise.resolve();
      pending ??= read().finally(() => {
        checkedAt = Date.now();
        pending = undefined;
      });
      return pending;
    },
  };
}

export type KeyResolver = ReturnType<typeof createKeyResolver>;
