import { beyondClockSkew, CLOCK_SKEW_MS } from '../shared/clock.ts';
import { problem, type Problem } from '../shared/problem.ts';

/**
 * A count or feed dated in the future would win over every later one (they all look older), so
 * its level would stop following real counts: such an `as_of` is refused, with a little room for
 * a sender's clock running ahead of ours.
 */
export function futureAsOf(asOf: string | undefined, nowMs: number = Date.now()): Problem | undefined {
  if (asOf === undefined || !beyondClockSkew(asOf, nowMs)) return undefined;
  const given = new Date(asOf).toISOString();
  const now = new Date(nowMs).toISOString();
  const minutes = Math.ceil((Date.parse(asOf) - nowMs) / 60_000);
  const allowed = CLOCK_SKEW_MS / 60_000;
  return problem(
    'as_of_in_future',
    `as_of ${given} is ${minutes} minutes ahead of this server's clock (${now}); at most ${allowed} minutes ahead is accepted. ` +
      'Send the time the data was taken (check the sending system’s clock and time zone), or leave as_of out of a count to count as of now.',
    {
      as_of: given,
      server_time: now,
      max_skew_seconds: CLOCK_SKEW_MS / 1000,
      errors: [{ pointer: '/as_of', message: `is ${minutes} minutes in the future; at most ${allowed} minutes ahead` }],
    },
  );
}
