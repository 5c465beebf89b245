import { describe, expect, it } from 'vitest';
import { parseExact, quoteInexactNumbers, stringifyExact } from './json.ts';
import { toMinor } from './money.ts';

describe('exact platform JSON', () => {
  it('keeps integers beyond 2^53 and decimals as their source text', () => {
    const parsed = parseExact(
      '{"id":8214298463751234567,"n":42,"price":599.99,"neg":-10,"e":1e3,"s":"9007199254740993"}',
    );
    expect(parsed).toEqual({
      id: '8214298463751234567',
      n: 42,
      price: '599.99',
      neg: -10,
      e: '1e3',
      s: '9007199254740993',
    });
  });

  it('leaves numbers inside strings (with escaped quotes) alone', () => {
    const text = '{"a":"x\\"123456789012345678901","b":[1,2.5]}';
    expect(quoteInexactNumbers(text)).toBe('{"a":"x\\"123456789012345678901","b":[1,"2.5"]}');
  });

  it('writes bigint values back as bare digits', () => {
    expect(stringifyExact({ id: 8214298463751234567n, list: [1n, 'a'] })).toBe(
      '{"id":8214298463751234567,"list":[1,"a"]}',
    );
  });
});

describe('decimal → minor units', () => {
  it.each([
    ['199.00', 'USD', 19900],
    ['55.9900', 'USD', 5599],
    ['0.9', 'USD', 90],
    ['-10', 'USD', -1000],
    ['19940', 'JPY', 19940],
    ['1.234', 'KWD', 1234],
    [42, 'USD', 4200],
  ])('%s %s → %s', (value, currency, minor) => {
    expect(toMinor(value, currency)).toBe(minor);
  });

  it.each([['62.6793'], ['1.005'], ['abc'], [''], [1.5]])('refuses %s instead of rounding', (value) => {
    expect(toMinor(value, 'USD')).toBeUndefined();
  });
});
