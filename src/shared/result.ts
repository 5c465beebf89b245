import type { Problem } from './problem.ts';

/** Expected outcomes are values, not exceptions: `ok` with a value or a typed problem. */
export type Result<T, P extends Problem = Problem> = { ok: true; value: T } | { ok: false; problem: P };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const fail = <P extends Problem>(problem: P): { ok: false; problem: P } => ({ ok: false, problem });
