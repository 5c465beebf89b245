import { exclusionFilter } from './filters.ts';
import { locationFacts, type FactsContext, type LocationFacts } from './objectives.ts';
import type { RoutingRules } from './rules.ts';
import { promiseReader, slaDaysFor, type LocalClock } from './sla.ts';
import type { Candidate, DeliveryMethod, Exclusion, PlanOrder, StockSnapshot } from './types.ts';

/** One candidate as the planner sees it: its stock of the order's SKUs, what excludes it, its facts. */
export interface Assessment {
  candidate: Candidate;
  /** Available units per SKU index of the order (≥ 0). */
  available: number[];
  exclusions: Exclusion[];
  facts: LocationFacts;
}

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

export interface AssessContext {
  order: PlanOrder;
  rules: RoutingRules;
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
): Assessment[] {
  const exclude = exclusionFilter({
    order: context.order,
    rules: context.rules,
    method: context.method,
    excluded: new Set(context.order.excludedLocationIds),
    clockAt: context.nowAt,
  });
  const slaDays = slaDaysFor(context.rules, context.order.channelId);
  const factsContext: FactsContext = {
    rules: context.rules,
    method: context.method,
    destination: context.order.destination,
    slaDays,
    nowAt: context.nowAt,
    placedAt: context.placedAt,
    promiseAt: promiseReader(context.nowAt, context.placedAt, slaDays),
  };
  const { skus } = context;
  const skuCount = skus.length;
  const assessments = new Array<Assessment>(candidates.length);
  for (let i = 0; i < candidates.length; i++) {
    const candidate = candidates[i]!;
    // Available units per SKU of the order: missing, negative or non-finite entries count as none.
    const row = stock.get(candidate.id);
    const available = new Array<number>(skuCount);
    let holdsOrderSku = false;
    for (let sku = 0; sku < skuCount; sku++) {
      const units = row === undefined ? undefined : row.get(skus[sku]!);
      const usable = units !== undefined && units > 0 && Number.isFinite(units) ? Math.floor(units) : 0;
      available[sku] = usable;
      if (usable > 0) holdsOrderSku = true;
    }
    assessments[i] = {
      candidate,
      available,
      exclusions: exclude(candidate, holdsOrderSku),
      facts: locationFacts(candidate, factsContext),
    };
  }
  return assessments;
}
