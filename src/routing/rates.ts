import type { ChannelRateTable, RoutingRules, ZoneRate } from './rules.ts';

const GRAMS_PER_KG = 1000;

/** The first band whose maxKm reaches `km` (the open last band catches the rest). */
export function bandFor<T extends { maxKm: number | null }>(bands: readonly T[], km: number): T {
  for (const band of bands) {
    if (band.maxKm === null || km <= band.maxKm) return band;
  }
  const last = bands.at(-1);
  if (last === undefined) throw new Error('a band list must not be empty (validateRules)');
  return last;
}

interface ZonedRate {
  zone: string;
  /** The rules' own rate object (shared, not copied). */
  rate: ZoneRate;
}

/** The carrier zone and its rate for a shipment travelling `km`. */
export function rateFor(rateTable: RoutingRules['rateTable'], km: number): ZonedRate {
  const { zone } = bandFor(rateTable.bands, km);
  const rate = rateTable.zones[zone];
  if (rate === undefined) throw new Error(`zone "${zone}" has no rate (validateRules)`);
  return { zone, rate };
}

/** Started kilograms: 0 g → 0, 1–1000 g → 1, 1001 g → 2. */
export const billableKg = (weightGrams: number): number => Math.ceil(weightGrams / GRAMS_PER_KG);

/** Rate of one shipment in minor units: base + per started kilogram. */
export function shipmentCostMinor(rate: ZoneRate, weightGrams: number): number {
  return rate.baseMinor + rate.perKgMinor * billableKg(weightGrams);
}

/** The rates that price one order: a table of `rateTables`, or the rules' default. */
export interface Rates {
  /** The table's name; null for the default `rateTable`. */
  table: string | null;
  currency: string;
  bands: RoutingRules['rateTable']['bands'];
  zones: RoutingRules['rateTable']['zones'];
  transitDays: RoutingRules['transitDays'];
}

/** What selects an order's rate table. */
interface RatesKey {
  channelId: string;
  /** The channel's code, when it has one: tables may name a channel by it. */
  channelCode?: string | null | undefined;
  /** ISO 3166-1 alpha-2 country of the delivery address; absent for pickup or no address. */
  country?: string | null | undefined;
}

// Rules and their tables are reused across decisions (the active version): one Rates each.
const ratesOf = new WeakMap<object, Rates>();

function cachedRates(owner: RoutingRules | ChannelRateTable, rules: RoutingRules): Rates {
  let rates = ratesOf.get(owner);
  if (rates === undefined) {
    const table = owner === rules ? null : (owner as ChannelRateTable);
    rates = {
      table: table?.name ?? null,
      currency: table?.currency ?? rules.currency,
      bands: table?.bands ?? rules.rateTable.bands,
      zones: table?.zones ?? rules.rateTable.zones,
      transitDays: table?.transitDays ?? rules.transitDays,
    };
    ratesOf.set(owner, rates);
  }
  return rates;
}

const matches = (list: readonly string[] | undefined, ...values: (string | null | undefined)[]): boolean =>
  list === undefined || values.some((value) => value != null && list.includes(value));

/**
 * The rates of an order: the first of `rules.rateTables` whose channels (ids or codes) and
 * countries, each when given, include the order's; else the default `rateTable` in `currency`.
 */
export function ratesFor(rules: RoutingRules, key: RatesKey): Rates {
  const table = rules.rateTables?.find(
    (t) => matches(t.channels, key.channelId, key.channelCode) && matches(t.countries, key.country),
  );
  return cachedRates(table ?? rules, rules);
}
