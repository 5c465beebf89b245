import fc from 'fast-check';
import type { Operation, Parameter } from './openapi.ts';
import { hostileNumber, hostileString, hostileValue, mutate, mutation, plausible } from './values.ts';

/**
 * A malformed (or now and then well-formed) request for one operation. Path segments may name
 * an ID seen in an earlier answer (`pool`), resolved when the request is sent, so requests reach
 * real records as well as missing ones.
 */
export interface FuzzRequest {
  operation: string;
  method: string;
  path: string;
  segments: Record<string, Segment>;
  query: [string, string | PoolRef][];
  body: Body;
  key: 'admin' | 'none' | 'unknown';
  idempotencyKey: string | undefined;
  /** A signed webhook: the signer's name (the body is signed as sent). */
  signer: string | undefined;
}

export interface PoolRef {
  pool: number;
}
export type Segment = PoolRef | { text: string } | { raw: string };
export type Body =
  { kind: 'none' } | { kind: 'json'; value: unknown } | { kind: 'text'; text: string; contentType: string | undefined };

const poolRef = fc.nat().map((pool): PoolRef => ({ pool }));

const asText = (value: unknown) =>
  typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);

function segment(parameter: Parameter): fc.Arbitrary<Segment> {
  return fc.oneof(
    { weight: 6, arbitrary: poolRef },
    { weight: 2, arbitrary: plausible(parameter.schema).map((v) => ({ text: asText(v) })) },
    { weight: 2, arbitrary: fc.oneof(hostileString, hostileNumber.map(String)).map((text) => ({ text })) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('%ZZ', '%', '%E0%A4%A', '..', '%2F', `ord_${'a'.repeat(300)}`).map((raw) => ({ raw })),
    },
  );
}

function queryValue(parameter: Parameter): fc.Arbitrary<string | PoolRef> {
  return fc.oneof(
    { weight: 3, arbitrary: plausible(parameter.schema).map(asText) },
    { weight: 2, arbitrary: fc.oneof(hostileString, hostileNumber.map(String), hostileValue.map(asText)) },
    { weight: 1, arbitrary: poolRef },
  );
}

const malformedBodies: fc.Arbitrary<Body> = fc.oneof(
  fc
    .constantFrom('{"a":', '', '[', 'null', '"text"', '{"a":1}}', '\u0000', '{"a":"\\ud800"}', '{"__proto__":{"x":1}}')
    .map((text): Body => ({ kind: 'text', text, contentType: 'application/json' })),
  fc
    .constantFrom(
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/xml',
      'multipart/form-data',
      undefined,
    )
    .map((contentType): Body => ({ kind: 'text', text: 'a=1&b=2', contentType })),
);

function body(base: fc.Arbitrary<unknown> | undefined): fc.Arbitrary<Body> {
  if (!base) {
    return fc.oneof(
      { weight: 8, arbitrary: fc.constant<Body>({ kind: 'none' }) },
      { weight: 1, arbitrary: hostileValue.map((value): Body => ({ kind: 'json', value })) },
      { weight: 1, arbitrary: malformedBodies },
    );
  }
  const json = fc
    .tuple(base, fc.array(mutation, { maxLength: 3 }))
    .map(([value, mutations]): Body => ({ kind: 'json', value: mutate(value, mutations) }));
  return fc.oneof({ weight: 9, arbitrary: json }, { weight: 1, arbitrary: malformedBodies });
}

/** Requests for `operation`; `base` replaces the schema's plausible body (a platform's own payload). */
export function requestsFor(
  operation: Operation,
  options: { base?: fc.Arbitrary<unknown>; signer?: string } = {},
): fc.Arbitrary<FuzzRequest> {
  const base = options.base ?? (operation.body ? plausible(operation.body) : undefined);
  return fc.record({
    operation: fc.constant(`${operation.method} ${operation.path}`),
    method: fc.constant(operation.method),
    path: fc.constant(operation.path),
    segments: fc.record(Object.fromEntries(operation.pathParams.map((p) => [p.name, segment(p)]))),
    query: fc
      .tuple(
        ...operation.query.map((p) =>
          fc.option(queryValue(p), { freq: 2 }).map((v) => (v === null ? [] : [[p.name, v]])),
        ),
        fc.option(fc.tuple(fc.string({ maxLength: 10 }), hostileString), { freq: 8 }).map((v) => (v ? [v] : [])),
      )
      .map((pairs) => pairs.flat() as [string, string | PoolRef][]),
    body: body(base),
    key: options.signer
      ? fc.constant('none' as const)
      : fc.constantFrom('admin', 'admin', 'admin', 'admin', 'admin', 'admin', 'admin', 'admin', 'none', 'unknown'),
    idempotencyKey:
      operation.method === 'POST'
        ? fc.option(fc.stringMatching(/^[!-~]{1,300}$/), { freq: 5, nil: undefined })
        : fc.constant(undefined),
    signer: fc.constant(options.signer),
  });
}
