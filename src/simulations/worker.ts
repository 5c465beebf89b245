import type { Db } from '../db/index.ts';
import { startIntervalWorker } from '../shared/interval-worker.ts';
import { claimSimulation } from './jobs.ts';
import { runSimulation } from './run.ts';

/** The simulations this process is running on a database, one after another, and whether to stop. */
interface Runner {
  done: Promise<void>;
  stopping: boolean;
}

const runners = new WeakMap<Db, Runner>();

/**
 * Runs every queued simulation in this process, one at a time, until none is left (a no-op when
 * this process is already doing so: the running loop claims the new one next). Simulations are
 * claimed by compare-and-set, so processes sharing a database never run one twice.
 */
export function runQueuedSimulations(db: Db, onError: (error: unknown) => void = () => {}): Promise<void> {
  const current = runners.get(db);
  if (current) return current.done;
  const runner: Runner = { done: Promise.resolve(), stopping: false };
  runner.done = (async () => {
    try {
      while (!runner.stopping) {
        const simulation = await claimSimulation(db);
        if (!simulation) break;
        await runSimulation(db, simulation, { stopping: () => runner.stopping });
      }
    } catch (error) {
      onError(error);
    } finally {
      runners.delete(db);
    }
  })();
  runners.set(db, runner);
  return runner.done;
}

/**
 * Picks up simulations no process is running: queued ones, and running ones whose process died
 * (their heartbeat stopped); `stop` interrupts the one running here between two slices, leaving
 * it to be claimed again and replayed from the start.
 */
export function startSimulationWorker(db: Db, options: { intervalMs: number; onError?: (error: unknown) => void }) {
  const worker = startIntervalWorker(
    options.intervalMs,
    () => runQueuedSimulations(db, options.onError),
    (error) => options.onError?.(error),
  );
  return {
    wake: worker.wake,
    stop: async () => {
      const runner = runners.get(db);
      if (runner) runner.stopping = true;
      await Promise.all([worker.stop(), runner?.done]);
    },
  };
}
