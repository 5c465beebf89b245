import { describe, expect, it } from 'vitest';
import { taxLine } from './compute.ts';
import { ratesAt, type TaxRate } from './table.ts';

// The four jurisdictions of AvaTax's Irvine, CA 92615 sample: 6 % + 0.25 % + 0.5 % + 1 %.
const irvine = [
  { jurisdiction: 'STA:06', name: 'CA STATE TAX', ratePpm: 60_000 },
  { jurisdiction: 'CTY:059', name: 'CA COUNTY TAX', ratePpm: 2_500 },
  { jurisdiction: 'STJ:EMAZ0', name: 'CA SPECIAL TAX', ratePpm: 5_000 },
  { jurisdiction: 'STJ:EMTN0', name: 'CA SPECIAL TAX', ratePpm: 10_000 },
];

describe('taxLine', () => {
  it('adds exclusive tax on top: 100.00 at 7.75 % is 7.75, split 6.00 / 0.25 / 0.50 / 1.00', () => {
    const line = taxLine({ lineId: '1', amountMinor: 10_000, rates: irvine }, 'exclusive');
    expect(line).toMatchObject({ taxableMinor: 10_000, taxMinor: 775 });
    expect(line.details.map((d) => d.taxMinor)).toEqual([600, 25, 50, 100]);
  });

  it('rounds each line half away from zero and keeps the details adding up to it', () => {
    // 19.99 × 7.75 % = 1.549225 → 1.55; the details are split by largest remainder.
    const line = taxLine({ lineId: '1', amountMinor: 1_999, rates: irvine }, 'exclusive');
    expect(line.taxMinor).toBe(155);
    expect(line.details.map((d) => d.taxMinor)).toEqual([120, 5, 10, 20]);
    // 0.10 at 5 % is 0.005 → 0.01; a refund of it is −0.01, not −0.00.
    const tiny = [{ jurisdiction: 'X', name: 'X', ratePpm: 50_000 }];
    expect(taxLine({ lineId: 'a', amountMinor: 10, rates: tiny }, 'exclusive').taxMinor).toBe(1);
    expect(taxLine({ lineId: 'a', amountMinor: -10, rates: tiny }, 'exclusive').taxMinor).toBe(-1);
  });

  it('extracts inclusive tax from the price without changing what is paid', () => {
    // 119.00 with 19 % VAT inside: 100.00 net + 19.00 tax.
    const vat = [{ jurisdiction: 'DE', name: 'MwSt', ratePpm: 190_000 }];
    expect(taxLine({ lineId: '1', amountMinor: 11_900, rates: vat }, 'inclusive')).toMatchObject({
      taxableMinor: 10_000,
      taxMinor: 1_900,
    });
    // 9.99 gross: 9.99 / 1.19 = 8.3949… → 8.39 net, 1.60 tax; net + tax is the price to the cent.
    const odd = taxLine({ lineId: '1', amountMinor: 999, rates: vat }, 'inclusive');
    expect([odd.taxableMinor, odd.taxMinor]).toEqual([839, 160]);
  });

  it('taxes nothing where no rate applies', () => {
    expect(taxLine({ lineId: '1', amountMinor: 5_000, rates: [] }, 'exclusive')).toEqual({
      lineId: '1',
      taxableMinor: 5_000,
      taxMinor: 0,
      details: [],
    });
  });
});

describe('ratesAt', () => {
  const row = (over: Partial<TaxRate>): TaxRate => ({
    id: 'txr_x',
    country: 'US',
    region: 'CA',
    postal_prefix: null,
    tax_code: null,
    jurisdiction: 'state',
    name: 'CA',
    rate_ppm: 60_000,
    shipping_taxable: false,
    ...over,
  });
  const rates = [
    row({}),
    row({ jurisdiction: 'local', name: 'LA', postal_prefix: '9', rate_ppm: 10_000 }),
    row({ jurisdiction: 'local', name: 'Irvine', postal_prefix: '926', rate_ppm: 17_500, shipping_taxable: true }),
    row({ jurisdiction: 'state', name: 'CA food', tax_code: 'FOOD', rate_ppm: 0 }),
  ];
  const at = (postalCode: string) => ({ line1: null, city: null, region: 'CA', postalCode, country: 'US' });

  it('stacks jurisdictions and takes the longest postal prefix within one', () => {
    expect(ratesAt(rates, at('92615'), null, false).map((r) => [r.name, r.ratePpm])).toEqual([
      ['Irvine', 17_500],
      ['CA', 60_000],
    ]);
    expect(ratesAt(rates, at('90001'), null, false).map((r) => r.name)).toEqual(['LA', 'CA']);
  });

  it('lets a product tax code replace the general rate of its jurisdiction', () => {
    expect(ratesAt(rates, at('92615'), 'FOOD', false).map((r) => [r.name, r.ratePpm])).toEqual([
      ['Irvine', 17_500],
      ['CA food', 0],
    ]);
  });

  it('taxes shipping only where the rate says shipping is taxable', () => {
    expect(ratesAt(rates, at('92615'), null, true).map((r) => r.name)).toEqual(['Irvine']);
    expect(ratesAt(rates, { ...at('92615'), region: 'NY' }, null, true)).toEqual([]);
  });
});
