/** Small formatters for the explanation text (en-US, as the console shows it). */

const moneyFormats = new Map<string, { format: Intl.NumberFormat; digits: number }>();

/** 1234 minor units of USD → "$12.34". */
export function formatMoney(amountMinor: number, currency: string): string {
  let entry = moneyFormats.get(currency);
  if (entry === undefined) {
    const format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    entry = { format, digits: format.resolvedOptions().maximumFractionDigits ?? 2 };
    moneyFormats.set(currency, entry);
  }
  return entry.format.format(amountMinor / 10 ** entry.digits);
}

/** 1234.567 → "1,234.57" (at most two decimals, en-US grouping; cheaper than Intl for hot paths). */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const negative = value < 0;
  const rounded = Math.round(Math.abs(value) * 100) / 100;
  const sign = negative && rounded !== 0 ? '-' : '';
  const text = String(rounded);
  // Below 1,000 there is nothing to group; from 1e21 on String() switches to exponent notation.
  if (rounded < 1000) return `${sign}${text}`;
  const dot = text.indexOf('.');
  const whole = dot < 0 ? text : text.slice(0, dot);
  if (rounded >= 1e21) return `${sign}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${dot < 0 ? '' : text.slice(dot)}`;
  const head = whole.length % 3 || 3;
  let grouped = whole.slice(0, head);
  for (let at = head; at < whole.length; at += 3) grouped += `,${whole.slice(at, at + 3)}`;
  return `${sign}${grouped}${dot < 0 ? '' : text.slice(dot)}`;
}

export const formatKm = (km: number): string => `${formatNumber(Math.round(km))} km`;

export const plural = (count: number, one: string, many = `${one}s`): string =>
  `${formatNumber(count)} ${count === 1 ? one : many}`;

/** "+1,234" / "−56" for differences. */
export const signed = (value: number): string => (value >= 0 ? `+${formatNumber(value)}` : `−${formatNumber(-value)}`);

/** "Reno", "Reno and Austin", "Reno, Austin and Denver". */
export const andList = (names: readonly string[]): string =>
  names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
