import fc from 'fast-check';
import type { Schema } from './openapi.ts';

/**
 * Values for the fuzzer: `plausible` ones that follow a schema (so a request gets past
 * validation and reaches the code behind it), `hostile` ones no schema should let through
 * unharmed, and mutations that put hostile values, missing fields and extra fields into a
 * plausible body.
 */

const MAX_DEPTH = 6;

export function plausible(schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > MAX_DEPTH) return fc.constant(null);
  if (Array.isArray(schema.anyOf)) return fc.oneof(...schema.anyOf.map((s: Schema) => plausible(s, depth + 1)));
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
  if (schema.const !== undefined) return fc.constant(schema.const);
  switch (schema.type) {
    case 'string':
      return plausibleString(schema);
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -(2 ** 31), max: schema.maximum ?? 2 ** 31 - 1 });
    case 'number':
      return fc.double({
        min: schema.minimum ?? -1e6,
        max: schema.maximum ?? 1e6,
        noNaN: true,
        noDefaultInfinity: true,
      });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(plausible(schema.items, depth + 1), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 3, 3)),
      });
    case 'object':
      return plausibleObject(schema, depth);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function plausibleString(schema: Schema): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? 40, 40));
  const fits = (s: string) => s.length >= (schema.minLength ?? 0) && s.length <= (schema.maxLength ?? Infinity);
  switch (schema.format) {
    case 'date-time':
      return fc
        .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2040-01-01T00:00:00Z'), noInvalidDate: true })
        .map((d) => d.toISOString());
    case 'date':
      return fc
        .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2040-01-01T00:00:00Z'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10));
    case 'email':
      return fc.emailAddress().filter(fits);
    case 'uri':
      return fc.constantFrom('https://example.com/hook', 'http://127.0.0.1:9/none');
  }
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern)).filter(fits);
  return fc.string({ minLength, maxLength, unit: 'grapheme' });
}

function plausibleObject(schema: Schema, depth: number): fc.Arbitrary<unknown> {
  const properties: Record<string, Schema> = schema.properties ?? {};
  const required: string[] = schema.required ?? [];
  const record = fc.record(
    Object.fromEntries(Object.entries(properties).map(([key, s]) => [key, plausible(s, depth + 1)])),
    { requiredKeys: required.filter((key) => key in properties) },
  );
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    const extra = fc.dictionary(
      fc.string({ minLength: 1, maxLength: 20 }),
      plausible(schema.additionalProperties, depth + 1),
      {
        maxKeys: 3,
      },
    );
    return fc.tuple(record, extra).map(([r, e]) => ({ ...e, ...r }));
  }
  return record;
}

/** Text PostgreSQL refuses, or that tests a limit. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 10 }).map((s) => `${s}\u0000`),
  fc.string({ maxLength: 10 }).map((s) => `\u0000${s}`),
  fc.constantFrom('\ud800', 'a\udc00b', 'x\ud83d', '\udfff\ud800', 'ok\u0000\ud800'),
  fc.constantFrom('', ' ', 'x'.repeat(10_000), '%00', '../../etc/passwd', "'; drop table orders; --", '\\', '"'),
  fc.string({ unit: 'binary', maxLength: 30 }),
);

/** Numbers beyond every column's range, fractions, negative zero. */
export const hostileNumber: fc.Arbitrary<number> = fc.constantFrom(
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 53 + 2,
  9223372036854775808,
  -9223372036854775808,
  1e308,
  -1e308,
  1.5,
  -0.5,
  -0,
  -1,
  0,
  Number.MIN_VALUE,
);

/** Anything of the wrong kind. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  hostileNumber,
  fc.constantFrom(null, true, false, [], {}, [null], { '\u0000': 1 }),
  fc.jsonValue({ maxDepth: 2 }),
);

/** One change to a plausible body: a node replaced by a hostile value, a key deleted, or an extra key added. */
export type Mutation =
  | { kind: 'replace'; at: number; value: unknown }
  | { kind: 'delete'; at: number }
  | { kind: 'add'; at: number; key: string; value: unknown };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: hostileValue }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('add' as const),
      at: fc.nat(),
      key: fc.oneof(fc.string({ maxLength: 12 }), hostileString),
      value: hostileValue,
    }),
  },
);

type Container = Record<string, unknown> | unknown[];
interface Slot {
  parent: Container;
  key: string | number;
}

function slots(value: unknown, found: Slot[] = []): Slot[] {
  if (value === null || typeof value !== 'object') return found;
  const container = value as Container;
  for (const key of Array.isArray(container) ? container.keys() : Object.keys(container)) {
    found.push({ parent: container, key });
    slots((container as Record<string | number, unknown>)[key], found);
  }
  return found;
}

/** `value` with `mutations` applied, each at a node chosen by its index (a structured clone; the input is kept). */
export function mutate(value: unknown, mutations: Mutation[]): unknown {
  const root = { value: structuredClone(value) } as Record<string, unknown>;
  for (const m of mutations) {
    const all = slots(root);
    const slot = all[m.at % all.length]!;
    const target = slot.parent as Record<string | number, unknown>;
    const inserted = 'value' in m ? structuredClone(m.value) : undefined; // constants are shared: never insert one twice
    if (m.kind === 'replace') target[slot.key] = inserted;
    else if (m.kind === 'delete') {
      if (Array.isArray(target)) target.splice(slot.key as number, 1);
      else if (slot.parent !== root) delete target[slot.key];
    } else {
      const node = target[slot.key];
      if (node && typeof node === 'object' && !Array.isArray(node)) (node as Record<string, unknown>)[m.key] = inserted;
      else if (Array.isArray(node)) node.push(inserted);
    }
  }
  return root.value;
}
