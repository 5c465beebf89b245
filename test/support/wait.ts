const POLL_INTERVAL_MS = 50;

/**
 * Polls `check` until it returns something other than `undefined` or `false`, and returns that.
 * Bounded: after `timeoutMs` it throws with `what` and the last value `describe` gives, so a
 * failure says how far things got.
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  options: { timeoutMs: number; describe?: () => string | Promise<string> },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) {
      const state = options.describe ? ` (${await options.describe()})` : '';
      throw new Error(`${what}: not within ${options.timeoutMs} ms${state}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}
