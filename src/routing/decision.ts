import { assessCandidates, type Assessment, type OrderSkus } from './assess.ts';
import { explainCandidates, rulesSummary, summarisePlan, summariseRunnerUp, type ExplainContext } from './explain.ts';
import { formatNumber } from './format.ts';
import type { Rates } from './rates.ts';
import type { PlanOutcome } from './result.ts';
import type { RoutingRules } from './rules.ts';
import type { LocalClock } from './sla.ts';
import type {
  Candidate,
  DeliveryMethod,
  FilterCode,
  OmittedLocations,
  PlanOrder,
  PlanResult,
  Rejection,
  SearchReport,
  Shortfall,
  StockSnapshot,
} from './types.ts';

/** One call of `plan`: its inputs and what is derived from them once. */
export interface Decision {
  order: PlanOrder;
  candidates: readonly Candidate[];
  stock: StockSnapshot;
  rules: RoutingRules;
  /** The order's rate table: what freight costs, in which currency. */
  rates: Rates;
  nowAt: (timeZone: string) => LocalClock;
  placedAt: (timeZone: string) => LocalClock;
  maxNodes: number;
  skus: OrderSkus;
  slaDays: number;
}

/** How a decision ends: the method planned, the candidates as assessed for it, notes, search work. */
export interface Ending {
  method: DeliveryMethod;
  assessment: Assessment;
  notes: string[];
  search: SearchReport;
}

export const noSearch = (): SearchReport => ({ exhaustive: true, nodes: 0, setsEvaluated: 0, greedyFallback: false });

export function assess(decision: Decision, method: DeliveryMethod): Assessment {
  return assessCandidates(decision.candidates, decision.stock, {
    order: decision.order,
    rules: decision.rules,
    rates: decision.rates,
    method,
    skus: decision.skus.skus,
    nowAt: decision.nowAt,
    placedAt: decision.placedAt,
  });
}

export function explainContext(decision: Decision, assessment: Assessment): ExplainContext {
  return {
    rules: decision.rules,
    rates: decision.rates,
    orderCurrency: decision.order.currency ?? null,
    channelId: decision.order.channelId,
    slaDays: decision.slaDays,
    lines: decision.order.lines,
    lineSku: decision.skus.lineSku,
    assessment,
    addressUnlocated: Boolean(decision.order.unlocatedAddress),
  };
}

/** "4 × no_stock, 1 × inactive" — why candidates dropped out (the omitted locations hold no stock). */
export function exclusionTally(assessment: Assessment, omitted = 0): string {
  const counts = new Map<FilterCode, number>();
  for (const exclusions of assessment.exclusions) {
    for (const { code } of exclusions) counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  if (omitted > 0) counts.set('no_stock', (counts.get('no_stock') ?? 0) + omitted);
  return [...counts].map(([code, count]) => `${count} × ${code}`).join(', ') || 'no candidates were given';
}

/** The summary of the locations left out of the candidates, when the caller counted them. */
function omittedSummary(order: PlanOrder): { omitted?: OmittedLocations } {
  const count = order.omittedLocations;
  if (count === undefined) return {};
  const summary =
    count === 0
      ? 'Every location of the group holds some of these SKUs'
      : count === 1
        ? '1 location of the group holds none of these SKUs'
        : `${formatNumber(count)} locations of the group hold none of these SKUs`;
  return { omitted: { count, summary } };
}

export function rejected(
  decision: Decision,
  ending: Ending,
  rejection: Rejection,
  shortfalls: Shortfall[],
): PlanResult {
  const context = explainContext(decision, ending.assessment);
  return {
    status: 'rejected',
    deliveryMethod: ending.method,
    allocations: [],
    backorders: [],
    shortfalls,
    shipments: [],
    objective: null,
    rejection,
    currency: decision.rates.currency,
    explanation: {
      summary: `Rejected (${rejection.code}): ${rejection.message}`,
      rulesSummary: rulesSummary(context),
      requestedDeliveryMethod: decision.order.deliveryMethod,
      plannedDeliveryMethod: ending.method,
      candidates: explainCandidates(context, [], []),
      chosen: null,
      runnerUp: null,
      notes: ending.notes,
      search: ending.search,
      ...omittedSummary(decision.order),
    },
  };
}

export function allocated(
  decision: Decision,
  ending: Ending,
  chosen: PlanOutcome,
  runnerUp: PlanOutcome | null,
): PlanResult {
  const context = explainContext(decision, ending.assessment);
  const chosenSummary = summarisePlan(chosen, context);
  const runnerUpSummary =
    runnerUp === null ? null : summariseRunnerUp(chosenSummary, summarisePlan(runnerUp, context), context);
  const verb = chosen.backorders.length > 0 ? 'Partially allocated' : 'Allocated';
  const versus =
    runnerUpSummary === null
      ? ' No other plan was possible.'
      : ` Runner-up: ${runnerUpSummary.description}. ${runnerUpSummary.whyNotChosen}`;
  return {
    status: chosen.backorders.length > 0 ? 'partially_allocated' : 'allocated',
    deliveryMethod: ending.method,
    allocations: chosen.allocations,
    backorders: chosen.backorders,
    shortfalls: [],
    shipments: chosen.shipments,
    objective: chosen.objective,
    rejection: null,
    currency: decision.rates.currency,
    explanation: {
      summary: `${verb} — ${chosenSummary.description}.${versus}`,
      rulesSummary: rulesSummary(context),
      requestedDeliveryMethod: decision.order.deliveryMethod,
      plannedDeliveryMethod: ending.method,
      candidates: explainCandidates(context, chosen.locationIds, runnerUp?.locationIds ?? []),
      chosen: chosenSummary,
      runnerUp: runnerUpSummary,
      notes: ending.notes,
      search: ending.search,
      ...omittedSummary(decision.order),
    },
  };
}
