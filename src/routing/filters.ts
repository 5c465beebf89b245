import type { RoutingRules } from './rules.ts';
import { formatMinutes, isPastCutoff, type LocalClock } from './sla.ts';
import {
  filterCodes,
  type Candidate,
  type DeliveryMethod,
  type Exclusion,
  type FilterCode,
  type PlanOrder,
} from './types.ts';

const filterCount = filterCodes.length;

/** What each filter means, for a legend in the console and the rules editor. */
export const filterDescriptions: Record<FilterCode, string> = {
  inactive: 'The location is deactivated.',
  not_in_channel_group: "The location is not in the location group of the order's channel.",
  excluded: 'The order excludes the location (re-routing after it rejected the order).',
  excluded_by_rules: 'The routing rules exclude the location.',
  not_pickup_location: 'The customer chose another store for pickup.',
  missing_capability: 'The location cannot fulfil this delivery method (ship, pickup or curbside).',
  no_coordinates: 'The location has no coordinates, so distance, rate and delivery date are unknown.',
  no_capacity: 'The location has used its daily capacity of fulfillment orders.',
  past_cutoff: 'The location is past its cut-off time and the rules exclude such locations.',
  no_stock: "The location holds none of the order's SKUs.",
};

export interface FilterContext {
  order: PlanOrder;
  rules: RoutingRules;
  /** The method being planned (ship when a pickup falls back to shipping). */
  method: DeliveryMethod;
  excluded: ReadonlySet<string>;
  /** The rules' excluded locations (`rules.excludedLocations`). */
  ruleExcluded: ReadonlySet<string>;
  clockAt: (timeZone: string) => LocalClock;
}

const noneExcluded: ReadonlySet<string> = new Set();
const ruleExclusionSets = new WeakMap<RoutingRules, ReadonlySet<string>>();

/** The locations the rules exclude, as a set built once per rules object (the active version is reused by every decision). */
export function ruleExclusions(rules: RoutingRules): ReadonlySet<string> {
  const ids = rules.excludedLocations;
  if (ids === undefined || ids.length === 0) return noneExcluded;
  let set = ruleExclusionSets.get(rules);
  if (set === undefined) {
    set = new Set(ids);
    ruleExclusionSets.set(rules, set);
  }
  return set;
}

/** Exclusions whose reason depends on the order only: built once per decision, shared by candidates. */
interface FixedExclusions {
  inactive: Exclusion;
  notInGroup: Exclusion;
  excluded: Exclusion;
  excludedByRules: Exclusion;
  notPickupLocation: Exclusion;
  noCoordinates: Exclusion;
  noStock: Exclusion;
}

const fixedExclusions = new WeakMap<FilterContext, FixedExclusions>();

function buildFixed(context: FilterContext): FixedExclusions {
  const { order, method } = context;
  return {
    inactive: { code: 'inactive', reason: 'The location is deactivated.' },
    notInGroup: { code: 'not_in_channel_group', reason: `Not in the location group of channel ${order.channelId}.` },
    excluded: { code: 'excluded', reason: 'Excluded by the order (it rejected this order earlier).' },
    excludedByRules: { code: 'excluded_by_rules', reason: 'Excluded by the routing rules.' },
    notPickupLocation: {
      code: 'not_pickup_location',
      reason: `The customer chose ${order.pickupLocationId ?? 'no store'} for ${method}.`,
    },
    noCoordinates: {
      code: 'no_coordinates',
      reason: 'No latitude/longitude on file, so distance and rate are unknown.',
    },
    noStock: { code: 'no_stock', reason: "Holds none of the order's SKUs." },
  };
}

function fixedFor(context: FilterContext): FixedExclusions {
  let fixed = fixedExclusions.get(context);
  if (fixed === undefined) {
    fixed = buildFixed(context);
    fixedExclusions.set(context, fixed);
  }
  return fixed;
}

const capabilityFor: Record<DeliveryMethod, 'ship' | 'pickup' | 'curbside'> = {
  ship: 'ship',
  pickup: 'pickup',
  curbside: 'curbside',
};

/** Digits 1… for the known capabilities (0 = unknown), so a capability list can key a cache. */
function capabilityDigit(capability: string): number {
  switch (capability) {
    case 'ship':
      return 1;
    case 'pickup':
      return 2;
    case 'curbside':
      return 3;
    case 'returns':
      return 4;
    default:
      return 0;
  }
}

/**
 * missing_capability exclusions by (needed capability, the location's capability list in order):
 * the reason depends on nothing else, and networks repeat a few capability lists over many
 * locations. Shared between candidates and decisions, so frozen.
 */
const capabilityExclusions = new Map<number, Exclusion>();

/**
 * The cache key of a capability list for `needed`: the needed capability and then each listed one
 * as a base-5 digit (all digits ≥ 1, so distinct lists give distinct keys). 0 = not cacheable (an
 * unknown capability or a long list).
 */
function capabilityKey(needed: 'ship' | 'pickup' | 'curbside', capabilities: readonly string[]): number {
  if (capabilities.length > 8) return 0;
  let key = capabilityDigit(needed);
  for (let i = 0; i < capabilities.length && key > 0; i++) {
    const digit = capabilityDigit(capabilities[i]!);
    key = digit === 0 ? 0 : key * 5 + digit;
  }
  return key;
}

function missingCapability(
  needed: 'ship' | 'pickup' | 'curbside',
  capabilities: readonly string[],
  key: number,
): Exclusion {
  let exclusion = key > 0 ? capabilityExclusions.get(key) : undefined;
  if (exclusion === undefined) {
    const has = capabilities.length > 0 ? capabilities.join(', ') : 'none';
    exclusion = { code: 'missing_capability', reason: `Cannot ${needed} (capabilities: ${has}).` };
    if (key > 0) capabilityExclusions.set(key, Object.freeze(exclusion));
  }
  return exclusion;
}

function capacityExclusion(candidate: Candidate): Exclusion | null {
  if (candidate.dailyCapacity === null) return null;
  const remaining = candidate.dailyCapacity - candidate.capacityUsedToday;
  if (remaining > 0) return null;
  return {
    code: 'no_capacity',
    reason: `Daily capacity reached: ${candidate.capacityUsedToday} of ${candidate.dailyCapacity} fulfillment orders today.`,
  };
}

function cutoffExclusion(candidate: Candidate, context: FilterContext): Exclusion | null {
  if (!context.rules.excludeAfterCutoff || candidate.cutoffTime === null) return null;
  const clock = context.clockAt(candidate.timezone);
  if (!isPastCutoff(clock, candidate.cutoffTime)) return null;
  return {
    code: 'past_cutoff',
    reason:
      `Past its ${candidate.cutoffTime} cut-off (now ${formatMinutes(clock.minutes)} ${candidate.timezone}); ` +
      'the rules exclude locations after cut-off.',
  };
}

/** Exclusions being collected for one candidate (at most one per filter). */
const found: Exclusion[] = new Array<Exclusion>(filterCount);
let foundCount = 0;
/**
 * What the collected list is made of: a bit per filter, plus the capability list's key when it is
 * missing a capability. Every other exclusion is one object per decision, so equal keys mean equal
 * lists. -1: the list holds an exclusion built for this candidate alone (capacity, cut-off).
 */
let foundKey = 0;

function note(exclusion: Exclusion, bit: number): void {
  found[foundCount++] = exclusion;
  if (foundKey >= 0) foundKey += bit;
}

const bitOf = (code: FilterCode): number => 2 ** filterCodes.indexOf(code);
const BIT = {
  inactive: bitOf('inactive'),
  notInGroup: bitOf('not_in_channel_group'),
  excluded: bitOf('excluded'),
  excludedByRules: bitOf('excluded_by_rules'),
  notPickupLocation: bitOf('not_pickup_location'),
  missingCapability: bitOf('missing_capability'),
  noCoordinates: bitOf('no_coordinates'),
  noStock: bitOf('no_stock'),
};
const CODE_KEYS = 2 ** filterCount;

/** Collects into `found`; returns how many. */
function collect(candidate: Candidate, holdsOrderSku: boolean, context: FilterContext, fixed: FixedExclusions): number {
  const { method, order } = context;
  foundCount = 0;
  foundKey = 0;
  if (!candidate.active) note(fixed.inactive, BIT.inactive);
  if (!candidate.inChannelGroup) note(fixed.notInGroup, BIT.notInGroup);
  if (context.excluded.size > 0 && context.excluded.has(candidate.id)) note(fixed.excluded, BIT.excluded);
  if (context.ruleExcluded.size > 0 && context.ruleExcluded.has(candidate.id)) {
    note(fixed.excludedByRules, BIT.excludedByRules);
  }
  if (method !== 'ship' && candidate.id !== order.pickupLocationId) {
    note(fixed.notPickupLocation, BIT.notPickupLocation);
  }
  const needed = capabilityFor[method];
  if (!candidate.capabilities.includes(needed)) {
    const key = capabilityKey(needed, candidate.capabilities);
    note(missingCapability(needed, candidate.capabilities, key), BIT.missingCapability);
    foundKey = key > 0 && foundKey >= 0 ? foundKey + key * CODE_KEYS : -1;
  }
  if (
    method === 'ship' &&
    order.destination !== null &&
    (candidate.latitude === null || candidate.longitude === null)
  ) {
    note(fixed.noCoordinates, BIT.noCoordinates);
  }
  const capacity = capacityExclusion(candidate);
  if (capacity !== null) {
    note(capacity, 0);
    foundKey = -1;
  }
  const cutoff = cutoffExclusion(candidate, context);
  if (cutoff !== null) {
    note(cutoff, 0);
    foundKey = -1;
  }
  if (!holdsOrderSku) note(fixed.noStock, BIT.noStock);
  return foundCount;
}

function copyFound(): Exclusion[] {
  const out: Exclusion[] = foundCount === 0 ? [] : new Array<Exclusion>(foundCount);
  for (let i = 0; i < foundCount; i++) out[i] = found[i]!;
  return out;
}

/**
 * Every filter that excludes `candidate`, each with its stable code and a reason an operator can
 * act on. Empty = eligible. `holdsOrderSku`: the location has stock of at least one ordered SKU.
 * Exclusions whose reason does not depend on the candidate are shared between candidates.
 */
export function exclusionsFor(candidate: Candidate, holdsOrderSku: boolean, context: FilterContext): Exclusion[] {
  collect(candidate, holdsOrderSku, context, fixedFor(context));
  return copyFound();
}

/**
 * exclusionsFor for every candidate of one decision, with the shared exclusions built once.
 * Candidates excluded for the same shared reasons (or for none) share one list: a decision sees
 * a few dozen distinct lists over hundreds of candidates. Lists are read-only.
 */
export function exclusionFilter(context: FilterContext): (candidate: Candidate, holdsOrderSku: boolean) => Exclusion[] {
  const fixed = buildFixed(context);
  const lists = new Map<number, Exclusion[]>();
  return (candidate, holdsOrderSku) => {
    collect(candidate, holdsOrderSku, context, fixed);
    if (foundKey < 0) return copyFound();
    let list = lists.get(foundKey);
    if (list === undefined) {
      list = copyFound();
      lists.set(foundKey, list);
    }
    return list;
  };
}
