import { availableAt, eligibleIndices, type Assessment } from './assess.ts';
import {
  allocated,
  assess,
  exclusionTally,
  explainContext,
  noSearch,
  rejected,
  type Decision,
  type Ending,
} from './decision.ts';
import { outcomeNotes } from './explain.ts';
import { formatNumber } from './format.ts';
import { backorderable, buildProblem } from './problem.ts';
import { planOutcome, type OutcomeContext } from './result.ts';
import { searchColumns } from './search.ts';
import { shipFromNotes, shipFromShortfalls } from './ship-from.ts';
import type { DeliveryMethod, PlanResult, Rejection, Shortfall } from './types.ts';

/** Required lines (not back-orderable) whose SKU the eligible locations do not hold enough of, all together. */
function stockShortfalls(decision: Decision, assessment: Assessment, eligible: readonly number[]): Shortfall[] {
  const { lines } = decision.order;
  const { lineSku } = decision.skus;
  const demand = new Map<number, number>();
  lines.forEach((line, index) => {
    if (backorderable(line, decision.rules)) return;
    demand.set(lineSku[index]!, (demand.get(lineSku[index]!) ?? 0) + line.quantity);
  });
  const shortfalls: Shortfall[] = [];
  lines.forEach((line, index) => {
    const sku = lineSku[index]!;
    if (backorderable(line, decision.rules)) return;
    let available = 0;
    for (const candidate of eligible) available += availableAt(assessment, candidate, sku);
    if (demand.get(sku)! > available) {
      shortfalls.push({ lineId: line.lineId, sku: line.sku, requested: line.quantity, available });
    }
  });
  return shortfalls;
}

/** The shortfalls of the lines with a named location replace what the other locations could give them. */
function withNamed(shortfalls: Shortfall[], named: Shortfall[]): Shortfall[] {
  if (named.length === 0) return shortfalls;
  const namedLines = new Set(named.map((s) => s.lineId));
  return [...shortfalls.filter((s) => !namedLines.has(s.lineId)), ...named];
}

function shortfallMessage(decision: Decision, shortfalls: readonly Shortfall[]): string {
  const from = (lineId: string) => {
    const named = decision.order.lines.find((l) => l.lineId === lineId)?.shipFromLocationId;
    return named ? ` at ${named}, the location the order names` : '';
  };
  const each = shortfalls.map(
    (s) => `${s.lineId} (${s.sku}) needs ${s.requested}, ${s.available} available${from(s.lineId)}`,
  );
  const strict = decision.rules.shipComplete ? ' Ship-complete is on, so nothing may be back-ordered.' : '';
  return `Not enough stock at the eligible locations: ${each.join('; ')}.${strict}`;
}

function noPlanMessage(decision: Decision, exhaustive: boolean): string {
  const limit = decision.rules.maxShipments;
  if (!exhaustive) return 'No plan was found within the search bound.';
  if (limit !== null)
    return `No combination of at most ${limit} location${limit === 1 ? '' : 's'} can fill every line.`;
  return 'No combination of eligible locations can fill every line (lines ordering the same SKU compete for its stock).';
}

/**
 * Plans a ship order: filters, then the optimiser over the eligible locations that hold any
 * ordered SKU. `notes` may already say why (a pickup falling back to shipping).
 */
export function planShipping(decision: Decision, notes: string[]): PlanResult {
  const method: DeliveryMethod = 'ship';
  const assessment = assess(decision, method);
  const ending: Ending = { method, assessment, notes, search: noSearch() };
  if (decision.order.destination === null) {
    const unlocated = decision.order.unlocatedAddress;
    notes.push(
      `${unlocated ? `The delivery address (${unlocated}) could not be located` : 'The order has no delivery address'}: ` +
        'distance counts as 0 km, with the first band’s zone and transit days.',
    );
  }
  const eligible = eligibleIndices(assessment);
  const shortfalls = withNamed(
    stockShortfalls(decision, assessment, eligible),
    shipFromShortfalls(decision, assessment),
  );
  if (shortfalls.length > 0) {
    const noneEligible = eligible.length === 0;
    const message = noneEligible
      ? `No candidate location is eligible (${exclusionTally(assessment, decision.order.omittedLocations)}).`
      : shortfallMessage(decision, shortfalls);
    notes.push(...shipFromNotes(decision, assessment, []));
    return rejected(
      decision,
      ending,
      { code: noneEligible ? 'no_eligible_location' : 'insufficient_stock', message },
      shortfalls,
    );
  }
  const { lines } = decision.order;
  const { lineSku } = decision.skus;
  const outcome = searchColumns(
    buildProblem({ lines, lineSku, assessment, eligible, rules: decision.rules, maxNodes: decision.maxNodes }),
  );
  ending.search = {
    exhaustive: outcome.exhaustive,
    nodes: outcome.nodes,
    setsEvaluated: outcome.setsEvaluated,
    greedyFallback: outcome.greedyFallback,
  };
  if (!outcome.exhaustive) {
    notes.push(
      `The search was bounded at ${formatNumber(decision.maxNodes)} steps: this is the best plan found` +
        `${outcome.greedyFallback ? ' (completed greedily)' : ''}, not proven optimal.`,
    );
  }
  const context: OutcomeContext = {
    lines,
    lineSku,
    assessment,
    locations: eligible,
    method,
    weights: decision.rules.weights,
  };
  const required = lines.some((line) => !backorderable(line, decision.rules));
  if (outcome.best === null && required) {
    const limit = decision.rules.maxShipments;
    const message = noPlanMessage(decision, outcome.exhaustive);
    const rejection: Rejection =
      outcome.exhaustive && limit !== null
        ? { code: 'max_shipments_exceeded', message, maxShipments: limit }
        : { code: 'no_feasible_plan', message };
    notes.push(...shipFromNotes(decision, assessment, []));
    return rejected(decision, ending, rejection, []);
  }
  if (outcome.best === null) notes.push('No eligible location holds any ordered SKU: every line is back-ordered.');
  const best = outcome.best ?? { backordered: 0, total: 0, locations: [], cells: [] };
  const chosen = planOutcome(best, context);
  const runnerUp = outcome.runnerUp === null ? null : planOutcome(outcome.runnerUp, context);
  notes.push(...shipFromNotes(decision, assessment, chosen.allocations));
  notes.push(...outcomeNotes(chosen, explainContext(decision, assessment)));
  return allocated(decision, ending, chosen, runnerUp);
}
