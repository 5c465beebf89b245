import { sql } from 'drizzle-orm';
import { query, type Executor } from '../db/index.ts';
import { newId } from '../shared/ids.ts';
import { problem, type Problem } from '../shared/problem.ts';
import { ok, type Result } from '../shared/result.ts';
import type { TaxAddress, TaxEngine, TaxRequest } from './adapter.ts';
import { taxLines, type RatePart } from './compute.ts';

export interface TaxRate {
  id: string;
  country: string;
  region: string | null;
  postal_prefix: string | null;
  tax_code: string | null;
  jurisdiction: string;
  name: string;
  rate_ppm: number;
  shipping_taxable: boolean;
}

type TaxRateInput = Omit<TaxRate, 'id'>;

const COUNTRY = /^[A-Z]{2}$/;
const REGION = /^[A-Z0-9]{1,3}$/;
const POSTAL_PREFIX = /^[A-Z0-9]{1,10}$/;

/** Checks every row before any is written: the jurisdiction must be well formed, the rate 0–100 %. */
export function checkRates(rates: TaxRateInput[]): Problem | null {
  const errors: { pointer: string; message: string }[] = [];
  const seen = new Set<string>();
  rates.forEach((rate, i) => {
    const at = (field: string, message: string) => errors.push({ pointer: `/rates/${i}/${field}`, message });
    if (!COUNTRY.test(rate.country)) at('country', 'an ISO 3166-1 alpha-2 code in capitals (US, DE)');
    if (rate.region !== null && !REGION.test(rate.region)) at('region', 'a region code of 1–3 capitals or digits (CA)');
    if (rate.postal_prefix !== null && !POSTAL_PREFIX.test(rate.postal_prefix))
      at('postal_prefix', 'the start of a postal code: 1–10 capitals or digits, no spaces');
    if (rate.postal_prefix !== null && rate.region === null)
      at('postal_prefix', 'a postal prefix needs the region it lies in');
    if (!Number.isInteger(rate.rate_ppm) || rate.rate_ppm < 0 || rate.rate_ppm > 1_000_000)
      at('rate_ppm', 'parts per million, a whole number from 0 to 1 000 000 (7.75 % is 77 500)');
    const key = [rate.country, rate.region, rate.postal_prefix, rate.tax_code, rate.jurisdiction].join('|');
    if (seen.has(key)) at('jurisdiction', 'the same jurisdiction is listed twice for this place and tax code');
    seen.add(key);
  });
  return errors.length === 0
    ? null
    : problem('invalid_tax_rate', `${errors.length} tax rate field(s) are not valid; nothing was changed.`, { errors });
}

/** Replaces the whole rate table (the caller has checked the rows). */
export async function replaceRates(executor: Executor, rates: TaxRateInput[]): Promise<void> {
  await executor.execute(sql`delete from tax_rates`);
  if (rates.length === 0) return;
  const rows = rates.map((r) => ({ ...r, id: newId('txr') }));
  await executor.execute(sql`
    insert into tax_rates (id, country, region, postal_prefix, tax_code, jurisdiction, name, rate_ppm, shipping_taxable)
    select t.id, t.country, t.region, t.postal_prefix, t.tax_code, t.jurisdiction, t.name, t.rate_ppm, t.shipping_taxable
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as t(id text, country text, region text, postal_prefix text,
      tax_code text, jurisdiction text, name text, rate_ppm int, shipping_taxable boolean)`);
}

export function listRates(executor: Executor): Promise<TaxRate[]> {
  return query<TaxRate>(
    executor,
    sql`select id, country, region, postal_prefix, tax_code, jurisdiction, name, rate_ppm, shipping_taxable
        from tax_rates order by country, region nulls first, postal_prefix nulls first, jurisdiction, tax_code nulls first`,
  );
}

const normal = (value: string | null) => (value ?? '').toUpperCase().replace(/[\s-]/g, '');

/** How closely a row fits: a product tax code first, then the longest postal prefix, then a region. */
function specificity(rate: TaxRate): number {
  return (rate.tax_code !== null ? 1000 : 0) + (rate.postal_prefix?.length ?? 0) * 10 + (rate.region !== null ? 1 : 0);
}

/**
 * The rates that apply at `to` for a product tax code: of the rows that match, the closest one
 * per jurisdiction (so a county's row stacks on the state's, and a row for the tax code or for a
 * longer postal prefix replaces the general one of its jurisdiction).
 */
export function ratesAt(rates: TaxRate[], to: TaxAddress, taxCode: string | null, shipping: boolean): RatePart[] {
  const postal = normal(to.postalCode);
  const region = normal(to.region);
  const best = new Map<string, TaxRate>();
  for (const rate of rates) {
    if (rate.country !== normal(to.country)) continue;
    if (rate.region !== null && rate.region !== region) continue;
    if (rate.postal_prefix !== null && !postal.startsWith(rate.postal_prefix)) continue;
    if (rate.tax_code !== null && rate.tax_code !== taxCode) continue;
    const current = best.get(rate.jurisdiction);
    if (!current || specificity(rate) > specificity(current)) best.set(rate.jurisdiction, rate);
  }
  return [...best.values()]
    .filter((rate) => !shipping || rate.shipping_taxable)
    .sort((a, b) => a.jurisdiction.localeCompare(b.jurisdiction))
    .map((rate) => ({ jurisdiction: rate.jurisdiction, name: rate.name, ratePpm: rate.rate_ppm }));
}

/** The built-in engine: the rate table, in process; nothing to commit anywhere. */
export function tableEngine(rates: TaxRate[]): TaxEngine {
  return {
    name: 'table',
    quote: async (request: TaxRequest) =>
      ok({
        externalCode: null,
        lines: taxLines(
          request.lines.map((line) => ({
            lineId: line.lineId,
            amountMinor: line.amountMinor,
            rates: ratesAt(rates, request.shipTo, line.taxCode, line.shipping),
          })),
          request.mode,
        ),
      }),
    commit: async (): Promise<Result<void>> => ok(undefined),
  };
}
