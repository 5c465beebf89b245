/**
 * The condition language of automation rules (docs/automations.md): `compile` parses and checks a
 * condition against a field schema; `evaluate` decides it over the facts of one event.
 */
import type { Node } from './ast.ts';
import { check } from './check.ts';
import type { ExpressionError } from './errors.ts';
import { parse } from './parse.ts';
import type { FieldSchema } from './types.ts';

export type { FieldSchema } from './types.ts';
export { evaluate, type Facts } from './evaluate.ts';

/** Parses and type-checks `text`; the tree is safe to evaluate over facts that follow `schema`. */
export function compile(
  text: string,
  schema: FieldSchema,
): { ok: true; node: Node } | { ok: false; error: ExpressionError } {
  const parsed = parse(text);
  if (!parsed.ok) return parsed;
  const checked = check(parsed.node, schema);
  return checked.ok ? parsed : checked;
}
