export interface Money {
  amount: number;
  currency: string;
}

const formatters = new Map<string, Intl.NumberFormat>();

/** Minor units → "$12.34": the API's integers, divided for display only. */
export function formatMinor(amountMinor: number, currency: string): string {
  let formatter = formatters.get(currency);
  if (!formatter) {
    formatter = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    formatters.set(currency, formatter);
  }
  const digits = formatter.resolvedOptions().maximumFractionDigits ?? 2;
  return formatter.format(amountMinor / 10 ** digits);
}

const digitsOf = (currency: string) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;

/** "12.50" → 1250: what a user types in a money field, in the currency's minor units (NaN if not a number). */
export function toMinor(text: string, currency: string): number {
  const digits = digitsOf(currency);
  if (!/^\d+(\.\d*)?$/.test(text.trim())) return Number.NaN;
  return Math.round(Number(text.trim()) * 10 ** digits);
}

/** 1250 → "12.50": minor units as a money field shows them. */
export const fromMinor = (amountMinor: number, currency: string) =>
  (amountMinor / 10 ** digitsOf(currency)).toFixed(digitsOf(currency));

export const formatMoney = (money: Money | null | undefined) =>
  money ? formatMinor(money.amount, money.currency) : '—';

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }) + ' UTC';
}

/** Rates are fractions 0..1 from the API; shown as percentages with one decimal. */
export const formatRate = (rate: number | null | undefined) => (rate == null ? '—' : `${(rate * 100).toFixed(1)}%`);

export const formatHours = (hours: number | null | undefined) => (hours == null ? '—' : `${hours.toFixed(2)} h`);

export const humanize = (value: string) => value.replace(/[_.-]/g, ' ');

export const isoDay = (date: Date) => date.toISOString().slice(0, 10);
