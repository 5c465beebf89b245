/**
 * The tokenizer of the condition language (docs/automations.md). Every token keeps the offset of
 * its first character so that errors point at the place in the text.
 */
import type { ExpressionError } from './errors.ts';
import { expressionError } from './errors.ts';

type TokenKind =
  | 'ident'
  | 'string'
  | 'int'
  | 'bool'
  | 'op'
  | 'and'
  | 'or'
  | 'not'
  | 'in'
  | 'contains'
  | '('
  | ')'
  | '['
  | ']'
  | ','
  | 'end';

export interface Token {
  kind: TokenKind;
  text: string;
  /** Zero-based offset of the token's first character. */
  position: number;
}

/** The longest text a condition may have; longer ones are refused before tokenizing. */
const MAX_EXPRESSION_LENGTH = 2000;

const KEYWORDS: ReadonlyMap<string, TokenKind> = new Map([
  ['and', 'and'],
  ['or', 'or'],
  ['not', 'not'],
  ['in', 'in'],
  ['contains', 'contains'],
  ['true', 'bool'],
  ['false', 'bool'],
]);

const OPERATORS = ['==', '!=', '<=', '>=', '<', '>'] as const;
const PUNCTUATION = new Set(['(', ')', '[', ']', ',']);
const IDENT = /[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)*/y;
const INT = /-?[0-9]+/y;

export function tokenize(text: string): { ok: true; tokens: Token[] } | { ok: false; error: ExpressionError } {
  if (text.length > MAX_EXPRESSION_LENGTH) {
    return {
      ok: false,
      error: expressionError(MAX_EXPRESSION_LENGTH, `is longer than ${MAX_EXPRESSION_LENGTH} characters`),
    };
  }
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    const char = text[at]!;
    if (char === ' ' || char === '\t' || char === '\n' || char === '\r') {
      at++;
      continue;
    }
    const read = readToken(text, at);
    if ('error' in read) return { ok: false, error: read.error };
    tokens.push(read.token);
    at = read.next;
  }
  tokens.push({ kind: 'end', text: '', position: text.length });
  return { ok: true, tokens };
}

type Read = { token: Token; next: number } | { error: ExpressionError };

function readToken(text: string, at: number): Read {
  const char = text[at]!;
  if (PUNCTUATION.has(char)) return { token: { kind: char as TokenKind, text: char, position: at }, next: at + 1 };
  if (char === "'" || char === '"') return readString(text, at, char);
  const op = OPERATORS.find((candidate) => text.startsWith(candidate, at));
  if (op) return { token: { kind: 'op', text: op, position: at }, next: at + op.length };
  INT.lastIndex = at;
  const int = INT.exec(text);
  if (int) {
    if (!Number.isSafeInteger(Number(int[0]))) return { error: expressionError(at, `${int[0]} is too large a number`) };
    return { token: { kind: 'int', text: int[0], position: at }, next: at + int[0].length };
  }
  IDENT.lastIndex = at;
  const ident = IDENT.exec(text);
  if (ident) {
    const kind = KEYWORDS.get(ident[0]) ?? 'ident';
    return { token: { kind, text: ident[0], position: at }, next: at + ident[0].length };
  }
  if (char === '=') return { error: expressionError(at, 'unexpected "="; compare with "=="') };
  if (char === '&' || char === '|' || char === '!') {
    return { error: expressionError(at, `unexpected "${char}"; write "and", "or" or "not"`) };
  }
  return { error: expressionError(at, `unexpected character "${char}"`) };
}

/** A quoted string; a backslash escapes the quote or another backslash, nothing else. */
function readString(text: string, start: number, quote: string): Read {
  let value = '';
  for (let at = start + 1; at < text.length; at++) {
    const char = text[at]!;
    if (char === quote) return { token: { kind: 'string', text: value, position: start }, next: at + 1 };
    if (char === '\\') {
      const escaped = text[at + 1];
      if (escaped !== quote && escaped !== '\\') {
        return { error: expressionError(at, 'a backslash may escape only the quote or another backslash') };
      }
      value += escaped;
      at++;
      continue;
    }
    value += char;
  }
  return { error: expressionError(start, 'the string is not closed') };
}
