import { availableAt, type Assessment } from './assess.ts';
import type { RoutingRules } from './rules.ts';
import { float64s, Slot } from './scratch.ts';
import { NOWHERE, type ColumnProblem, type SearchLine } from './search-types.ts';
import type { PlanLine } from './types.ts';

/** Lines that may stay partly unallocated: back-orderable SKUs, unless the rules demand ship-complete. */
export const backorderable = (line: PlanLine, rules: RoutingRules): boolean =>
  line.allowBackorder && !rules.shipComplete;

/**
 * A line may split only when no single eligible location can fill it; a line the order names a
 * location for never splits (it has one location).
 */
function splitLines(
  lines: readonly PlanLine[],
  lineSku: readonly number[],
  assessment: Assessment,
  eligible: readonly number[],
): boolean[] {
  return lines.map((line, index) => {
    if (line.shipFromLocationId) return false;
    const sku = lineSku[index]!;
    for (const candidate of eligible) if (availableAt(assessment, candidate, sku) >= line.quantity) return false;
    return true;
  });
}

/**
 * Per line, the problem's index of the location the order names for it (`NOWHERE` when that
 * location is not eligible); undefined for a line that may ship from anywhere.
 */
function namedLocations(
  lines: readonly PlanLine[],
  assessment: Assessment,
  eligible: readonly number[],
): (number | undefined)[] {
  if (!lines.some((line) => line.shipFromLocationId)) return [];
  const index = new Map(eligible.map((candidate, j) => [assessment.candidates[candidate]!.id, j]));
  return lines.map((line) => (line.shipFromLocationId ? (index.get(line.shipFromLocationId) ?? NOWHERE) : undefined));
}

interface ProblemInput {
  lines: readonly PlanLine[];
  lineSku: readonly number[];
  assessment: Assessment;
  /** Indices of the eligible candidates (each holds at least one ordered SKU): the problem's locations, in order. */
  eligible: readonly number[];
  rules: RoutingRules;
  maxNodes: number;
}

/**
 * The optimiser's view of the order: numbers and indices only. Its location columns are the
 * shared scratch arrays (scratch.ts): the problem is good until the next decision builds one.
 */
export function buildProblem(input: ProblemInput): ColumnProblem {
  const { lines, lineSku, assessment, eligible, rules } = input;
  const split = splitLines(lines, lineSku, assessment, eligible);
  const perSku = new Map<number, number>();
  for (const sku of lineSku) perSku.set(sku, (perSku.get(sku) ?? 0) + 1);
  const at = namedLocations(lines, assessment, eligible);
  const searchLines: SearchLine[] = lines.map((line, index) => ({
    quantity: line.quantity,
    weightGrams: line.weightGrams,
    sku: lineSku[index]!,
    backorder: backorderable(line, rules),
    split: split[index]!,
    sharedSku: perSku.get(lineSku[index]!)! > 1,
    ...(at[index] === undefined ? {} : { at: at[index] }),
  }));
  const { weights } = rules;
  const { skuCount } = assessment;
  const count = eligible.length;
  const fixed = float64s(Slot.LocationFixed, count);
  const perKgWeighted = float64s(Slot.LocationPerKg, count);
  const stock = float64s(Slot.LocationStock, count * skuCount);
  const balancePerUnit = float64s(Slot.LocationBalance, count * skuCount);
  for (let j = 0; j < count; j++) {
    const candidate = eligible[j]!;
    fixed[j] = assessment.fixedScore[candidate]!;
    perKgWeighted[j] = weights.cost * assessment.rate[candidate]!.perKgMinor;
    for (let sku = 0; sku < skuCount; sku++) {
      const units = availableAt(assessment, candidate, sku);
      stock[j * skuCount + sku] = units;
      balancePerUnit[j * skuCount + sku] = units > 0 ? weights.balance / units : 0;
    }
  }
  return {
    lines: searchLines,
    locations: { count, skuCount, fixed, perKgWeighted, stock, balancePerUnit },
    maxShipments: rules.maxShipments ?? count,
    maxNodes: input.maxNodes,
  };
}
