import type { RoutingRules } from './rules.ts';
import { formatMinutes, isPastCutoff, type LocalClock } from './sla.ts';
import type { Candidate, DeliveryMethod, Exclusion, FilterCode, PlanOrder } from './types.ts';

/** What each filter means, for a legend in the console and the rules editor. */
export const filterDescriptions: Record<FilterCode, string> = {
  inactive: 'The location is deactivated.',
  not_in_channel_group: "The location is not in the location group of the order's channel.",
  excluded: 'The order excludes the location (re-routing after it rejected the order).',
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
  clockAt: (timeZone: string) => LocalClock;
}

/** Exclusions whose reason depends on the order only: built once per decision, shared by candidates. */
interface FixedExclusions {
  inactive: Exclusion;
  notInGroup: Exclusion;
  excluded: Exclusion;
  notPickupLocation: Exclusion;
  noCoordinates: Exclusion;
  noStock: Exclusion;
}

const fixedExclusions = new WeakMap<FilterContext, FixedExclusions>();

function fixedFor(context: FilterContext): FixedExclusions {
  let fixed = fixedExclusions.get(context);
  if (fixed === undefined) {
    const { order, method } = context;
    fixed = {
      inactive: { code: 'inactive', reason: 'The location is deactivated.' },
      notInGroup: { code: 'not_in_channel_group', reason: `Not in the location group of channel ${order.channelId}.` },
      excluded: { code: 'excluded', reason: 'Excluded by the order (it rejected this order earlier).' },
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
    fixedExclusions.set(context, fixed);
  }
  return fixed;
}

const capabilityFor: Record<DeliveryMethod, 'ship' | 'pickup' | 'curbside'> = {
  ship: 'ship',
  pickup: 'pickup',
  curbside: 'curbside',
};

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

function addMethodExclusions(
  out: Exclusion[],
  candidate: Candidate,
  context: FilterContext,
  fixed: FixedExclusions,
): void {
  const { method, order } = context;
  if (method !== 'ship' && candidate.id !== order.pickupLocationId) out.push(fixed.notPickupLocation);
  const needed = capabilityFor[method];
  if (!candidate.capabilities.includes(needed)) {
    const has = candidate.capabilities.length > 0 ? candidate.capabilities.join(', ') : 'none';
    out.push({ code: 'missing_capability', reason: `Cannot ${needed} (capabilities: ${has}).` });
  }
  if (
    method === 'ship' &&
    order.destination !== null &&
    (candidate.latitude === null || candidate.longitude === null)
  ) {
    out.push(fixed.noCoordinates);
  }
}

/**
 * Every filter that excludes `candidate`, each with its stable code and a reason an operator can
 * act on. Empty = eligible. `holdsOrderSku`: the location has stock of at least one ordered SKU.
 * Exclusions whose reason does not depend on the candidate are shared between candidates.
 */
export function exclusionsFor(candidate: Candidate, holdsOrderSku: boolean, context: FilterContext): Exclusion[] {
  const fixed = fixedFor(context);
  const out: Exclusion[] = [];
  if (!candidate.active) out.push(fixed.inactive);
  if (!candidate.inChannelGroup) out.push(fixed.notInGroup);
  if (context.excluded.has(candidate.id)) out.push(fixed.excluded);
  addMethodExclusions(out, candidate, context, fixed);
  const capacity = capacityExclusion(candidate);
  if (capacity !== null) out.push(capacity);
  const cutoff = cutoffExclusion(candidate, context);
  if (cutoff !== null) out.push(cutoff);
  if (!holdsOrderSku) out.push(fixed.noStock);
  return out;
}
