import { createHash } from 'node:crypto';
import { and, eq, sql, type Placeholder, type SQL } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { inTransaction, query, tables, type Db, type Tx } from '../db/index.ts';
import { startIntervalWorker } from '../shared/interval-worker.ts';
import { problem, ProblemError, type Problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { sendProblem } from './errors.ts';
import { openSecret, sealSecret, type SealedColumn } from '../secrets/index.ts';

export interface Created {
  status: number;
  body: unknown;
}

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** JSON with object keys sorted at every depth: the text a request is hashed by. */
export function stableStringify(value: unknown): string {
  const sorted = sortedCopy(value);
  return sorted === UNSORTABLE ? stableStringifyByHand(value) : (JSON.stringify(sorted) ?? 'null');
}

function stableStringifyByHand(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringifyByHand).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringifyByHand(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const UNSORTABLE = Symbol('unsortable');
/** Keys JavaScript orders numerically, and one that assignment would not create: never copied. */
const SPECIAL_KEY = /^(?:0|[1-9]\d*|__proto__)$/;

/**
 * A copy of a parsed JSON value with every object's keys inserted in sorted order, so the
 * engine's own JSON.stringify writes exactly what `stableStringifyByHand` builds string by string
 * (a large body in a fraction of the time). Anything that is not plain JSON data (undefined,
 * functions, class instances, sparse arrays, numeric or `__proto__` keys) is UNSORTABLE: the
 * caller falls back to the hand-built text.
 */
function sortedCopy(value: unknown): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return value;
  }
  if (typeof value !== 'object') return UNSORTABLE;
  if (Array.isArray(value)) {
    const copy = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) return UNSORTABLE;
      const item = sortedCopy(value[i]);
      if (item === UNSORTABLE) return UNSORTABLE;
      copy[i] = item;
    }
    return copy;
  }
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return UNSORTABLE;
  const keys = Object.keys(value).sort();
  const copy: Record<string, unknown> = {};
  for (const key of keys) {
    if (SPECIAL_KEY.test(key)) return UNSORTABLE;
    const item = sortedCopy((value as Record<string, unknown>)[key]);
    if (item === UNSORTABLE) return UNSORTABLE;
    copy[key] = item;
  }
  return copy;
}

export function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${stableStringify(body ?? null)}`)
    .digest('hex');
}

/**
 * Runs a creating request once per `Idempotency-Key`. The key is claimed by the first statement
 * of the write's own transaction, so a crash leaves neither the record nor the claim, and a used
 * key is found before any work is done: the work may call out (a payment gateway) and must not
 * run twice. A concurrent twin waits on the claim's row lock, then replays the stored response.
 * Expected failures roll the claim back: a retry after a 409 runs again.
 */
export async function runCreate(
  db: Db,
  request: FastifyRequest,
  reply: FastifyReply,
  work: (tx: Tx) => Promise<Result<Created>>,
): Promise<FastifyReply> {
  const claim = readClaim(request);
  if (claim === undefined) return send(reply, await inTransaction(db, work));
  if ('code' in claim) return sendProblem(reply, claim);

  const result = await inTransaction(db, async (tx) => {
    if (!(await storeClaim(tx, claim))) return fail(ALREADY_CLAIMED);
    const created = await work(tx);
    if (!created.ok) return created;
    await tx
      .update(tables.idempotencyKeys)
      .set({ responseStatus: created.value.status, responseBody: sealResponse(created.value.body, claim) as object })
      .where(and(eq(tables.idempotencyKeys.principal, claim.principal), eq(tables.idempotencyKeys.key, claim.key)));
    return ok(created.value);
  });
  if (!result.ok && result.problem === ALREADY_CLAIMED) {
    const stored = await findStored(db, claim.principal, claim.key, claim.requestHash);
    if (stored) return sendStored(reply, stored);
  }
  return send(reply, result);
}

type Claim = typeof tables.idempotencyKeys.$inferInsert;

/** The request's key as a claim to store, none without a key, or a problem for a malformed one. */
function readClaim(request: FastifyRequest): Claim | Problem | undefined {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
    return problem('validation_failed', 'Idempotency-Key must be 1–255 visible ASCII characters.');
  }
  const path = request.url.split('?')[0] ?? request.url;
  const hash = requestHash(request.method, path, request.body);
  return { principal: request.principal.keyId, key, requestHash: hash, method: request.method, path };
}

/** A create's response as JSON text its statement built, sent as is. */
interface CreatedJson {
  status: number;
  json: string;
}

/** One request's key, as the values of `claimCte`'s placeholders. */
export type ClaimValues = Record<`idempotency_${string}`, unknown>;

/**
 * Writes the key from inside a one-statement create: a CTE inserting the claim with the
 * response the statement builds (`body`, JSON text or json), for each row of `from` (the
 * created record, or none). Its values are placeholders, bound from `ClaimValues`, so a
 * statement built once per shape (`preparedStatement`) can carry it.
 */
export function claimCte({
  status,
  body,
  from,
  values = (name) => sql.placeholder(`idempotency_${name}`),
}: {
  status: number;
  body: SQL;
  from: SQL;
  /** Where each of `ClaimValues`' values comes from: its placeholder, or (for many claims) a column of `from`. */
  values?: (name: 'principal' | 'key' | 'request_hash' | 'method' | 'path') => SQL | Placeholder;
}): SQL {
  return sql`
    idempotency_claim as (
      insert into idempotency_keys (principal, key, request_hash, method, path, response_status, response_body)
      select ${values('principal')}, ${values('key')}, ${values('request_hash')},
             ${values('method')}, ${values('path')}, ${status}::int, (${body})::jsonb
      ${from}
    )`;
}

/**
 * A create that is a single statement (a hot path's usual case), so it needs no explicit
 * transaction: the statement writes the record and, through `claimCte` with the given
 * values, its key and response, which it returns as JSON text to send as is.
 * When the statement refuses (it returns nothing and writes nothing), the full `runCreate`
 * with `work` runs instead and explains why, or succeeds if things changed in between.
 * A committed twin's key aborts the statement with a unique violation; its response is replayed.
 */
export async function runOneStatementCreate(
  db: Db,
  request: FastifyRequest,
  reply: FastifyReply,
  attempt: (claim: ClaimValues | undefined) => Promise<CreatedJson | undefined>,
  work: (tx: Tx) => Promise<Result<Created>>,
): Promise<FastifyReply> {
  const claim = readClaim(request);
  if (claim !== undefined && 'code' in claim) return sendProblem(reply, claim);
  try {
    const created = await attempt(claim && claimValues(claim));
    if (created) return reply.code(created.status).type(JSON_CONTENT_TYPE).send(created.json);
  } catch (error) {
    if (!claim || !isKeyTaken(error)) throw error;
    const stored = await findStored(db, claim.principal, claim.key, claim.requestHash);
    if (stored) return sendStored(reply, stored);
  }
  return runCreate(db, request, reply, work);
}

/** What Fastify sends JSON bodies as. */
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

function claimValues(claim: Claim): ClaimValues {
  return {
    idempotency_principal: claim.principal,
    idempotency_key: claim.key,
    idempotency_request_hash: claim.requestHash,
    idempotency_method: claim.method,
    idempotency_path: claim.path,
  };
}

/** A unique violation on the key table (PGlite and node-postgres, bare or wrapped by Drizzle). */
function isKeyTaken(error: unknown): boolean {
  const bare = error as { code?: unknown; constraint?: unknown; cause?: { code?: unknown; constraint?: unknown } };
  const cause = bare?.code === undefined ? bare?.cause : bare;
  return cause?.code === '23505' && cause.constraint === 'idempotency_keys_principal_key_pk';
}

async function storeClaim(tx: Tx, claim: Claim): Promise<boolean> {
  const body = claim.responseBody === undefined ? null : JSON.stringify(claim.responseBody);
  const stored = await query(
    tx,
    sql`insert into idempotency_keys (principal, key, request_hash, method, path, response_status, response_body)
        values (${claim.principal}, ${claim.key}, ${claim.requestHash}, ${claim.method}, ${claim.path},
                ${claim.responseStatus ?? null}, ${body}::jsonb)
        on conflict do nothing
        returning key`,
    { prepare: true },
  );
  return stored.length > 0;
}

/** Marks "this key was used before": never sent to a client, only compared by identity. */
const ALREADY_CLAIMED = problem('conflict', 'This Idempotency-Key is already in use; its stored response follows.');

async function findStored(db: Db, principal: string, key: string, hash: string): Promise<Created | undefined> {
  const [row] = await db
    .select()
    .from(tables.idempotencyKeys)
    .where(and(eq(tables.idempotencyKeys.principal, principal), eq(tables.idempotencyKeys.key, key)));
  if (!row) return undefined;
  if (row.requestHash !== hash) {
    throw new ProblemError(
      problem(
        'idempotency_conflict',
        `Idempotency-Key "${key}" was first used with a different request (${row.method} ${row.path}). Use a new key for a new request.`,
      ),
    );
  }
  return { status: row.responseStatus ?? 200, body: openResponse(row.responseBody, row) };
}

/**
 * A response that shows a secret once (a new webhook subscription's `secret`) is kept with that
 * field sealed, and opened again for the replay: no table holds a secret in plaintext.
 */
const responseContext = (claim: { principal: string; key: string }) =>
  `idempotency_keys.response_body.secret:${claim.principal} ${claim.key}`;

function sealResponse(body: unknown, claim: { principal: string; key: string }): unknown {
  const secret = (body as { secret?: unknown } | null)?.secret;
  if (typeof secret !== 'string') return body;
  return { ...(body as object), secret: sealSecret(secret, responseContext(claim)) };
}

function openResponse(body: unknown, claim: { principal: string; key: string }): unknown {
  const secret = (body as { secret?: unknown } | null)?.secret;
  if (typeof secret !== 'string') return body;
  return { ...(body as object), secret: openSecret(secret, responseContext(claim)) };
}

/** The secrets of stored responses: how `consign secrets rotate` finds and rewrites them. */
export const sealedResponseSecrets: SealedColumn = {
  select: (afterId, skipLike, limit) =>
    sql`select principal || ' ' || key as id, response_body->>'secret' as value from idempotency_keys
        where principal || ' ' || key > ${afterId} and response_body->>'secret' not like ${skipLike}
        order by 1 limit ${limit}`,
  update: (id, old, value) => {
    const [principal, key] = id.split(' ') as [string, string];
    return sql`update idempotency_keys set response_body = jsonb_set(response_body, '{secret}', to_jsonb(${value}::text))
               where principal = ${principal} and key = ${key} and response_body->>'secret' = ${old}`;
  },
  context: (id) => {
    const [principal, key] = id.split(' ') as [string, string];
    return responseContext({ principal, key });
  },
};

function sendStored(reply: FastifyReply, stored: Created): FastifyReply {
  return reply.code(stored.status).header('idempotent-replayed', 'true').send(stored.body);
}

function send(reply: FastifyReply, result: Result<Created>): FastifyReply {
  if (!result.ok) return sendProblem(reply, result.problem);
  return reply.code(result.value.status).send(result.value.body);
}

/** How long a used key is kept: a retry within it replays the stored response (ADR 0004). */
const IDEMPOTENCY_RETENTION_HOURS = 24;

/** Deletes claims older than the retention window, in bounded batches. */
export async function pruneIdempotencyKeys(
  db: Db,
  olderThanHours = IDEMPOTENCY_RETENTION_HOURS,
  batch = 1000,
): Promise<number> {
  const result = (await db.execute(sql`
    delete from idempotency_keys where ctid in (
      select ctid from idempotency_keys
      where created_at < now() - make_interval(hours => ${olderThanHours})
      limit ${batch})`)) as unknown as { affectedRows?: number; rowCount?: number };
  return result.rowCount ?? result.affectedRows ?? 0;
}

interface IdempotencyPrunerOptions {
  intervalMs: number;
  /** Claims deleted per statement. */
  batchSize?: number;
  /** Statements per tick at most, so one tick never runs unbounded. */
  maxBatchesPerTick?: number;
  onError?: (error: unknown) => void;
  onPruned?: (count: number) => void;
}

/** Deletes claims past the retention window every `intervalMs` until stopped; ticks never overlap. */
export function startIdempotencyPruner(db: Db, options: IdempotencyPrunerOptions): { stop: () => Promise<void> } {
  const batchSize = options.batchSize ?? 1000;
  const maxBatches = options.maxBatchesPerTick ?? 20;
  return startIntervalWorker(
    options.intervalMs,
    async () => {
      let pruned = 0;
      for (let batch = 0; batch < maxBatches; batch++) {
        const count = await pruneIdempotencyKeys(db, IDEMPOTENCY_RETENTION_HOURS, batchSize);
        pruned += count;
        if (count < batchSize) break;
      }
      if (pruned > 0) options.onPruned?.(pruned);
    },
    (error) => options.onError?.(error),
  );
}
