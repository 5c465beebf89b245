/**
 * The type checker: every field must be declared in the schema, every operator must get operands
 * of the types it takes, and the whole condition must be a bool. A condition is checked when its
 * rule is saved, so a rule that is active always evaluates.
 */
import type { Node } from './ast.ts';
import { expressionError, type ExpressionError } from './errors.ts';
import { elementType, isListType, type FieldSchema, type ScalarType, type ValueType } from './types.ts';

type Checked = ValueType | 'list<empty>';

class CheckError extends Error {
  constructor(readonly error: ExpressionError) {
    super(error.message);
  }
}

export function check(node: Node, schema: FieldSchema): { ok: true } | { ok: false; error: ExpressionError } {
  try {
    const type = typeOf(node, schema);
    if (type !== 'bool')
      return { ok: false, error: expressionError(node.position, `the condition is ${type}, not a bool`) };
    return { ok: true };
  } catch (error) {
    if (error instanceof CheckError) return { ok: false, error: error.error };
    throw error;
  }
}

function fail(node: Node, message: string): never {
  throw new CheckError(expressionError(node.position, message));
}

function typeOf(node: Node, schema: FieldSchema): Checked {
  switch (node.kind) {
    case 'literal':
      return typeof node.value === 'string' ? 'string' : typeof node.value === 'number' ? 'int' : 'bool';
    case 'field':
      return fieldType(node, schema);
    case 'list':
      return listType(node, schema);
    case 'not':
      expect(node.operand, schema, 'bool', '"not"');
      return 'bool';
    case 'logical':
      expect(node.left, schema, 'bool', `"${node.op}"`);
      expect(node.right, schema, 'bool', `"${node.op}"`);
      return 'bool';
    case 'compare':
      return compareType(node, schema);
    case 'in':
      return inType(node, schema);
    case 'contains':
      return containsType(node, schema);
  }
}

function fieldType(node: Extract<Node, { kind: 'field' }>, schema: FieldSchema): ValueType {
  if (Object.hasOwn(schema, node.name)) return schema[node.name]!;
  const near = Object.keys(schema).filter((name) => name.split('.')[0] === node.name.split('.')[0]);
  const hint = near.length > 0 ? `; known fields are ${near.join(', ')}` : '';
  return fail(node, `unknown field "${node.name}"${hint}`);
}

function listType(node: Extract<Node, { kind: 'list' }>, schema: FieldSchema): Checked {
  let item: ScalarType | undefined;
  for (const element of node.items) {
    if (element.kind !== 'literal') fail(element, 'a list may hold only values');
    const type = typeOf(element, schema) as ScalarType;
    if (item && type !== item) fail(element, `a list holds values of one type: this is ${type}, the first is ${item}`);
    item = type;
  }
  return item ? `list<${item}>` : 'list<empty>';
}

function expect(node: Node, schema: FieldSchema, wanted: Checked, operator: string): void {
  const type = typeOf(node, schema);
  if (type !== wanted) fail(node, `${operator} takes ${wanted}, not ${type}`);
}

function compareType(node: Extract<Node, { kind: 'compare' }>, schema: FieldSchema): 'bool' {
  const left = typeOf(node.left, schema);
  const right = typeOf(node.right, schema);
  if (isListType(left) || isListType(right)) {
    fail(node, `"${node.op}" does not compare lists; use "contains" or "in"`);
  }
  if (left !== right) fail(node, `"${node.op}" compares ${left} with ${right}`);
  if (node.op !== '==' && node.op !== '!=' && left !== 'int') fail(node, `"${node.op}" compares ints, not ${left}`);
  return 'bool';
}

function inType(node: Extract<Node, { kind: 'in' }>, schema: FieldSchema): 'bool' {
  const left = typeOf(node.left, schema);
  const right = typeOf(node.right, schema);
  if (isListType(left)) fail(node.left, '"in" tests one value, not a list');
  if (!isListType(right)) fail(node.right, `"in" takes a list on its right, not ${right}`);
  const item = elementType(right);
  if (item !== 'empty' && item !== left) fail(node, `"in" looks for a ${left} in a list of ${item}`);
  return 'bool';
}

function containsType(node: Extract<Node, { kind: 'contains' }>, schema: FieldSchema): 'bool' {
  const left = typeOf(node.left, schema);
  const right = typeOf(node.right, schema);
  if (left === 'string') {
    if (right !== 'string') fail(node.right, `"contains" on a string takes a string, not ${right}`);
    return 'bool';
  }
  if (!isListType(left)) fail(node.left, `"contains" takes a list or a string on its left, not ${left}`);
  if (isListType(right)) fail(node.right, '"contains" looks for one value, not a list');
  const item = elementType(left);
  if (item !== 'empty' && item !== right) fail(node, `"contains" looks for a ${right} in a list of ${item}`);
  return 'bool';
}
