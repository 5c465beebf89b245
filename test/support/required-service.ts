/**
 * Tests that need a service of the machine (a browser, a NATS server) skip with a message when it
 * is missing on a developer machine. Under CI (`CI` set, and not `false` or `0`) a missing service
 * is a failure: a run that skipped them must not pass as green.
 */
export function serviceOrSkip(available: boolean, missing: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (available) return true;
  if (underCi(env)) throw new Error(`${missing} Under CI these tests fail instead of skipping.`);
  console.warn(`Skipping: ${missing}`);
  return false;
}

export function underCi(env: NodeJS.ProcessEnv): boolean {
  return env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
}
