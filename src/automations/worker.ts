import type { Db } from '../db/index.ts';
import { startIntervalWorker } from '../shared/interval-worker.ts';
import { createOutboxFollower, type OutboxWorker } from '../streaming/index.ts';
import { fanOutToRules } from './fan-out.ts';
import { runDueExecutions, type RunOptions } from './run.ts';
import { lookScheduled } from './schedule.ts';

interface AutomationWorkerOptions extends RunOptions {
  intervalMs: number;
  /** See streaming/settle.ts: 0 on the embedded engine. */
  gapGraceMs?: number;
  onError?: (error: unknown) => void;
}

interface AutomationWorker {
  /** Events → pending executions, scheduled looks → pending executions, then due executions run. */
  tick: () => Promise<{
    events: number;
    executions: number;
    scheduled: number;
    succeeded: number;
    retrying: number;
    failed: number;
  }>;
}

/** The worker's steps with their state (the outbox follower, the periods looked at), for the timer and tests. */
export function createAutomationWorker(
  db: Db,
  options: Omit<AutomationWorkerOptions, 'intervalMs'> = {},
): AutomationWorker {
  const follower = createOutboxFollower('automations', { gapGraceMs: options.gapGraceMs });
  const looked = new Map<string, number>();
  return {
    tick: async () => {
      const fanned = await fanOutToRules(db, follower);
      const scheduled = await lookScheduled(db, looked);
      return { ...fanned, scheduled, ...(await runDueExecutions(db, options)) };
    },
  };
}

/** Runs automations every `intervalMs` and at once when events commit (`wake`), until stopped. */
export function startAutomationWorker(db: Db, options: AutomationWorkerOptions): OutboxWorker {
  const worker = createAutomationWorker(db, options);
  const timer = startIntervalWorker(
    options.intervalMs,
    async () => {
      await worker.tick();
    },
    (error) => options.onError?.(error),
  );
  return { wake: timer.wake, stop: timer.stop };
}
