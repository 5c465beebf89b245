import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requestHash, stableStringify } from './idempotency.ts';

/** The canonical text as first defined: stored request hashes were made from it. */
function reference(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

describe('stableStringify', () => {
  it('writes the reference text for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => stableStringify(value) === reference(value)),
      { numRuns: 2000 },
    );
  });

  it('writes the reference text for values that are not plain JSON too', () => {
    fc.assert(
      fc.property(fc.anything({ withSparseArray: true, withBoxedValues: true, withNullPrototype: true }), (value) => {
        let expected: string;
        try {
          expected = reference(value);
        } catch {
          return true; // e.g. BigInt: both throw
        }
        return stableStringify(value) === expected;
      }),
      { numRuns: 2000 },
    );
    const sparse = [1, 2, 3];
    delete sparse[1];
    const odd = {
      b: sparse,
      a: { 10: 'x', 9: 'y', __proto__: null },
      c: undefined,
      d: () => 1,
      e: new Date(0),
      f: JSON.parse('{"__proto__":{"x":1},"a":2}') as unknown,
    };
    expect(stableStringify(odd)).toBe(reference(odd));
  });

  it('hashes a body by content, not by key order, as it always has', () => {
    const body = {
      feed_id: 'f-1',
      mode: 'snapshot',
      as_of: '2026-11-20T10:00:00Z',
      rows: [
        { location_id: 'loc_1', sku: 'A"1', on_hand: 5 },
        { sku: 'B', location_id: 'loc_2', on_hand: 0, safety_stock: 2 },
      ],
    };
    const reordered = {
      rows: body.rows
        .map((r) => ({ ...r }))
        .reverse()
        .reverse(),
      as_of: body.as_of,
      mode: 'snapshot',
      feed_id: 'f-1',
    };
    // Made before the canonical text was built by JSON.stringify: stored hashes must still match.
    const stored = '794d13de326a62b480cd8a137f67895dbb79ed2d9b458e95a166b960b60ec132';
    expect(requestHash('POST', '/v1/inventory/feeds', body)).toBe(stored);
    expect(requestHash('POST', '/v1/inventory/feeds', reordered)).toBe(stored);
  });
});
