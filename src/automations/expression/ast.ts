/** The syntax tree of a condition. Every node keeps the offset where its text starts. */
export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

export type Node =
  | { kind: 'literal'; value: string | number | boolean; position: number }
  | { kind: 'field'; name: string; position: number }
  | { kind: 'list'; items: Node[]; position: number }
  | { kind: 'not'; operand: Node; position: number }
  | { kind: 'logical'; op: 'and' | 'or'; left: Node; right: Node; position: number }
  | { kind: 'compare'; op: CompareOp; left: Node; right: Node; position: number }
  | { kind: 'in'; negated: boolean; left: Node; right: Node; position: number }
  | { kind: 'contains'; left: Node; right: Node; position: number };
