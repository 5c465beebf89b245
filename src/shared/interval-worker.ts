/**
 * Runs `work` every `intervalMs` (at least 10 ms) until stopped, and at once on `wake()`. Runs
 * never overlap: a tick that comes while one is still running is dropped, while a wake that comes
 * then runs `work` once more right after it (so nothing signalled during a run waits for the next
 * tick). A run that resolves `true` left work behind (it stopped at its cap per run): the next
 * run starts right after it, so a backlog drains at full speed instead of one cap per tick.
 * `stop` waits for the running one to finish. The timer does not keep the process alive.
 */
export function startIntervalWorker(
  intervalMs: number,
  work: () => Promise<void | boolean>,
  onError: (error: unknown) => void,
): { stop: () => Promise<void>; wake: () => void } {
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  const run = () => {
    running = work()
      .then((more) => {
        if (more === true) again = true;
      })
      .catch(onError)
      .finally(() => {
        running = undefined;
        if (again && !stopped) {
          again = false;
          run();
        }
      });
  };
  const timer = setInterval(
    () => {
      if (running || stopped) return;
      run();
    },
    Math.max(intervalMs, 10),
  );
  timer.unref();
  return {
    wake: () => {
      if (stopped) return;
      if (running) again = true;
      else run();
    },
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      while (running) await running;
    },
  };
}
