import { criterionNames, type CriterionName } from './types.ts';

/** A distance band: applies up to and including maxKm; null = no upper limit (must be the last band). */
interface RateBand {
  maxKm: number | null;
  zone: string;
}

/** Carrier rate of one zone: baseMinor per shipment + perKgMinor per started kilogram. */
export interface ZoneRate {
  baseMinor: number;
  perKgMinor: number;
}

interface TransitBand {
  maxKm: number | null;
  days: number;
}

/** Distance bands to carrier zones, and each zone's rate. */
interface RateTable {
  bands: RateBand[];
  zones: Record<string, ZoneRate>;
}

/**
 * A rate table for some orders: those of the named channels (ids or codes) and/or shipping to the
 * named countries (ISO 3166-1 alpha-2). The first table whose every given list matches the order
 * prices it, in its own currency; orders no table matches use `rateTable` and `currency`.
 */
export interface ChannelRateTable extends RateTable {
  /** How explanations name it: "Freight from the BR table in BRL". */
  name: string;
  channels?: string[];
  countries?: string[];
  /** ISO 4217; must be the currency every named channel sells in. */
  currency: string;
  /** Transit days by distance; absent = the rules' `transitDays`. */
  transitDays?: TransitBand[];
}

/**
 * Routing rules, as stored (JSON) and versioned by the caller. Rules reaching `plan` must pass
 * `validateRules`.
 */
export interface RoutingRules {
  /** Non-negative; total = Σ weight × criterion. */
  weights: Record<CriterionName, number>;
  /** Most locations one order may ship from; null = no limit. */
  maxShipments: number | null;
  /** Every line must be allocated in full now: no back-orders. */
  shipComplete: boolean;
  /** When the pickup store cannot fulfil: reject, or ship (if the customer allowed it). */
  pickupFallback: 'reject' | 'ship';
  /** true: a location past its cut-off is excluded; false: it qualifies and ships the next day. */
  excludeAfterCutoff: boolean;
  /** The default rate table, in `currency`: prices the orders no table of `rateTables` matches. */
  rateTable: RateTable;
  /** Rate tables by channel and destination country, first match wins (see ChannelRateTable). */
  rateTables?: ChannelRateTable[] | undefined;
  transitDays: TransitBand[];
  /** Days from order placement to delivery the channel promises. */
  slaDays: { default: number; byChannel: Record<string, number> };
  /** ISO 4217 currency of the default rate table. */
  currency: string;
  /**
   * Where a bundle's components may come from: `one_location` (absent means this) takes every
   * kit whole from one location; `split_components` lets a kit that no eligible location holds
   * whole take each component from a different one.
   */
  bundles?: BundleRule | undefined;
  /** Location ids no order is routed to while these rules are active (absent means none). */
  excludedLocations?: string[] | undefined;
}

type BundleRule = 'one_location' | 'split_components';

/**
 * Defaults: fewest shipments dominates (one extra shipment outweighs any realistic sum of the
 * other criteria), then lateness (a day late ≈ 100.00 of freight), then freight cost in minor
 * units and distance in km at par, then stock balance and store priority as tie-breakers.
 * Balance is Σ quantity ÷ available, so taking a location's whole stock of a line costs at most
 * its weight: at 60 it sends a unit at most 60 km further to spare a location's last units, never
 * 70 km (docs: src/routing/README.md). Zones and transit days follow US ground-parcel zones by
 * distance.
 */
export const defaultRoutingRules: RoutingRules = {
  weights: { shipments: 1_000_000, sla: 10_000, cost: 1, distance: 1, balance: 60, priority: 100 },
  maxShipments: null,
  shipComplete: false,
  pickupFallback: 'reject',
  excludeAfterCutoff: false,
  rateTable: {
    bands: [
      { maxKm: 150, zone: '2' },
      { maxKm: 480, zone: '3' },
      { maxKm: 970, zone: '4' },
      { maxKm: 1450, zone: '5' },
      { maxKm: 2250, zone: '6' },
      { maxKm: 2900, zone: '7' },
      { maxKm: null, zone: '8' },
    ],
    zones: {
      '2': { baseMinor: 850, perKgMinor: 90 },
      '3': { baseMinor: 900, perKgMinor: 110 },
      '4': { baseMinor: 950, perKgMinor: 130 },
      '5': { baseMinor: 1000, perKgMinor: 160 },
      '6': { baseMinor: 1100, perKgMinor: 190 },
      '7': { baseMinor: 1200, perKgMinor: 220 },
      '8': { baseMinor: 1350, perKgMinor: 260 },
    },
  },
  transitDays: [
    { maxKm: 150, days: 1 },
    { maxKm: 480, days: 2 },
    { maxKm: 970, days: 3 },
    { maxKm: 2250, days: 4 },
    { maxKm: null, days: 5 },
  ],
  slaDays: { default: 5, byChannel: {} },
  currency: 'USD',
};

/** One problem found by `validateRules`: where (RFC 6901 JSON pointer) and what. */
export interface RuleViolation {
  pointer: string;
  message: string;
}

type Report = (pointer: string, message: string) => void;
type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isNonNegativeNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0;
const isNonNegativeInteger = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/** RFC 6901 escaping for keys chosen by users (zone names, channel ids). */
const pointerKey = (key: string): string => key.replaceAll('~', '~0').replaceAll('/', '~1');

function checkKeys(
  value: Json,
  pointer: string,
  allowed: readonly string[],
  report: Report,
  optional: readonly string[] = [],
): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key) && !optional.includes(key))
      report(`${pointer}/${pointerKey(key)}`, `unknown field "${key}"`);
  }
  for (const key of allowed) {
    if (!(key in value)) report(`${pointer}/${key}`, 'is required');
  }
}

function checkWeights(value: unknown, report: Report): void {
  if (!isObject(value)) return report('/weights', 'must be an object of weights');
  checkKeys(value, '/weights', criterionNames, report);
  for (const name of criterionNames) {
    if (name in value && !isNonNegativeNumber(value[name])) {
      report(`/weights/${name}`, 'must be a number ≥ 0');
    }
  }
}

/** Bands must be non-empty, strictly ascending by maxKm, and end with an open band (maxKm: null). */
function checkBands(
  value: unknown,
  pointer: string,
  report: Report,
  checkItem: (item: Json, at: string) => void,
): void {
  if (!Array.isArray(value) || value.length === 0) return report(pointer, 'must be a non-empty list of bands');
  let previous = 0;
  value.forEach((item: unknown, index) => {
    const at = `${pointer}/${index}`;
    if (!isObject(item)) return report(at, 'must be an object');
    const last = index === value.length - 1;
    const { maxKm } = item;
    if (maxKm === null) {
      if (!last) report(`${at}/maxKm`, 'only the last band may be open-ended (null)');
    } else if (!isNonNegativeNumber(maxKm) || maxKm <= previous) {
      report(`${at}/maxKm`, `must be a number greater than ${previous} (bands ascend)`);
    } else {
      previous = maxKm;
      if (last) report(`${at}/maxKm`, 'the last band must be open-ended (null) so every distance has a band');
    }
    checkItem(item, at);
  });
}

/** Bands and zones of a rate table at `pointer`: every band's zone has a rate. */
function checkRateTable(value: Json, pointer: string, report: Report): void {
  const zones = isObject(value.zones) ? value.zones : null;
  if (zones === null) report(`${pointer}/zones`, 'must be an object of zone rates');
  for (const [zone, rate] of Object.entries(zones ?? {})) {
    const at = `${pointer}/zones/${pointerKey(zone)}`;
    if (!isObject(rate)) {
      report(at, 'must be an object with baseMinor and perKgMinor');
      continue;
    }
    checkKeys(rate, at, ['baseMinor', 'perKgMinor'], report);
    if ('baseMinor' in rate && !isNonNegativeInteger(rate.baseMinor))
      report(`${at}/baseMinor`, 'must be an integer ≥ 0');
    if ('perKgMinor' in rate && !isNonNegativeInteger(rate.perKgMinor)) {
      report(`${at}/perKgMinor`, 'must be an integer ≥ 0');
    }
  }
  checkBands(value.bands, `${pointer}/bands`, report, (band, at) => {
    checkKeys(band, at, ['maxKm', 'zone'], report);
    if (typeof band.zone !== 'string') report(`${at}/zone`, 'must be a zone name');
    else if (zones !== null && !(band.zone in zones)) report(`${at}/zone`, `zone "${band.zone}" has no rate in zones`);
  });
}

function checkTransitDays(value: unknown, pointer: string, report: Report): void {
  checkBands(value, pointer, report, (band, at) => {
    checkKeys(band, at, ['maxKm', 'days'], report);
    if (!isNonNegativeInteger(band.days)) report(`${at}/days`, 'must be an integer ≥ 0');
  });
}

const isCurrency = (value: unknown): value is string => typeof value === 'string' && /^[A-Z]{3}$/.test(value);

/** A channel as rate tables name it (by id or code), with the currency it sells in. */
export interface ChannelCurrency {
  id: string;
  code: string | null;
  currency: string;
}

/** A list of distinct names matching `pattern`, at `pointer`; the valid names. */
function checkNames(
  value: unknown,
  pointer: string,
  pattern: RegExp,
  what: [string, string],
  report: Report,
): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    report(pointer, `must be a non-empty list of ${what[0]}`);
    return [];
  }
  const names: string[] = [];
  value.forEach((name: unknown, index) => {
    if (typeof name !== 'string' || !pattern.test(name)) report(`${pointer}/${index}`, `must be ${what[1]}`);
    else if (names.includes(name)) report(`${pointer}/${index}`, `"${name}" is listed twice`);
    else names.push(name);
  });
  return names;
}

/** A channel's rate table, and (when `channels` are given) that every channel it names sells in its currency. */
function checkChannelRateTable(
  value: unknown,
  pointer: string,
  report: Report,
  channels: readonly ChannelCurrency[] | undefined,
): void {
  if (!isObject(value)) return report(pointer, 'must be an object with name, currency, bands and zones');
  checkKeys(value, pointer, ['name', 'currency', 'bands', 'zones'], report, ['channels', 'countries', 'transitDays']);
  if (typeof value.name !== 'string' || value.name.trim() === '') report(`${pointer}/name`, 'must be a non-empty name');
  const currency = isCurrency(value.currency) ? value.currency : null;
  if ('currency' in value && currency === null) report(`${pointer}/currency`, 'must be an ISO 4217 code such as BRL');
  if (value.channels === undefined && value.countries === undefined) {
    report(pointer, 'must name channels or countries (orders no table matches use rateTable)');
  }
  const named =
    value.channels !== undefined
      ? checkNames(
          value.channels,
          `${pointer}/channels`,
          /\S/,
          ['channel ids or codes', 'a channel id or code'],
          report,
        )
      : [];
  if (value.countries !== undefined) {
    checkNames(
      value.countries,
      `${pointer}/countries`,
      /^[A-Z]{2}$/,
      ['ISO 3166-1 alpha-2 country codes', 'an ISO 3166-1 alpha-2 country code such as BR'],
      report,
    );
  }
  checkRateTable(value, pointer, report);
  if (value.transitDays !== undefined) checkTransitDays(value.transitDays, `${pointer}/transitDays`, report);
  if (channels === undefined) return;
  named.forEach((name, index) => {
    const channel = channels.find((c) => c.id === name) ?? channels.find((c) => c.code === name);
    const at = `${pointer}/channels/${index}`;
    if (channel === undefined) report(at, `no channel has the id or code "${name}"`);
    else if (currency !== null && channel.currency !== currency) {
      report(
        at,
        `channel ${name} sells in ${channel.currency}, so its rate table must be in ${channel.currency}, not ${currency}`,
      );
    }
  });
}

function checkRateTables(value: unknown, report: Report, channels: readonly ChannelCurrency[] | undefined): void {
  if (!Array.isArray(value)) return report('/rateTables', 'must be a list of rate tables');
  const names = new Set<string>();
  value.forEach((table: unknown, index) => {
    const at = `/rateTables/${index}`;
    checkChannelRateTable(table, at, report, channels);
    if (isObject(table) && typeof table.name === 'string') {
      if (names.has(table.name)) report(`${at}/name`, `another rate table is named "${table.name}"`);
      names.add(table.name);
    }
  });
}

/** Excluded locations: distinct ids, each (when `locations` are given) a location that exists. An empty list excludes none. */
function checkExcludedLocations(value: unknown, report: Report, locations: readonly string[] | undefined): void {
  if (!Array.isArray(value)) return report('/excludedLocations', 'must be a list of location ids');
  const seen = new Set<string>();
  value.forEach((id: unknown, index) => {
    const at = `/excludedLocations/${index}`;
    if (typeof id !== 'string' || id.trim() === '') report(at, 'must be a location id');
    else if (seen.has(id)) report(at, `"${id}" is listed twice`);
    else if (locations !== undefined && !locations.includes(id)) report(at, `no location has the id "${id}"`);
    seen.add(String(id));
  });
}

function checkSlaDays(value: unknown, report: Report): void {
  if (!isObject(value)) return report('/slaDays', 'must be an object with default and byChannel');
  checkKeys(value, '/slaDays', ['default', 'byChannel'], report);
  if ('default' in value && !isNonNegativeInteger(value.default)) report('/slaDays/default', 'must be an integer ≥ 0');
  if (!isObject(value.byChannel)) return report('/slaDays/byChannel', 'must be an object of channel id → days');
  for (const [channel, days] of Object.entries(value.byChannel)) {
    if (!isNonNegativeInteger(days)) report(`/slaDays/byChannel/${pointerKey(channel)}`, 'must be an integer ≥ 0');
  }
}

function checkScalars(value: Json, report: Report): void {
  const { maxShipments, pickupFallback, currency } = value;
  if (
    'maxShipments' in value &&
    maxShipments !== null &&
    !(Number.isSafeInteger(maxShipments) && (maxShipments as number) >= 1)
  ) {
    report('/maxShipments', 'must be an integer ≥ 1, or null for no limit');
  }
  for (const flag of ['shipComplete', 'excludeAfterCutoff'] as const) {
    if (flag in value && typeof value[flag] !== 'boolean') report(`/${flag}`, 'must be true or false');
  }
  if ('pickupFallback' in value && pickupFallback !== 'reject' && pickupFallback !== 'ship') {
    report('/pickupFallback', 'must be "reject" or "ship"');
  }
  if ('currency' in value && !isCurrency(currency)) {
    report('/currency', 'must be an ISO 4217 code such as USD');
  }
  if ('bundles' in value && value.bundles !== 'one_location' && value.bundles !== 'split_components') {
    report('/bundles', 'must be "one_location" or "split_components"');
  }
}

const topLevelKeys = [
  'weights',
  'maxShipments',
  'shipComplete',
  'pickupFallback',
  'excludeAfterCutoff',
  'rateTable',
  'transitDays',
  'slaDays',
  'currency',
] as const;

/**
 * Every problem with a rules document, each with a JSON pointer the rules editor can highlight.
 * An empty list means `rules` is a valid `RoutingRules`. Given the `channels`, the channels each
 * rate table names must exist and sell in its currency; given the `locations` (ids), every
 * excluded location must be one of them.
 */
export function validateRules(
  rules: unknown,
  channels?: readonly ChannelCurrency[],
  locations?: readonly string[],
): RuleViolation[] {
  const violations: RuleViolation[] = [];
  const report: Report = (pointer, message) => void violations.push({ pointer, message });
  if (!isObject(rules)) return [{ pointer: '', message: 'rules must be a JSON object' }];
  checkKeys(rules, '', topLevelKeys, report, ['bundles', 'rateTables', 'excludedLocations']);
  checkWeights(rules.weights, report);
  checkScalars(rules, report);
  if (!isObject(rules.rateTable)) report('/rateTable', 'must be an object with bands and zones');
  else {
    checkKeys(rules.rateTable, '/rateTable', ['bands', 'zones'], report);
    checkRateTable(rules.rateTable, '/rateTable', report);
  }
  if (rules.rateTables !== undefined) checkRateTables(rules.rateTables, report, channels);
  if (rules.excludedLocations !== undefined) checkExcludedLocations(rules.excludedLocations, report, locations);
  checkTransitDays(rules.transitDays, '/transitDays', report);
  checkSlaDays(rules.slaDays, report);
  return violations;
}
