/**
 * Calls `fire` at most once per `gapMs`. A call when `fire` last ran `gapMs` ago or more fires at
 * once (an isolated signal is not delayed); calls within the gap fire it once, when the gap has
 * passed (a burst of signals costs one more firing, not one each). `cancel` drops a pending firing.
 * `now` is the clock in ms (tests pass their own).
 */
export function throttle(
  fire: () => void,
  gapMs: number,
  now: () => number = Date.now,
): { call: () => void; cancel: () => void } {
  let lastMs = -Infinity;
  let pending: ReturnType<typeof setTimeout> | undefined;
  const fireNow = () => {
    pending = undefined;
    lastMs = now();
    fire();
  };
  return {
    call: () => {
      if (pending !== undefined) return;
      const waitMs = lastMs + gapMs - now();
      if (waitMs <= 0) return fireNow();
      pending = setTimeout(fireNow, waitMs);
      pending.unref?.();
    },
    cancel: () => {
      if (pending !== undefined) clearTimeout(pending);
      pending = undefined;
    },
  };
}
