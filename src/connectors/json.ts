/**
 * Platform JSON read and written exactly. `JSON.parse` turns every number into a float, so a
 * Shopify ID like 820982911946154508 (> 2^53) or a price like 599.99 would be altered before any
 * code saw it. `parseExact` first rewrites, outside strings, every number literal that is not a
 * safe integer (fractions, exponents, big integers) into a string of its source text; mappers
 * then read IDs and decimals as text. `stringifyExact` writes `bigint` values as bare digits,
 * so outbound IDs go back to the platform as the numbers they were.
 */

const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** The JSON text with every unsafe or fractional number literal quoted. */
export function quoteInexactNumbers(text: string): string {
  let out = '';
  let copied = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      i = skipString(text, i);
      continue;
    }
    if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      NUMBER.lastIndex = i;
      const match = NUMBER.exec(text);
      if (!match) return text; // not JSON: let JSON.parse report it
      const literal = match[0];
      if (!isSafeIntegerLiteral(literal)) {
        out += `${text.slice(copied, i)}"${literal}"`;
        copied = i + literal.length;
      }
      i += literal.length;
      continue;
    }
    i++;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

function skipString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x5c /* \ */) i += 2;
    else if (c === 0x22) return i + 1;
    else i++;
  }
  return i;
}

function isSafeIntegerLiteral(literal: string): boolean {
  if (/[.eE]/.test(literal)) return false;
  return Number.isSafeInteger(Number(literal));
}

/** Parses platform JSON with big integers and decimals kept as their exact text. */
export function parseExact(text: string): unknown {
  return JSON.parse(quoteInexactNumbers(text)) as unknown;
}

/** JSON text in which `bigint` values are written as bare integers. */
export function stringifyExact(value: unknown): string {
  const marker = '\u0000bigint:';
  const json = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${marker}${v.toString()}` : v));
  return json.replace(/"\\u0000bigint:(-?\d+)"/g, '$1');
}

/** A platform ID (number or exact text) as a string, or undefined when absent. */
export function idText(value: unknown): string | undefined {
  if (typeof value === 'string' && value.length > 0) return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return undefined;
}

/** An ID that the platform sends as a JSON integer, back as a `bigint` (exact); text IDs stay text. */
export function numericId(id: string): bigint | string {
  return /^-?\d+$/.test(id) ? BigInt(id) : id;
}
