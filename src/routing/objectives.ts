import { haversineKmBetween } from './geo.ts';
import { bandFor, shipmentCostMinor, type Rates } from './rates.ts';
import type { RoutingRules, ZoneRate } from './rules.ts';
import { promiseDelivery, type DeliveryPromise, type LocalClock } from './sla.ts';
import {
  criterionNames,
  type Candidate,
  type Coordinates,
  type Criteria,
  type DeliveryMethod,
  type Objective,
} from './types.ts';

/**
 * What a location costs the plan merely by shipping (distance, zone, promise, priority): it does
 * not depend on which lines it ships. Only the per-kilogram rate and balance do.
 */
export interface LocationFacts {
  /** Null when there is no destination to measure to (counts as 0 km) or no coordinates. */
  distanceKm: number | null;
  /** Carrier zone; null for pickup and curbside, which use no carrier. */
  zone: string | null;
  rate: ZoneRate;
  promise: DeliveryPromise;
  priority: number;
  /** weights · (1 shipment, km, days late, base rate, −priority): a lower bound of this location's share of any plan. */
  fixedScore: number;
}

export interface FactsContext {
  rules: RoutingRules;
  /** The order's rate table (ratesFor): zones, rates and transit days. */
  rates: Rates;
  method: DeliveryMethod;
  destination: Coordinates | null;
  slaDays: number;
  /** The decision time and the placement time, each read in a given time zone. */
  nowAt: (timeZone: string) => LocalClock;
  placedAt: (timeZone: string) => LocalClock;
  /**
   * Optional: the decision's promise for a time zone, cut-off and transit time (see promiseReader),
   * so candidates that share all three share one promise object instead of building their own.
   */
  promiseAt?: (timeZone: string, cutoffTime: string | null, transitDays: number) => DeliveryPromise;
}

const NO_CARRIER: ZoneRate = { baseMinor: 0, perKgMinor: 0 };

/**
 * The facts of every candidate of one decision, column by column (index = the candidate's
 * position): plain arrays of numbers and shared references, no object per candidate.
 */
export interface FactsColumns {
  /** The distance in km, or 0 when there is none to measure (then `measured` is false). */
  km: Float64Array;
  /** false: no destination or no coordinates, so LocationFacts.distanceKm is null. */
  measured: boolean[];
  zone: (string | null)[];
  rate: ZoneRate[];
  promise: DeliveryPromise[];
  fixedScore: Float64Array;
}

/** Columns for `length` candidates; `numbers` may supply the numeric ones (the planner's scratch arrays). */
export function factsColumns(
  length: number,
  numbers: { km: Float64Array; fixedScore: Float64Array } = {
    km: new Float64Array(length),
    fixedScore: new Float64Array(length),
  },
): FactsColumns {
  return {
    km: numbers.km,
    measured: new Array<boolean>(length),
    zone: new Array<string | null>(length),
    rate: new Array<ZoneRate>(length),
    promise: new Array<DeliveryPromise>(length),
    fixedScore: numbers.fixedScore,
  };
}

/** Computes the facts of `candidate` into row `row` of `columns`. */
export function measureLocation(candidate: Candidate, context: FactsContext, columns: FactsColumns, row: number): void {
  const { rules, rates, method, destination } = context;
  const shipping = method === 'ship';
  const measured = !shipping || (destination !== null && candidate.latitude !== null && candidate.longitude !== null);
  const km =
    shipping && measured
      ? haversineKmBetween(candidate.latitude!, candidate.longitude!, destination!.latitude, destination!.longitude)
      : 0;
  let zone: string | null = null;
  let rate = NO_CARRIER;
  let transitDays = 0;
  if (shipping) {
    zone = bandFor(rates.bands, km).zone;
    const zoneRate = rates.zones[zone];
    if (zoneRate === undefined) throw new Error(`zone "${zone}" has no rate (validateRules)`);
    rate = zoneRate;
    transitDays = bandFor(rates.transitDays, km).days;
  }
  const promise =
    context.promiseAt === undefined
      ? promiseDelivery({
          now: context.nowAt(candidate.timezone),
          placed: context.placedAt(candidate.timezone),
          cutoffTime: candidate.cutoffTime,
          transitDays,
          slaDays: context.slaDays,
        })
      : context.promiseAt(candidate.timezone, candidate.cutoffTime, transitDays);
  const w = rules.weights;
  columns.km[row] = km;
  columns.measured[row] = measured;
  columns.zone[row] = zone;
  columns.rate[row] = rate;
  columns.promise[row] = promise;
  columns.fixedScore[row] =
    w.shipments +
    w.distance * km +
    w.sla * promise.daysLate +
    w.cost * rate.baseMinor -
    w.priority * candidate.priority;
}

/** Row `row` of `columns` as one object (for the few locations a plan uses). */
export function factsAt(columns: FactsColumns, row: number, candidate: Candidate): LocationFacts {
  return {
    distanceKm: columns.measured[row]! ? columns.km[row]! : null,
    zone: columns.zone[row]!,
    rate: columns.rate[row]!,
    promise: columns.promise[row]!,
    priority: candidate.priority,
    fixedScore: columns.fixedScore[row]!,
  };
}

/** The per-location facts behind every criterion but balance and the weight-dependent rate. */
export function locationFacts(candidate: Candidate, context: FactsContext): LocationFacts {
  const columns = factsColumns(1);
  measureLocation(candidate, context, columns, 0);
  return factsAt(columns, 0, candidate);
}

/** One shipment of a plan, as the objective sees it. */
export interface ScoredShipment {
  facts: LocationFacts;
  weightGrams: number;
  /** Σ quantity ÷ available over the shipment's allocations. */
  balance: number;
}

function emptyCriteria(): Criteria {
  return { shipments: 0, distance: 0, cost: 0, sla: 0, balance: 0, priority: 0 };
}

/** The raw criteria of a plan. */
export function planCriteria(shipments: readonly ScoredShipment[]): Criteria {
  const criteria = emptyCriteria();
  let priority = 0;
  for (const shipment of shipments) {
    criteria.shipments += 1;
    criteria.distance += shipment.facts.distanceKm ?? 0;
    criteria.cost += shipmentCostMinor(shipment.facts.rate, shipment.weightGrams);
    criteria.sla += shipment.facts.promise.daysLate;
    criteria.balance += shipment.balance;
    priority += shipment.facts.priority;
  }
  criteria.priority = 0 - priority;
  return criteria;
}

/** total = Σ weight × criterion; `weighted` shows each term. */
export function weigh(criteria: Criteria, weights: RoutingRules['weights']): Objective {
  const weighted = emptyCriteria();
  let total = 0;
  for (const name of criterionNames) {
    weighted[name] = weights[name] * criteria[name];
    total += weighted[name];
  }
  return { total, criteria, weighted };
}

export const scorePlan = (shipments: readonly ScoredShipment[], weights: RoutingRules['weights']): Objective =>
  weigh(planCriteria(shipments), weights);
