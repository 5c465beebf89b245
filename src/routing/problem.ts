import type { Assessment } from './assess.ts';
import type { RoutingRules } from './rules.ts';
import type { SearchLine, SearchProblem } from './search-types.ts';
import type { PlanLine } from './types.ts';

/** Lines that may stay partly unallocated: back-orderable SKUs, unless the rules demand ship-complete. */
export const backorderable = (line: PlanLine, rules: RoutingRules): boolean =>
  line.allowBackorder && !rules.shipComplete;

/** A line may split only when no single eligible location can fill it. */
export function splitLines(lines: readonly PlanLine[], lineSku: readonly number[], eligible: readonly Assessment[]) {
  return lines.map((line, index) => {
    const sku = lineSku[index]!;
    return !eligible.some((assessment) => assessment.available[sku]! >= line.quantity);
  });
}

export interface ProblemInput {
  lines: readonly PlanLine[];
  lineSku: readonly number[];
  /** Eligible candidates holding at least one ordered SKU. */
  eligible: readonly Assessment[];
  rules: RoutingRules;
  maxNodes: number;
}

/** The optimiser's view of the order: numbers and indices only. */
export function buildProblem(input: ProblemInput): SearchProblem {
  const { lines, lineSku, eligible, rules } = input;
  const split = splitLines(lines, lineSku, eligible);
  const perSku = new Map<number, number>();
  for (const sku of lineSku) perSku.set(sku, (perSku.get(sku) ?? 0) + 1);
  const searchLines: SearchLine[] = lines.map((line, index) => ({
    quantity: line.quantity,
    weightGrams: line.weightGrams,
    sku: lineSku[index]!,
    backorder: backorderable(line, rules),
    split: split[index]!,
    sharedSku: perSku.get(lineSku[index]!)! > 1,
  }));
  const { weights } = rules;
  const locations = eligible.map(({ facts, available }) => ({
    fixed: facts.fixedScore,
    perKgWeighted: weights.cost * facts.rate.perKgMinor,
    stock: available,
    balancePerUnit: available.map((units) => (units > 0 ? weights.balance / units : 0)),
  }));
  return {
    lines: searchLines,
    locations,
    maxShipments: rules.maxShipments ?? eligible.length,
    maxNodes: input.maxNodes,
  };
}
