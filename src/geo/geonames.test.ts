import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseGeoNamesLine, readGeoNamesFile, type ParsedLine } from './geonames.ts';
import { keyPrefixes, postalKey } from './postal-key.ts';

const FIXTURE = fileURLToPath(new URL('../../test/fixtures/geonames-postal.txt', import.meta.url));

const row = (...fields: string[]) => fields.join('\t');
const berlin = row(
  'DE',
  '10115',
  'Berlin',
  'Berlin',
  'BE',
  '',
  '00',
  'Berlin, Stadt',
  '11000',
  '52.5323',
  '13.3846',
  '4',
);

describe('GeoNames postal-code lines', () => {
  it('reads the 12 columns: country, code, place, region (admin name1) and coordinates', () => {
    expect(parseGeoNamesLine(berlin, 7)).toEqual({
      ok: true,
      place: {
        line: 7,
        country: 'DE',
        postalCode: '10115',
        postalKey: '10115',
        placeName: 'Berlin',
        region: 'Berlin',
        latitude: 52.5323,
        longitude: 13.3846,
      },
    });
  });

  it('normalises the key and keeps the code as written; an empty accuracy or region is fine', () => {
    const parsed = parseGeoNamesLine(row('gb', 'sw1a 1aa', 'London', '', '', '', '', '', '', '51.5', '-0.14', ''), 1);
    expect(parsed).toMatchObject({
      ok: true,
      place: { country: 'GB', postalCode: 'sw1a 1aa', postalKey: 'SW1A1AA', region: null, longitude: -0.14 },
    });
  });

  it('refuses a wrong column count, a bad latitude or longitude, an empty code, with the line number', () => {
    const bad = (text: string) => {
      const parsed = parseGeoNamesLine(text, 12);
      expect(parsed.ok).toBe(false);
      return (parsed as Extract<ParsedLine, { ok: false }>).bad;
    };
    expect(bad(berlin.split('\t').slice(0, 11).join('\t'))).toEqual({
      line: 12,
      message: 'expected 12 tab-separated columns, found 11',
    });
    expect(bad(`${berlin}\textra`).message).toContain('found 13');
    expect(bad(berlin.replace('52.5323', 'north')).message).toBe('latitude "north" is not a number between -90 and 90');
    expect(bad(berlin.replace('52.5323', '91')).message).toContain('latitude "91"');
    expect(bad(berlin.replace('52.5323', '')).message).toContain('latitude ""');
    expect(bad(berlin.replace('13.3846', '-180.5')).message).toContain('longitude "-180.5"');
    expect(bad(berlin.replace('10115', ' - ')).message).toBe('the postal code is empty');
    expect(bad(berlin.replace('DE', 'DEU')).message).toContain('not two letters');
  });

  it('streams a file: blank lines are skipped, bad lines keep their number', async () => {
    const parsed: ParsedLine[] = [];
    const progress: number[] = [];
    for await (const line of readGeoNamesFile(FIXTURE, (p) => progress.push(p.bytesRead / p.totalBytes))) {
      parsed.push(line);
    }
    expect(parsed).toHaveLength(10);
    expect(parsed.filter((p) => !p.ok)).toEqual([
      { ok: false, bad: { line: 4, message: 'latitude "north" is not a number between -90 and 90' } },
    ]);
    const places = parsed.flatMap((p) => (p.ok ? [p.place] : []));
    expect(places.map((p) => `${p.country} ${p.postalKey}`)).toContain('BR 01310');
    expect(places.find((p) => p.placeName === 'München')).toMatchObject({ line: 9, region: 'Bayern' });
    expect(progress.at(-1)).toBe(1);
  });
});

describe('postal keys', () => {
  it('are upper case without spaces or dashes', () => {
    expect(postalKey('01310-100')).toBe('01310100');
    expect(postalKey(' ec1a 1bb ')).toBe('EC1A1BB');
  });

  it('fall back to prefixes of at least 3 characters, longest first', () => {
    expect(keyPrefixes('01310100')).toEqual(['01310100', '0131010', '013101', '01310', '0131', '013']);
    expect(keyPrefixes('AB')).toEqual(['AB']);
  });
});
