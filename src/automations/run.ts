/**
 * Runs due executions. A claim (`FOR UPDATE SKIP LOCKED`) counts the attempt and leases the
 * execution by pushing `next_attempt_at` past the time its actions may take, as webhook
 * deliveries do. Each action is then recorded done in `results` under a compare-and-set on the
 * lease, in the transaction that ran it: a retry resumes after the actions already done, and an
 * execution whose lease ran out (its process died) is taken up again by another process.
 */
import { sql } from 'drizzle-orm';
import { inTransaction, query, type Db, type Tx } from '../db/index.ts';
import { recordEvents } from '../events/index.ts';
import { ProblemError, problem } from '../shared/problem.ts';
import { ok, type Result } from '../shared/result.ts';
import { callWebhook, isDatabaseAction, runDatabaseAction } from './actions.ts';
import type { Action } from './definition.ts';
import { automationActor } from './match.ts';

/** Waits after the 1st, 2nd and 3rd failure; the 4th attempt that fails leaves the execution `failed`. */
const AUTOMATION_RETRY_SCHEDULE_MS: readonly number[] = [30_000, 2 * 60_000, 10 * 60_000];

export interface RunOptions {
  retryScheduleMs?: readonly number[];
  /** Per webhook call; default 10 s. */
  timeoutMs?: number;
  batchSize?: number;
  maxBatches?: number;
}

interface Claim {
  id: number;
  rule_id: string;
  version: number;
  event_id: number | null;
  order_id: string | null;
  depth: number;
  actions: Action[];
  results: unknown[];
  attempts: number;
  lease: string;
}

const LEASE_MARGIN_MS = 60_000;

export async function runDueExecutions(
  db: Db,
  options: RunOptions = {},
): Promise<{ succeeded: number; retrying: number; failed: number }> {
  const total = { succeeded: 0, retrying: 0, failed: 0 };
  const batchSize = options.batchSize ?? 20;
  for (let batch = 0; batch < (options.maxBatches ?? 10); batch++) {
    const claims = await claimDue(db, batchSize, (options.timeoutMs ?? 10_000) * 10 + LEASE_MARGIN_MS);
    for (const claim of claims) total[await runClaim(db, claim, options)]++;
    if (claims.length < batchSize) break;
  }
  return total;
}

async function claimDue(db: Db, limit: number, leaseMs: number): Promise<Claim[]> {
  return query<Claim>(
    db,
    sql`with due as (
          select id from automation_executions
          where status = 'pending' and next_attempt_at <= now()
          order by next_attempt_at, id limit ${limit}
          for update skip locked
        )
        update automation_executions x
        set attempts = x.attempts + 1, next_attempt_at = now() + make_interval(secs => ${leaseMs / 1000}), updated_at = now()
        from due where x.id = due.id
        returning x.id, x.rule_id, x.version, x.event_id, x.order_id, x.depth, x.actions, x.results, x.attempts,
                  x.next_attempt_at::text as lease`,
  );
}

/** Locks the execution if the claim still stands; a lost lease rolls the action back. */
async function holdLease(tx: Tx, claim: Claim): Promise<void> {
  const rows = await query(
    tx,
    sql`select id from automation_executions
        where id = ${claim.id} and status = 'pending' and next_attempt_at = ${claim.lease}::timestamptz for update`,
  );
  if (rows.length === 0) throw new ProblemError(problem('conflict', `Execution ${claim.id} was taken up elsewhere.`));
}

async function runClaim(db: Db, claim: Claim, options: RunOptions): Promise<'succeeded' | 'retrying' | 'failed'> {
  const actor = automationActor(claim.rule_id, claim.id);
  for (let i = claim.results.length; i < claim.actions.length; i++) {
    const action = claim.actions[i]!;
    const done = await runAction(db, claim, action, i, actor, options);
    if (!done.ok) {
      if (done.problem.code === 'conflict') return 'retrying';
      return settleFailure(db, claim, i, done.problem.detail, options);
    }
  }
  const settled = await inTransaction(db, async (tx) => {
    await holdLease(tx, claim);
    await tx.execute(
      sql`update automation_executions set status = 'succeeded', last_error = null, updated_at = now() where id = ${claim.id}`,
    );
    await recordOutcomeEvent(tx, claim, 'automation.executed', actor, {});
    return ok(undefined);
  });
  return settled.ok ? 'succeeded' : 'retrying';
}

async function runAction(
  db: Db,
  claim: Claim,
  action: Action,
  index: number,
  actor: string,
  options: RunOptions,
): Promise<Result<void>> {
  let outcome: unknown = null;
  /** Names this action of this execution, for every attempt: what it makes, it makes once. */
  const sourceKey = `automation-${claim.id}-${index}`;
  if (!isDatabaseAction(action) && action.type === 'call_webhook') {
    const called = await callWebhook({
      url: action.url,
      idempotencyKey: sourceKey,
      body: {
        automation_id: claim.rule_id,
        version: claim.version,
        execution_id: claim.id,
        event_id: claim.event_id,
        order_id: claim.order_id,
      },
      timeoutMs: options.timeoutMs ?? 10_000,
    });
    if (!called.ok) return called;
    outcome = called.value;
  }
  return inTransaction(db, async (tx) => {
    await holdLease(tx, claim);
    if (isDatabaseAction(action)) {
      const ran = await runDatabaseAction(tx, action, {
        orderId: claim.order_id,
        actor,
        idempotencyKey: `automation:${claim.id}:${index}`,
      });
      if (!ran.ok) return ran;
      outcome = ran.value ?? null;
    }
    await tx.execute(
      sql`update automation_executions set results = results || ${JSON.stringify([{ type: action.type, outcome }])}::jsonb, updated_at = now()
          where id = ${claim.id}`,
    );
    return ok(undefined);
  });
}

/** A failed action: tried again per the schedule, or, after the last attempt, `failed` on the timeline. */
async function settleFailure(
  db: Db,
  claim: Claim,
  index: number,
  error: string,
  options: RunOptions,
): Promise<'retrying' | 'failed'> {
  const schedule = options.retryScheduleMs ?? AUTOMATION_RETRY_SCHEDULE_MS;
  const failed = claim.attempts > schedule.length;
  const delaySeconds = failed ? 0 : schedule[claim.attempts - 1]! / 1000;
  const message = `action ${index} (${claim.actions[index]!.type}): ${error}`.slice(0, 1000);
  const settled = await inTransaction(db, async (tx) => {
    await holdLease(tx, claim);
    await tx.execute(
      sql`update automation_executions
          set status = ${failed ? 'failed' : 'pending'}, next_attempt_at = now() + make_interval(secs => ${delaySeconds}),
              last_error = ${message}, updated_at = now()
          where id = ${claim.id}`,
    );
    if (failed)
      await recordOutcomeEvent(tx, claim, 'automation.failed', automationActor(claim.rule_id, claim.id), {
        error: message,
      });
    return ok(undefined);
  });
  return settled.ok && failed ? 'failed' : 'retrying';
}

async function recordOutcomeEvent(
  tx: Tx,
  claim: Claim,
  type: string,
  actor: string,
  extra: Record<string, unknown>,
): Promise<void> {
  const results = await query<{ results: unknown[] }>(
    tx,
    sql`select results from automation_executions where id = ${claim.id}`,
  );
  await recordEvents(tx, [
    {
      type,
      subjectType: claim.order_id ? 'order' : 'automation',
      subjectId: claim.order_id ?? claim.rule_id,
      payload: {
        ...(claim.order_id ? { order_id: claim.order_id } : {}),
        automation_id: claim.rule_id,
        version: claim.version,
        execution_id: claim.id,
        event_id: claim.event_id,
        actions: claim.actions,
        results: results[0]?.results ?? [],
        attempts: claim.attempts,
        actor,
        ...extra,
      },
    },
  ]);
}
