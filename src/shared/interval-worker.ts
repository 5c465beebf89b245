/**
 * Runs `work` every `intervalMs` (at least 10 ms) until stopped. Runs never overlap: a tick that
 * comes while one is still running is dropped. `stop` waits for the running one to finish. The
 * timer does not keep the process alive.
 */
export function startIntervalWorker(
  intervalMs: number,
  work: () => Promise<void>,
  onError: (error: unknown) => void,
): { stop: () => Promise<void> } {
  let running: Promise<void> | undefined;
  let stopped = false;
  const timer = setInterval(
    () => {
      if (running || stopped) return;
      running = work()
        .catch(onError)
        .finally(() => {
          running = undefined;
        });
    },
    Math.max(intervalMs, 10),
  );
  timer.unref();
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
