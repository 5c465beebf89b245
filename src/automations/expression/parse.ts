/**
 * A recursive-descent parser for the condition language. Precedence, loosest first:
 * `or`, `and`, `not`, then one comparison (`==` `!=` `<` `<=` `>` `>=` `in` `not in` `contains`)
 * between two operands; comparisons do not chain. Nesting is bounded so a hostile text cannot
 * exhaust the stack.
 */
import type { CompareOp, Node } from './ast.ts';
import { expressionError, type ExpressionError } from './errors.ts';
import { tokenize, type Token } from './tokenize.ts';

/** How deeply parentheses, `not` and lists may nest. */
export const MAX_DEPTH = 32;
/** How many items a list literal may have. */
const MAX_LIST_ITEMS = 200;

class ParseError extends Error {
  constructor(readonly error: ExpressionError) {
    super(error.message);
  }
}

export function parse(text: string): { ok: true; node: Node } | { ok: false; error: ExpressionError } {
  const tokenized = tokenize(text);
  if (!tokenized.ok) return tokenized;
  if (tokenized.tokens.length === 1) return { ok: false, error: expressionError(0, 'the condition is empty') };
  const parser = new Parser(tokenized.tokens);
  try {
    const node = parser.or(0);
    parser.expectEnd();
    return { ok: true, node };
  } catch (error) {
    if (error instanceof ParseError) return { ok: false, error: error.error };
    throw error;
  }
}

const describe = (token: Token): string => (token.kind === 'end' ? 'the end' : `"${token.text}"`);

class Parser {
  private at = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.at]!;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.at++;
    return token;
  }

  private fail(token: Token, message: string): never {
    throw new ParseError(expressionError(token.position, message));
  }

  private guard(depth: number, token: Token): void {
    if (depth > MAX_DEPTH) this.fail(token, `nests more than ${MAX_DEPTH} levels deep`);
  }

  expectEnd(): void {
    const token = this.peek();
    if (token.kind !== 'end') this.fail(token, `unexpected ${describe(token)}; expected "and", "or" or the end`);
  }

  or(depth: number): Node {
    let left = this.and(depth);
    while (this.peek().kind === 'or') {
      const op = this.next();
      left = { kind: 'logical', op: 'or', left, right: this.and(depth), position: op.position };
    }
    return left;
  }

  private and(depth: number): Node {
    let left = this.not(depth);
    while (this.peek().kind === 'and') {
      const op = this.next();
      left = { kind: 'logical', op: 'and', left, right: this.not(depth), position: op.position };
    }
    return left;
  }

  private not(depth: number): Node {
    const token = this.peek();
    if (token.kind !== 'not') return this.comparison(depth);
    this.next();
    this.guard(depth + 1, token);
    return { kind: 'not', operand: this.not(depth + 1), position: token.position };
  }

  private comparison(depth: number): Node {
    const left = this.operand(depth);
    const token = this.peek();
    if (token.kind === 'op') {
      this.next();
      return {
        kind: 'compare',
        op: token.text as CompareOp,
        left,
        right: this.operand(depth),
        position: token.position,
      };
    }
    if (token.kind === 'in') {
      this.next();
      return { kind: 'in', negated: false, left, right: this.operand(depth), position: token.position };
    }
    if (token.kind === 'not' && this.tokens[this.at + 1]?.kind === 'in') {
      this.next();
      this.next();
      return { kind: 'in', negated: true, left, right: this.operand(depth), position: token.position };
    }
    if (token.kind === 'contains') {
      this.next();
      return { kind: 'contains', left, right: this.operand(depth), position: token.position };
    }
    return left;
  }

  private operand(depth: number): Node {
    const token = this.next();
    switch (token.kind) {
      case 'string':
        return { kind: 'literal', value: token.text, position: token.position };
      case 'int':
        return { kind: 'literal', value: Number(token.text), position: token.position };
      case 'bool':
        return { kind: 'literal', value: token.text === 'true', position: token.position };
      case 'ident':
        return { kind: 'field', name: token.text, position: token.position };
      case '(': {
        this.guard(depth + 1, token);
        const inner = this.or(depth + 1);
        const close = this.next();
        if (close.kind !== ')')
          this.fail(close, `expected ")" to close the "(" at ${token.position}, found ${describe(close)}`);
        return inner;
      }
      case '[':
        this.guard(depth + 1, token);
        return this.list(token, depth + 1);
      default:
        return this.fail(token, `expected a field, a value, "(" or "[", found ${describe(token)}`);
    }
  }

  private list(open: Token, depth: number): Node {
    const items: Node[] = [];
    if (this.peek().kind === ']') {
      this.next();
      return { kind: 'list', items, position: open.position };
    }
    for (;;) {
      if (items.length === MAX_LIST_ITEMS) this.fail(this.peek(), `a list may hold at most ${MAX_LIST_ITEMS} items`);
      items.push(this.operand(depth));
      const separator = this.next();
      if (separator.kind === ']') return { kind: 'list', items, position: open.position };
      if (separator.kind !== ',') this.fail(separator, `expected "," or "]" in the list, found ${describe(separator)}`);
    }
  }
}
