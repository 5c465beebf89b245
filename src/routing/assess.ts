import { exclusionsFor } from './filters.ts';
import { locationFacts, type LocationFacts } from './objectives.ts';
import type { RoutingRules } from './rules.ts';
import { slaDaysFor, type LocalClock } from './sla.ts';
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

function availableAt(stock: StockSnapshot, locationId: string, skus: readonly string[]): number[] {
  const row = stock.get(locationId);
  const available = new Array<number>(skus.length).fill(0);
  if (row === undefined) return available;
  for (let i = 0; i < skus.length; i++) {
    const units = row.get(skus[i]!);
    if (units !== undefined && units > 0 && Number.isFinite(units)) available[i] = Math.floor(units);
  }
  return available;
}

/** Reads stock, applies every filter and computes the facts of each candidate (in the given order). */
export function assessCandidates(
  candidates: readonly Candidate[],
  stock: StockSnapshot,
  context: AssessContext,
): Assessment[] {
  const filterContext = {
    order: context.order,
    rules: context.rules,
    method: context.method,
    excluded: new Set(context.order.excludedLocationIds),
    clockAt: context.nowAt,
  };
  const factsContext = {
    rules: context.rules,
    method: context.method,
    destination: context.order.destination,
    slaDays: slaDaysFor(context.rules, context.order.channelId),
    nowAt: context.nowAt,
    placedAt: context.placedAt,
  };
  return candidates.map((candidate) => {
    const available = availableAt(stock, candidate.id, context.skus);
    const holdsOrderSku = available.some((units) => units > 0);
    return {
      candidate,
      available,
      exclusions: exclusionsFor(candidate, holdsOrderSku, filterContext),
      facts: locationFacts(candidate, factsContext),
    };
  });
}
