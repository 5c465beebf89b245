import { sql } from 'drizzle-orm';
import { inTransaction, queryOne, type Db, type Tx } from '../db/index.ts';
import { startIntervalWorker } from '../shared/interval-worker.ts';
import { problem } from '../shared/problem.ts';
import { ok } from '../shared/result.ts';
import { loadSubscription, type SubscriptionRow } from './read.ts';
import { recordSubscriptionEvent } from './events.ts';
import { recordFailure, SCHEDULER_ACTOR, workOnSubscription, type StepOutcome } from './run-period.ts';
import { transitionSubscription } from './transitions.ts';

export interface SchedulerRun {
  ordered: number;
  retrying: number;
  failed: number;
  /** Steps that had nothing to do after all (the subscription moved on meanwhile). */
  skipped: number;
  /** Subscriptions whose step threw; recorded as a failed attempt and retried by policy. */
  errors: number;
}

interface RunOptions {
  /** The scheduler's clock: periods dated up to `now` are due. Tests pass their own. */
  now?: Date;
  /** At most this many steps (one period attempt each) per run. */
  batch?: number;
  onError?: (error: unknown, subscriptionId: string) => void;
}

/** The next due subscription no other scheduler holds: claimed with its row lock for this transaction. */
async function claimDue(tx: Tx, now: Date): Promise<SubscriptionRow | undefined> {
  return queryOne<SubscriptionRow>(
    tx,
    sql`select * from subscriptions
        where status = 'active' and next_attempt_at <= ${now.toISOString()}::timestamptz
        order by next_attempt_at, id
        limit 1
        for update skip locked`,
  );
}

/**
 * A step that threw is a failed attempt too, so one broken subscription cannot stall the rest.
 * When recording the failure throws as well (say its stored schedule no longer parses), the
 * subscription is paused for a person to look at.
 */
async function recordCrash(db: Db, id: string, error: unknown, now: Date): Promise<void> {
  const detail = (error instanceof Error ? error.message : String(error)).slice(0, 500);
  try {
    await inTransaction(db, async (tx) => {
      const s = await loadSubscription(tx, id, 'skip');
      if (!s || s.status !== 'active' || s.next_period_at === null) return ok(undefined);
      await recordFailure(tx, s, s.attempts + 1, problem('internal_error', detail), now);
      return ok(undefined);
    });
  } catch {
    await inTransaction(db, async (tx) => {
      const paused = await transitionSubscription(tx, id, 'active', 'paused');
      if (paused.ok)
        await recordSubscriptionEvent(tx, id, 'subscription.paused', SCHEDULER_ACTOR, {
          reason: 'internal_error',
          detail,
        });
      return ok(undefined);
    });
  }
}

/**
 * Works through due subscriptions, one period attempt per transaction, at most `batch` steps.
 * Each step claims a subscription with FOR UPDATE SKIP LOCKED, so several schedulers (server
 * processes) share the work and never work on one subscription at once; a subscription with
 * several missed periods (`catch_up: all`) gets one step per period.
 */
export async function runDueSubscriptions(db: Db, options: RunOptions = {}): Promise<SchedulerRun> {
  const now = options.now ?? new Date();
  const run: SchedulerRun = { ordered: 0, retrying: 0, failed: 0, skipped: 0, errors: 0 };
  for (let step = 0; step < (options.batch ?? 50); step++) {
    let claimed: string | undefined;
    let outcome: StepOutcome | 'skipped' | null;
    try {
      const result = await inTransaction(db, async (tx) => {
        const due = await claimDue(tx, now);
        if (!due) return ok(null);
        claimed = due.id;
        return ok(await workOnSubscription(tx, due, now));
      });
      outcome = result.ok ? result.value : null;
    } catch (error) {
      if (claimed === undefined) throw error;
      options.onError?.(error, claimed);
      await recordCrash(db, claimed, error, now);
      run.errors++;
      continue;
    }
    if (outcome === null) break;
    run[outcome]++;
    // Let requests waiting for the database go first (the embedded engine runs one transaction at a time).
    await new Promise((resolve) => setImmediate(resolve));
  }
  return run;
}

interface SchedulerWorkerOptions {
  intervalMs: number;
  batch?: number;
  onError?: (error: unknown) => void;
  onRun?: (run: SchedulerRun) => void;
}

/** Runs the scheduler every `intervalMs` until stopped; runs never overlap. */
export function startSubscriptionScheduler(db: Db, options: SchedulerWorkerOptions) {
  const onError = (error: unknown) => options.onError?.(error);
  return startIntervalWorker(
    options.intervalMs,
    async () => options.onRun?.(await runDueSubscriptions(db, { batch: options.batch ?? 50, onError })),
    onError,
  );
}
