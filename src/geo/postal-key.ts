/** Longest normalised postal key Consign stores or looks up. */
export const MAX_POSTAL_KEY_LENGTH = 20;

/** Shortest prefix of a postal key that a lookup falls back to (Brazil's 5-digit CEP area, a UK outward code). */
const MIN_PREFIX_LENGTH = 3;

/** A postal code as Consign compares it: upper case, without spaces or dashes ("sw1a 1aa" → "SW1A1AA"). */
export function postalKey(postalCode: string): string {
  return postalCode.toUpperCase().replace(/[\s-]+/g, '');
}

/** The key and its prefixes down to `MIN_PREFIX_LENGTH` characters, longest first (just the key when shorter). */
export function keyPrefixes(key: string): string[] {
  const prefixes = [key];
  for (let length = key.length - 1; length >= MIN_PREFIX_LENGTH; length--) prefixes.push(key.slice(0, length));
  return prefixes;
}
