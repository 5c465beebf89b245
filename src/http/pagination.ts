import { Type } from '@sinclair/typebox';
import { problem, ProblemError } from '../shared/problem.ts';

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50, description: 'Page size (1–500).' })),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'The `next_cursor` of the previous page.' })),
};

/** Cursors are opaque to clients: base64url of the last row's sort key. */
export function encodeCursor(key: string | number): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor<K extends string | number>(
  cursor: string | undefined,
  kind: 'string' | 'number',
): K | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof value === kind) return value as K;
  } catch {
    // fall through to the problem below
  }
  throw new ProblemError(problem('validation_failed', 'cursor is not one this API issued; start again without it.'));
}

/** Takes `limit + 1` rows; the extra row only tells whether another page exists. */
export function page<T>(rows: T[], limit: number, keyOf: (row: T) => string | number) {
  const data = rows.slice(0, limit);
  const last = data.at(-1);
  return { data, next_cursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}
