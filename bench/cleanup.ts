/**
 * What the bench must undo however it ends: child servers, the bench database, temporary data
 * directories. Tasks run last-in first-out, each once.
 */
export interface CleanupTask {
  name: string;
  run: () => Promise<void>;
  /** A synchronous last resort for when the process is already exiting (kill a child). */
  runNow?: () => void;
}

const CLEANUP_TIMEOUT_MS = 30_000;
const tasks: CleanupTask[] = [];

/** Registers a task; the returned function runs it now and forgets it. */
export function onCleanup(task: CleanupTask): () => Promise<void> {
  tasks.push(task);
  return async () => {
    const index = tasks.indexOf(task);
    if (index === -1) return;
    tasks.splice(index, 1);
    await task.run();
  };
}

export async function cleanupAll(): Promise<void> {
  while (tasks.length > 0) {
    const task = tasks.pop()!;
    try {
      await task.run();
    } catch (error) {
      process.stderr.write(`bench: cleanup "${task.name}" failed: ${(error as Error).message}\n`);
    }
  }
}

/** Ctrl-C, SIGTERM or a crash: clean up (bounded in time), then exit 130/143/1. */
export function cleanUpOnAbort(): void {
  let stopping = false;
  const stop = (why: string, exitCode: number) => {
    if (stopping) process.exit(1);
    stopping = true;
    process.stderr.write(`\nbench: ${why}; cleaning up…\n`);
    setTimeout(() => process.exit(1), CLEANUP_TIMEOUT_MS).unref();
    void cleanupAll().finally(() => process.exit(exitCode));
  };
  process.on('SIGINT', () => stop('SIGINT', 130));
  process.on('SIGTERM', () => stop('SIGTERM', 143));
  const crash = (error: unknown) =>
    stop(`crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`, 1);
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  process.on('exit', () => {
    for (const task of tasks) task.runNow?.();
  });
}
