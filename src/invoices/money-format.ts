/** Minor units → the currency's decimal places, as `Intl.NumberFormat` knows them (USD 2, JPY 0, KWD 3). */
export function currencyExponent(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** An exact decimal string of minor units (`123456` USD → `"1234.56"`), never through floating point. */
export function minorToDecimal(amountMinor: number, currency: string): string {
  if (!Number.isSafeInteger(amountMinor)) throw new Error(`amount ${amountMinor} is not an integer of minor units`);
  const exponent = currencyExponent(currency);
  const digits = String(Math.abs(amountMinor)).padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent);
  return `${amountMinor < 0 ? '-' : ''}${whole}${exponent > 0 ? `.${fraction}` : ''}`;
}

/**
 * `1234.56 USD` as people read it (`$1,234.56`). Symbols that the PDF's standard fonts cannot
 * draw fall back to the ISO code (`INR 1,234.56`).
 */
export function formatMoney(amountMinor: number, currency: string, locale = 'en-US'): string {
  const decimal = minorToDecimal(amountMinor, currency) as `${number}`;
  const withSymbol = new Intl.NumberFormat(locale, { style: 'currency', currency }).format(decimal);
  if (/^[\x20-\x7e\u00a0-\u00ff\u20ac]*$/.test(withSymbol)) return withSymbol;
  return new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'code' }).format(decimal);
}
