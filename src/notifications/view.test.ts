import { describe, expect, it } from 'vitest';
import { formatMoney, localeFor } from './view.ts';

describe('formatMoney', () => {
  it('writes integer minor units with the currency’s own decimals, German with a comma', () => {
    expect(formatMoney(2500, 'USD', 'en')).toBe('25.00 USD');
    expect(formatMoney(2505, 'EUR', 'de')).toBe('25,05 EUR');
    expect(formatMoney(7, 'USD', 'en')).toBe('0.07 USD');
    expect(formatMoney(1500, 'JPY', 'en')).toBe('1500 JPY');
    expect(formatMoney(1234, 'KWD', 'en')).toBe('1.234 KWD');
    expect(formatMoney(-250, 'USD', 'en')).toBe('-2.50 USD');
  });
});

describe('localeFor', () => {
  it('takes the customer’s choice, else German for German-speaking countries, else English', () => {
    expect(localeFor('en', 'DE')).toBe('en');
    expect(localeFor(null, 'at')).toBe('de');
    expect(localeFor(undefined, 'US')).toBe('en');
    expect(localeFor(null, null)).toBe('en');
  });
});
