import { describe, expect, it } from 'vitest';
import { brRateTable as brTable, candidate, line, monday, order, rules, stockOf } from './fixtures.ts';
import { plan } from './planner.ts';
import { ratesFor } from './rates.ts';
import { validateRules } from './rules.ts';

const saoPaulo = { latitude: -23.5505, longitude: -46.6333 };
const campinas = { latitude: -22.9056, longitude: -47.0608 };
const recife = { latitude: -8.0476, longitude: -34.877 };

describe('rate table selection', () => {
  const withTables = rules({
    rateTables: [
      brTable(),
      brTable({ name: 'BR marketplace', channels: ['mkt'], countries: ['BR'] }),
      brTable({ name: 'Mexico', channels: undefined, countries: ['MX'], currency: 'MXN' }),
    ],
  });

  it('takes the first table naming the channel by id or code, else the default', () => {
    expect(ratesFor(withTables, { channelId: 'br-web' }).table).toBe('BR');
    expect(ratesFor(withTables, { channelId: 'ch_9', channelCode: 'br-web' }).table).toBe('BR');
    expect(ratesFor(withTables, { channelId: 'web', channelCode: 'us' })).toMatchObject({
      table: null,
      currency: 'USD',
      bands: withTables.rateTable.bands,
      transitDays: withTables.transitDays,
    });
  });

  it('needs every list a table gives to match: channels and countries', () => {
    expect(ratesFor(withTables, { channelId: 'mkt', country: 'BR' }).table).toBe('BR marketplace');
    expect(ratesFor(withTables, { channelId: 'mkt', country: 'AR' }).table).toBeNull();
    expect(ratesFor(withTables, { channelId: 'mkt' }).table).toBeNull();
    expect(ratesFor(withTables, { channelId: 'web', country: 'MX' })).toMatchObject({
      table: 'Mexico',
      currency: 'MXN',
    });
  });

  it('keeps its own transit days when it has them, and returns the same object for the same table', () => {
    const transitDays = [{ maxKm: null, days: 7 }];
    const r = rules({ rateTables: [brTable({ transitDays })] });
    expect(ratesFor(r, { channelId: 'br-web' }).transitDays).toBe(transitDays);
    expect(ratesFor(r, { channelId: 'br-web' })).toBe(ratesFor(r, { channelId: 'br-web', country: 'BR' }));
    expect(ratesFor(r, { channelId: 'web' })).toBe(ratesFor(r, { channelId: 'other' }));
  });
});

describe('rate table validation', () => {
  const channels = [
    { id: 'ch_br', code: 'br-web', currency: 'BRL' },
    { id: 'web', code: null, currency: 'USD' },
  ];
  const violations = (tables: unknown, known = channels) =>
    validateRules({ ...rules(), rateTables: tables }, known).map((v) => `${v.pointer} ${v.message}`);

  it('accepts tables naming channels by id or code in their currency, and old rules without tables', () => {
    expect(violations([brTable(), brTable({ name: 'BR by id', channels: ['ch_br'], countries: ['BR'] })])).toEqual([]);
    expect(validateRules(rules())).toEqual([]);
  });

  it('refuses a table in another currency than a channel it names, or naming no such channel', () => {
    expect(violations([brTable({ channels: ['br-web', 'web'] })])).toEqual([
      '/rateTables/0/channels/1 channel web sells in USD, so its rate table must be in USD, not BRL',
    ]);
    expect(violations([brTable({ channels: ['nope'] })])).toEqual([
      '/rateTables/0/channels/0 no channel has the id or code "nope"',
    ]);
  });

  it('checks bands, zones, names, currencies and countries with a pointer for each', () => {
    const bad = {
      ...brTable({ name: '', currency: 'real', countries: ['Brazil'] }),
      bands: [
        { maxKm: 300, zone: 'local' },
        { maxKm: 900, zone: 'far' },
      ],
      transitDays: [{ maxKm: 10, days: 1 }],
      colour: 'green',
    };
    expect(violations([bad]).sort()).toEqual([
      '/rateTables/0/bands/1/maxKm the last band must be open-ended (null) so every distance has a band',
      '/rateTables/0/bands/1/zone zone "far" has no rate in zones',
      '/rateTables/0/colour unknown field "colour"',
      '/rateTables/0/countries/0 must be an ISO 3166-1 alpha-2 country code such as BR',
      '/rateTables/0/currency must be an ISO 4217 code such as BRL',
      '/rateTables/0/name must be a non-empty name',
      '/rateTables/0/transitDays/0/maxKm the last band must be open-ended (null) so every distance has a band',
    ]);
  });

  it('refuses a table that names neither channels nor countries, a list that is not one, and twin names', () => {
    const { channels: _, ...everyone } = brTable();
    expect(violations([everyone])).toEqual([
      '/rateTables/0 must name channels or countries (orders no table matches use rateTable)',
    ]);
    expect(violations({})).toEqual(['/rateTables must be a list of rate tables']);
    expect(violations([brTable(), brTable({ channels: [] })])).toEqual([
      '/rateTables/1/channels must be a non-empty list of channel ids or codes',
      '/rateTables/1/name another rate table is named "BR"',
    ]);
  });
});

describe('planning with a channel rate table', () => {
  // Near: 80 km from São Paulo (Campinas). Far: ~2,100 km (Recife). Both hold the SKU.
  const candidates = [
    candidate('near', { name: 'Campinas DC', ...campinas, timezone: 'America/Sao_Paulo' }),
    candidate('far', { name: 'Recife DC', ...recife, timezone: 'America/Recife' }),
  ];
  const stock = stockOf({ near: { A: 5 }, far: { A: 5 } });
  const r = rules({ rateTables: [brTable()] });
  const request = (channelId: string, currency: string) =>
    order([line('L1', 'A', 1, { weightGrams: 800 })], { channelId, currency, destination: saoPaulo, country: 'BR' });

  it('prices the BR channel by its table in BRL, which picks another location than the default', () => {
    const br = plan(request('br-web', 'BRL'), candidates, stock, r, monday);
    expect(br.allocations.map((a) => a.locationId)).toEqual(['far']);
    expect(br.currency).toBe('BRL');
    expect(br.shipments[0]!.costMinor).toBe(1600);
    expect(br.explanation.summary).toContain('R$16.00');
    expect(br.explanation.rulesSummary).toContain('Freight from the BR table in BRL.');
    expect(br.explanation.runnerUp!.whyNotChosen).toBe(
      'It scores 2,552.9 more: +R$46.00 freight (+4,600); it is better on −2,047 km (−2,047.1).',
    );
    expect(br.explanation.notes).toEqual([]);

    const us = plan(request('web', 'USD'), candidates, stock, r, monday);
    expect(us.allocations.map((a) => a.locationId)).toEqual(['near']);
    expect(us.currency).toBe('USD');
    expect(us.explanation.rulesSummary).toContain('Freight from the default rate table in USD.');
  });

  it('says so when the default table is not in the order’s currency', () => {
    const other = plan(request('br-app', 'BRL'), candidates, stock, r, monday);
    expect(other.currency).toBe('USD');
    const sentence =
      "Freight from the default rate table in USD, not the order's BRL (no rate table in BRL matches the order; amounts are not converted).";
    expect(other.explanation.notes).toContain(sentence);
    expect(other.explanation.rulesSummary).toContain(sentence);
  });
});
