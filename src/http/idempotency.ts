import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { inTransaction, tables, type Db, type Tx } from '../db/index.ts';
import { problem, ProblemError } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { sendProblem } from './errors.ts';

export interface Created {
  status: number;
  body: unknown;
}

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${stableStringify(body ?? null)}`)
    .digest('hex');
}

/**
 * Runs a creating request once per `Idempotency-Key`. The key is claimed inside the same
 * transaction as the write, so a crash leaves neither the record nor the claim; a concurrent
 * duplicate waits on the claim's row lock and then replays the stored response.
 * Expected failures roll back the claim too: a retry after a 409 runs again.
 */
export async function runCreate(
  db: Db,
  request: FastifyRequest,
  reply: FastifyReply,
  work: (tx: Tx) => Promise<Result<Created>>,
): Promise<FastifyReply> {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return send(reply, await inTransaction(db, work));
  if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
    return sendProblem(reply, problem('validation_failed', 'Idempotency-Key must be 1–255 visible ASCII characters.'));
  }
  const principal = request.principal.keyId;
  const path = request.url.split('?')[0] ?? request.url;
  const hash = requestHash(request.method, path, request.body);

  // The claim is the first statement: a new key costs one insert; a used one conflicts (after
  // waiting for a concurrent twin to commit) and the stored response is replayed.
  const result = await inTransaction(db, async (tx) => {
    const claimed = await tx
      .insert(tables.idempotencyKeys)
      .values({ principal, key, requestHash: hash, method: request.method, path })
      .onConflictDoNothing()
      .returning({ key: tables.idempotencyKeys.key });
    if (claimed.length === 0) return fail(ALREADY_CLAIMED);
    const created = await work(tx);
    if (!created.ok) return created;
    await tx
      .update(tables.idempotencyKeys)
      .set({ responseStatus: created.value.status, responseBody: created.value.body as object })
      .where(and(eq(tables.idempotencyKeys.principal, principal), eq(tables.idempotencyKeys.key, key)));
    return ok(created.value);
  });
  if (!result.ok && result.problem === ALREADY_CLAIMED) {
    const stored = await findStored(db, principal, key, hash);
    if (stored) return sendStored(reply, stored);
  }
  return send(reply, result);
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
  return { status: row.responseStatus ?? 200, body: row.responseBody };
}

function sendStored(reply: FastifyReply, stored: Created): FastifyReply {
  return reply.code(stored.status).header('idempotent-replayed', 'true').send(stored.body);
}

function send(reply: FastifyReply, result: Result<Created>): FastifyReply {
  if (!result.ok) return sendProblem(reply, result.problem);
  return reply.code(result.value.status).send(result.value.body);
}

/** Deletes claims older than the retention window, in bounded batches. */
export async function pruneIdempotencyKeys(db: Db, olderThanHours = 24, batch = 1000): Promise<number> {
  const result = (await db.execute(sql`
    delete from idempotency_keys where ctid in (
      select ctid from idempotency_keys
      where created_at < now() - make_interval(hours => ${olderThanHours})
      limit ${batch})`)) as unknown as { affectedRows?: number; rowCount?: number };
  return result.rowCount ?? result.affectedRows ?? 0;
}
