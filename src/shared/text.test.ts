import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isStorableText, storableText, unstorableText } from './text.ts';

describe('storable text', () => {
  it('refuses NUL and unpaired surrogates, takes paired ones', () => {
    expect(['a\u0000b', '\ud800', 'x\udc00', '\udc00\ud800', 'a\ud83d'].map(isStorableText)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(['', 'plain', 'Ana 🙂', '\ud83d\ude42', 'ÆØÅ', '\u0001'].map(isStorableText)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
  });

  it('points at every unstorable value and key', () => {
    expect(unstorableText({ a: 'ok', b: ['x', 'y\u0000'], 'c\ud800': 1, 'd/e': { f: '\udfff' } })).toEqual([
      '/b/1',
      '/c\ud800',
      '/d~1e/f',
    ]);
    expect(unstorableText('\u0000', '/params/id')).toEqual(['/params/id']);
    expect(unstorableText(Buffer.from([0]))).toEqual([]);
  });

  it('cleaning drops NUL, replaces unpaired surrogates with U+FFFD, and leaves storable text alone', () => {
    expect(storableText({ 'k\u0000': ['a\u0000b', 'c\ud800d', 'e🙂'], n: 1 })).toEqual({
      k: ['ab', 'c\ufffdd', 'e🙂'],
      n: 1,
    });
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const cleaned = storableText(text);
        expect(isStorableText(cleaned)).toBe(true);
        if (isStorableText(text)) expect(cleaned).toBe(text);
        // what a UTF-8 round trip makes of it, less the NULs
        expect(cleaned).toBe(Buffer.from(text, 'utf8').toString('utf8').replaceAll('\u0000', ''));
      }),
    );
  });
});
