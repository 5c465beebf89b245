import { exclusionFilter, ruleExclusions } from './filters.ts';
import {
  factsAt,
  factsColumns,
  measureLocation,
  type FactsColumns,
  type FactsContext,
  type LocationFacts,
} from './objectives.ts';
import type { Rates } from './rates.ts';
import type { RoutingRules } from './rules.ts';
import { float64s, Slot } from './scratch.ts';
import { promiseReader, slaDaysFor, type LocalClock } from './sla.ts';
import type { Candidate, DeliveryMethod, Exclusion, PlanOrder, StockSnapshot } from './types.ts';

/**
 * Every candidate of one decision as the planner sees it — its stock of the order's SKUs, what
 * excludes it, its facts — column by column, index = the candidate's position in the input. A
 * decision looks at hundreds of candidates and uses a handful: columns of numbers and shared
 * references cost a fraction of an object per candidate, and the explanation is built from them once.
 * The numeric columns are scratch arrays (scratch.ts), one set per delivery method: an assessment
 * is good until the next decision assesses for the same method, so none outlives its `plan` call.
 */
export interface Assessment extends FactsColumns {
  candidates: readonly Candidate[];
  skuCount: number;
  /** available[candidate × skuCount + sku]: units of the order's SKU index `sku` (≥ 0). */
  available: Float64Array;
  /** Every filter that excludes each candidate; empty = eligible. */
  exclusions: Exclusion[][];
}

export const isEligible = (assessment: Assessment, index: number): boolean =>
  assessment.exclusions[index]!.length === 0;

export const availableAt = (assessment: Assessment, index: number, sku: number): number =>
  assessment.available[index * assessment.skuCount + sku]!;

/** The eligible candidates' indices, in input order. */
export function eligibleIndices(assessment: Assessment): number[] {
  const { exclusions } = assessment;
  let count = 0;
  for (let i = 0; i < exclusions.length; i++) if (exclusions[i]!.length === 0) count += 1;
  const indices = new Array<number>(count);
  for (let i = 0, at = 0; at < count; i++) if (exclusions[i]!.length === 0) indices[at++] = i;
  return indices;
}

/** The index of the candidate with this id, or -1. */
export function indexOfCandidate(assessment: Assessment, locationId: string | null | undefined): number {
  const { candidates } = assessment;
  for (let i = 0; i < candidates.length; i++) if (candidates[i]!.id === locationId) return i;
  return -1;
}

export const factsOf = (assessment: Assessment, index: number): LocationFacts =>
  factsAt(assessment, index, assessment.candidates[index]!);

/** The order's distinct SKUs, and the SKU index of each line. */
export interface OrderSkus {
  skus: string[];
  lineSku: number[];
}

export function orderSkus(order: PlanOrder): OrderSkus {
  const index = new Map<string, number>();
  const lineSku = order.lines.map((line) => {
    let sku = index.get(line.sku);
    if (sku === undefined) {
      sku = index.size;
      index.set(line.sku, sku);
    }
    return sku;
  });
  return { skus: [...index.keys()], lineSku };
}

interface AssessContext {
  order: PlanOrder;
  rules: RoutingRules;
  rates: Rates;
  method: DeliveryMethod;
  skus: readonly string[];
  nowAt: (timeZone: string) => LocalClock;
  placedAt: (timeZone: string) => LocalClock;
}

/** Reads stock, applies every filter and computes the facts of each candidate (in the given order). */
export function assessCandidates(
  candidates: readonly Candidate[],
  stock: StockSnapshot,
  context: AssessContext,
): Assessment {
  const exclude = exclusionFilter({
    order: context.order,
    rules: context.rules,
    method: context.method,
    excluded: new Set(context.order.excludedLocationIds),
    ruleExcluded: ruleExclusions(context.rules),
    clockAt: context.nowAt,
  });
  const slaDays = slaDaysFor(context.rules, context.order.channelId);
  const factsContext: FactsContext = {
    rules: context.rules,
    rates: context.rates,
    method: context.method,
    destination: context.order.destination,
    slaDays,
    nowAt: context.nowAt,
    placedAt: context.placedAt,
    promiseAt: promiseReader(context.nowAt, context.placedAt, slaDays),
  };
  const { skus } = context;
  const skuCount = skus.length;
  const n = candidates.length;
  const shipping = context.method === 'ship';
  const assessment: Assessment = {
    candidates,
    skuCount,
    available: float64s(shipping ? Slot.AvailableShip : Slot.AvailableInStore, n * skuCount),
    exclusions: new Array<Exclusion[]>(n),
    ...factsColumns(n, {
      km: float64s(shipping ? Slot.KmShip : Slot.KmInStore, n),
      fixedScore: float64s(shipping ? Slot.FixedScoreShip : Slot.FixedScoreInStore, n),
    }),
  };
  const { available } = assessment;
  for (let i = 0; i < n; i++) {
    const candidate = candidates[i]!;
    // Missing, negative or non-finite stock counts as none.
    const row = stock.get(candidate.id);
    let holdsOrderSku = false;
    for (let sku = 0; sku < skuCount; sku++) {
      const units = row === undefined ? undefined : row.get(skus[sku]!);
      const usable = units !== undefined && units > 0 && Number.isFinite(units) ? Math.floor(units) : 0;
      available[i * skuCount + sku] = usable;
      if (usable > 0) holdsOrderSku = true;
    }
    assessment.exclusions[i] = exclude(candidate, holdsOrderSku);
    measureLocation(candidate, factsContext, assessment, i);
  }
  return assessment;
}
