/**
 * The text Consign stores: any Unicode string without NUL (U+0000) and without unpaired UTF-16
 * surrogates. PostgreSQL refuses both in `text` and `jsonb`, and neither carries meaning, so
 * the edge decides once (ADR 0015): API requests that contain them are refused with
 * `invalid_text`; signed webhooks, which the sender cannot correct, are cleaned instead.
 */

// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, 'g');

export const isStorableText = (text: string): boolean => !UNSTORABLE.test(text);

/** JSON Pointer escaping of one reference token (RFC 6901). */
const token = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1');

/** The JSON Pointer of every string (value or object key) in `value` that Consign cannot store. */
export function unstorableText(value: unknown, pointer = ''): string[] {
  if (typeof value === 'string') return isStorableText(value) ? [] : [pointer || '/'];
  if (Array.isArray(value)) return value.flatMap((item, i) => unstorableText(item, `${pointer}/${i}`));
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return [];
  return Object.entries(value).flatMap(([key, item]) => {
    const at = `${pointer}/${token(key)}`;
    return isStorableText(key) ? unstorableText(item, at) : [at];
  });
}

/** Drops NUL and replaces each unpaired surrogate with U+FFFD, in every string and key of `value`. */
export function storableText<T>(value: T): T {
  if (typeof value === 'string') return clean(value) as T;
  if (Array.isArray(value)) return value.map((item) => storableText(item)) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [clean(key), storableText(item)])) as T;
}

const clean = (text: string) =>
  isStorableText(text) ? text : text.replace(UNSTORABLE_ALL, (match) => (match === '\u0000' ? '' : '\ufffd'));
