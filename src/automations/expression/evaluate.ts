/**
 * The evaluator of a checked condition. It interprets the tree; nothing is ever compiled or
 * passed to `eval`. A comparison, `in`, `not in` or `contains` with a field that has no value is
 * false, so a rule about orders never matches an event about no order.
 */
import type { Node } from './ast.ts';
import type { Value } from './types.ts';

/** The value of every field the condition may read, by name. */
export type Facts = Readonly<Record<string, Value>>;

export function evaluate(node: Node, facts: Facts): boolean {
  return truth(node, facts);
}

function truth(node: Node, facts: Facts): boolean {
  switch (node.kind) {
    case 'not':
      return !truth(node.operand, facts);
    case 'logical':
      return node.op === 'and'
        ? truth(node.left, facts) && truth(node.right, facts)
        : truth(node.left, facts) || truth(node.right, facts);
    case 'compare':
      return compare(node.op, value(node.left, facts), value(node.right, facts));
    case 'in': {
      const needle = value(node.left, facts);
      const haystack = value(node.right, facts);
      if (needle === null || !Array.isArray(haystack)) return false;
      return haystack.includes(needle as string) !== node.negated;
    }
    case 'contains': {
      const haystack = value(node.left, facts);
      const needle = value(node.right, facts);
      if (needle === null || haystack === null) return false;
      if (typeof haystack === 'string') return haystack.includes(needle as string);
      return (haystack as readonly unknown[]).includes(needle);
    }
    default:
      return value(node, facts) === true;
  }
}

function value(node: Node, facts: Facts): Value {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'field':
      return Object.hasOwn(facts, node.name) ? (facts[node.name] ?? null) : null;
    case 'list':
      return node.items.map((item) => value(item, facts) as string | number | boolean);
    default:
      return truth(node, facts);
  }
}

function compare(op: string, left: Value, right: Value): boolean {
  if (left === null || right === null) return false;
  switch (op) {
    case '==':
      return left === right;
    case '!=':
      return left !== right;
    case '<':
      return (left as number) < (right as number);
    case '<=':
      return (left as number) <= (right as number);
    case '>':
      return (left as number) > (right as number);
    default:
      return (left as number) >= (right as number);
  }
}
