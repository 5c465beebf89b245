import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';

/**
 * A comma-separated filter of known values (`?status=confirmed,cancelled`): the values (absent
 * or empty: no filter), or a `validation_failed` problem naming each unknown value and the
 * allowed ones. An unknown value would otherwise match nothing and look like an empty result.
 */
export function parseValueList<T extends string>(
  raw: string | undefined,
  allowed: readonly T[],
  parameter: string,
): Result<T[] | undefined> {
  const values = raw
    ?.split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
  if (!values?.length) return ok(undefined);
  const unknown = values.filter((v) => !(allowed as readonly string[]).includes(v));
  if (unknown.length === 0) return ok(values as T[]);
  const named = unknown.map((v) => `"${v}"`).join(', ');
  return fail(
    problem('validation_failed', `Unknown ${parameter} ${named}; use one or more of ${allowed.join(', ')}.`, {
      errors: [{ pointer: `/query/${parameter}`, message: `${named} is not one of ${allowed.join(', ')}` }],
      allowed,
    }),
  );
}
