/**
 * Platform decimals → integer minor units, exactly. A decimal with more places than the
 * currency has (BigCommerce's `62.6793` USD) is refused, never rounded.
 */

/** The currency's decimal places; undefined when `currency` is not an ISO 4217 code. */
export function currencyExponent(currency: string): number | undefined {
  if (!/^[A-Z]{3}$/.test(currency)) return undefined;
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** `"199.00"`, `"1.35"`, `0`, `"19940"` (JPY) → minor units; undefined when not exact. */
export function toMinor(value: unknown, currency: string): number | undefined {
  const text = typeof value === 'number' ? (Number.isSafeInteger(value) ? String(value) : undefined) : value;
  if (typeof text !== 'string') return undefined;
  const match = DECIMAL.exec(text.trim());
  if (!match) return undefined;
  const [, sign, whole, fraction = ''] = match;
  const exponent = currencyExponent(currency);
  if (exponent === undefined) return undefined;
  const significant = fraction.replace(/0+$/, '');
  if (significant.length > exponent) return undefined;
  const minor = Number(`${whole}${fraction.padEnd(exponent, '0').slice(0, exponent)}`);
  if (!Number.isSafeInteger(minor)) return undefined;
  return sign === '-' ? -minor : minor;
}

/** Minor units → the platform's decimal text (`19950`, USD → `"199.50"`), exactly. */
export function toDecimal(minor: number, currency: string): string {
  const exponent = currencyExponent(currency) ?? 2;
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent);
  return `${minor < 0 ? '-' : ''}${whole}${exponent > 0 ? `.${fraction}` : ''}`;
}
