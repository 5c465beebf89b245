import { describe, expect, it } from 'vitest';
import { returnStatuses, returnTransitions, transitionProblem, type ReturnStatus } from './transitions.ts';

const allowed: [ReturnStatus, ReturnStatus][] = [
  ['initiated', 'authorized'],
  ['initiated', 'rejected'],
  ['initiated', 'cancelled'],
  ['authorized', 'received'],
  ['authorized', 'cancelled'],
  ['received', 'restocked'],
  ['received', 'written_off'],
  ['restocked', 'refunded'],
  ['written_off', 'refunded'],
];

describe('return transitions', () => {
  const pairs = returnStatuses.flatMap((from) => returnStatuses.map((to) => [from, to] as const));
  it.each(pairs)('%s → %s', (from, to) => {
    const expected = allowed.some(([f, t]) => f === from && t === to);
    const refused = transitionProblem('rma_x', from, to);
    expect(refused === null).toBe(expected);
    if (refused) expect(refused).toMatchObject({ code: 'illegal_transition', from, to });
  });
  it('names every status in the table, and only the final ones lead nowhere', () => {
    expect(Object.keys(returnTransitions).sort()).toEqual([...returnStatuses].sort());
    expect(returnStatuses.filter((s) => returnTransitions[s].length === 0).sort()).toEqual([
      'cancelled',
      'refunded',
      'rejected',
    ]);
  });
});
