/**
 * One int8 parser for both engines: PostgreSQL `bigint` values arrive as text and become
 * JavaScript numbers when they are safe integers. Larger values are a bug in Consign (money and
 * quantities stay far below 2^53), so they fail loudly instead of losing precision.
 */
export function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`int8 value ${text} is outside the safe integer range`);
  }
  return value;
}

export const INT8_OID = 20;
