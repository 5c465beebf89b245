import { assignLines, createAssigner, type Assigner } from './assign.ts';
import { float64s, int32s, Slot } from './scratch.ts';
import {
  beats,
  locationColumns,
  mayShipFrom,
  type Budget,
  type ColumnProblem,
  type SearchOutcome,
  type SearchPlan,
  type SearchProblem,
} from './search-types.ts';

/**
 * The optimiser. Location sets are enumerated by increasing size (up to maxShipments, and up to
 * the number of lines plus the units of lines that must split); each set gets its best line
 * assignment (assign.ts). Single locations are tried in input order; for larger sets the
 * locations are first sorted by fixed score, cheapest first (skipped entirely when no pair can
 * beat the runner-up, the common case). Pruning:
 * - coverage: a bitmask per location of the lines it can fill alone; a set (or a partial set plus
 *   everything after it) that cannot fill every required line is skipped, and so is a partial set
 *   whose remaining picks, each filling at most as many lines as the best location left, cannot
 *   fill the lines still missing;
 * - bound: a set's objective is at least the sum of its locations' fixed scores (the rest —
 *   per-kilogram rate and balance — is never negative). Once the runner-up is known, sets whose
 *   bound cannot beat it are skipped; because locations are sorted by fixed score, the first such
 *   set ends its loop, and when no set of size k can beat it no larger size is tried either (with
 *   a dominant shipments weight, size k+1 never beats size k).
 * The runner-up (the best plan with a different set of locations) is exact because the bound is
 * the runner-up's, not the best's. Work is capped by maxNodes; past the cap a greedy cover is
 * completed and considered, and the outcome says the search was bounded.
 */

/** Lines tracked in coverage bitmasks (a subset of the lines still gives a valid, weaker test). */
const MASK_LINES = 30;
/** Work allowed for the greedy completion. */
const GREEDY_NODES = 5_000;

interface Enumeration {
  problem: ColumnProblem;
  assigner: Assigner;
  /** Location indices: input order for single locations, then by ascending fixed score (sortByFixed). */
  order: Int32Array;
  /** Fixed score, coverage mask, … per position of `order`. */
  fixed: Float64Array;
  /** prefix[i] = Σ fixed of the first i locations in `order` (once sorted). */
  prefix: Float64Array;
  fullMask: Int32Array;
  /** OR of fullMask from position i to the end. */
  suffixMask: Int32Array;
  /** Most required lines one location from position i on can fill alone. */
  suffixMostBits: Int32Array;
  required: number;
  /** No plan back-orders fewer units than this. */
  backorderFloor: number;
  chosen: number[];
  best: SearchPlan | null;
  runnerUp: SearchPlan | null;
  budget: Budget;
  setsEvaluated: number;
}

function bitCount(mask: number): number {
  let v = mask - ((mask >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

const sameSet = (a: SearchPlan, b: SearchPlan): boolean =>
  a.locations.length === b.locations.length && a.locations.every((location, i) => location === b.locations[i]);

// A plan is its own (backordered, total) limit: plans are never changed once recorded.
function consider(e: Enumeration, plan: SearchPlan): void {
  if (e.best === null) {
    e.best = plan;
  } else if (beats(plan.backordered, plan.total, e.best)) {
    if (!sameSet(plan, e.best)) e.runnerUp = e.best;
    e.best = plan;
  } else if (!sameSet(plan, e.best) && beats(plan.backordered, plan.total, e.runnerUp)) {
    e.runnerUp = plan;
  }
}

/** Coverage masks per location (input order) of the tracked lines: required, unsplit, the first MASK_LINES. */
function masks(problem: ColumnProblem, n: number): { fullMask: Int32Array; required: number } {
  const { lines, locations } = problem;
  const { skuCount } = locations;
  const tracked: number[] = [];
  for (let line = 0; line < lines.length && tracked.length < MASK_LINES; line++) {
    if (!lines[line]!.backorder && !lines[line]!.split) tracked.push(line);
  }
  const fullMask = int32s(Slot.Mask, n);
  for (let location = 0; location < n; location++) {
    let mask = 0;
    for (let bit = 0; bit < tracked.length; bit++) {
      const spec = lines[tracked[bit]!]!;
      if (mayShipFrom(spec, location) && locations.stock[location * skuCount + spec.sku]! >= spec.quantity)
        mask |= 1 << bit;
    }
    fullMask[location] = mask;
  }
  return { fullMask, required: tracked.length === 0 ? 0 : (1 << tracked.length) - 1 };
}

function backorderFloor(problem: ColumnProblem): number {
  const { count, skuCount, stock } = problem.locations;
  let floor = 0;
  for (const line of problem.lines) {
    if (!line.backorder) continue;
    let reach = 0;
    for (let location = 0; location < count; location++) {
      const available = mayShipFrom(line, location) ? stock[location * skuCount + line.sku]! : 0;
      reach = line.split ? reach + available : Math.max(reach, available);
    }
    floor += Math.max(0, line.quantity - reach);
  }
  return floor;
}

function prepare(problem: ColumnProblem, largest: number): Enumeration {
  const n = problem.locations.count;
  const order = int32s(Slot.Order, n);
  const fixed = float64s(Slot.Fixed, n);
  for (let i = 0; i < n; i++) {
    order[i] = i;
    fixed[i] = problem.locations.fixed[i]!;
  }
  const { fullMask, required } = masks(problem, n);
  return {
    problem,
    assigner: createAssigner(problem, largest),
    order,
    fixed,
    prefix: float64s(Slot.Prefix, 0),
    fullMask,
    suffixMask: int32s(Slot.SuffixMask, 0),
    suffixMostBits: int32s(Slot.SuffixMostBits, 0),
    required,
    backorderFloor: backorderFloor(problem),
    chosen: [],
    best: null,
    runnerUp: null,
    budget: { nodes: 0, max: problem.maxNodes, exhausted: false },
    setsEvaluated: 0,
  };
}

/**
 * Sorts `items` (location indices, ascending) by key[item], ties kept in index order: a stable
 * bottom-up merge sort with `spare` as the buffer (a comparator sort of a typed array costs a call
 * per comparison).
 */
function sortByKey(items: Int32Array, key: Float64Array, spare: Int32Array): void {
  const n = items.length;
  let from = items;
  let to = spare;
  for (let width = 1; width < n; width *= 2) {
    for (let start = 0; start < n; start += 2 * width) {
      const middle = Math.min(start + width, n);
      const end = Math.min(start + 2 * width, n);
      let left = start;
      let right = middle;
      let at = start;
      while (left < middle && right < end) {
        // Take from the right run only when strictly smaller: equal keys keep their order.
        to[at++] = key[from[right]!]! < key[from[left]!]! ? from[right++]! : from[left++]!;
      }
      while (left < middle) to[at++] = from[left++]!;
      while (right < end) to[at++] = from[right++]!;
    }
    const swap = from;
    from = to;
    to = swap;
  }
  if (from !== items) items.set(from);
}

/** Re-orders the locations by ascending fixed score (ties by index) for the enumeration of sets of 2 and more. */
function sortByFixed(e: Enumeration): void {
  const n = e.order.length;
  const byIndex = e.fixed;
  const masksByIndex = e.fullMask;
  const order = int32s(Slot.OrderSorted, n);
  order.set(e.order);
  sortByKey(order, byIndex, int32s(Slot.OrderMerge, n));
  e.order = order;
  e.fixed = float64s(Slot.FixedSorted, n);
  e.fullMask = int32s(Slot.MaskSorted, n);
  for (let i = 0; i < n; i++) {
    e.fixed[i] = byIndex[order[i]!]!;
    e.fullMask[i] = masksByIndex[order[i]!]!;
  }
  e.prefix = float64s(Slot.Prefix, n + 1);
  for (let i = 0; i < n; i++) e.prefix[i + 1] = e.prefix[i]! + e.fixed[i]!;
  e.suffixMask = int32s(Slot.SuffixMask, n + 1);
  e.suffixMostBits = int32s(Slot.SuffixMostBits, n + 1);
  for (let i = n - 1; i >= 0; i--) {
    e.suffixMask[i] = e.suffixMask[i + 1]! | e.fullMask[i]!;
    e.suffixMostBits[i] = Math.max(e.suffixMostBits[i + 1]!, bitCount(e.fullMask[i]!));
  }
}

/** The two smallest fixed scores added up, and whether any is negative (then larger sets can cost less). */
function cheapestPair(fixed: Float64Array): { sum: number; negative: boolean } {
  let first = Infinity;
  let second = Infinity;
  let negative = false;
  for (let i = 0; i < fixed.length; i++) {
    const value = fixed[i]!;
    if (value < 0) negative = true;
    if (value < first) {
      second = first;
      first = value;
    } else if (value < second) second = value;
  }
  return { sum: first + second, negative };
}

/** False when no set whose fixed scores add up to `bound` can beat the runner-up. */
function mayBeat(e: Enumeration, bound: number): boolean {
  return beats(e.backorderFloor, bound, e.runnerUp);
}

function evaluate(e: Enumeration): void {
  e.setsEvaluated += 1;
  const plan = assignLines(e.assigner, e.chosen, e.runnerUp, true, e.budget);
  if (plan !== null) consider(e, plan);
}

/** Chooses the remaining `need` locations from positions start… of `order`. */
function enumerate(e: Enumeration, start: number, need: number, mask: number, sum: number): void {
  const n = e.order.length;
  const missingBits = bitCount(e.required & ~mask);
  for (let position = start; position <= n - need; position++) {
    if (++e.budget.nodes > e.budget.max) {
      e.budget.exhausted = true;
      return;
    }
    // `need` more locations, none filling more than suffixMostBits required lines alone.
    if (need * e.suffixMostBits[position]! < missingBits) return;
    const withThis = sum + e.fixed[position]!;
    if (!mayBeat(e, withThis + e.prefix[position + need]! - e.prefix[position + 1]!)) return;
    const covered = mask | e.fullMask[position]!;
    e.chosen.push(e.order[position]!);
    if (need === 1) {
      if ((covered & e.required) === e.required) evaluate(e);
    } else {
      const missing = e.required & ~covered;
      if ((e.suffixMask[position + 1]! & missing) === missing) enumerate(e, position + 1, need - 1, covered, withThis);
    }
    e.chosen.pop();
    if (e.budget.exhausted) return;
  }
}

function largestSetSize(problem: ColumnProblem): number {
  let pieces = 0;
  for (const line of problem.lines) pieces += line.split ? line.quantity : 1;
  return Math.min(problem.maxShipments, problem.locations.count, pieces);
}

/** Greedy cover: repeatedly add the location that fills the most outstanding units. */
function greedyPlan(e: Enumeration, largest: number): SearchPlan | null {
  const { problem } = e;
  const remaining = problem.lines.map((line) => line.quantity);
  const fills = (position: number, line: number): number => {
    const spec = problem.lines[line]!;
    const location = e.order[position]!;
    const available = mayShipFrom(spec, location)
      ? problem.locations.stock[location * problem.locations.skuCount + spec.sku]!
      : 0;
    const rest = remaining[line]!;
    if (spec.split) return Math.min(rest, available);
    return available >= rest ? rest : spec.backorder ? Math.min(rest, available) : 0;
  };
  const picked: number[] = [];
  while (picked.length < largest && remaining.some((rest) => rest > 0)) {
    let bestPosition = -1;
    let bestGain = 0;
    for (let position = 0; position < e.order.length; position++) {
      if (picked.includes(position)) continue;
      let gain = 0;
      for (let line = 0; line < remaining.length; line++) gain += fills(position, line);
      if (gain > bestGain) [bestPosition, bestGain] = [position, gain];
    }
    if (bestPosition < 0) break;
    for (let line = 0; line < remaining.length; line++) remaining[line]! -= fills(bestPosition, line);
    picked.push(bestPosition);
  }
  const set = picked.sort((a, b) => a - b).map((position) => e.order[position]!);
  return assignLines(e.assigner, set, null, false, { nodes: 0, max: GREEDY_NODES, exhausted: false });
}

/** Sets of one location: every location that fills all required lines alone, in index order. */
function singles(e: Enumeration): void {
  for (let i = 0; i < e.order.length; i++) {
    if (++e.budget.nodes > e.budget.max) {
      e.budget.exhausted = true;
      return;
    }
    if ((e.fullMask[i]! & e.required) !== e.required || !mayBeat(e, e.fixed[i]!)) continue;
    e.chosen.push(e.order[i]!);
    evaluate(e);
    e.chosen.pop();
  }
}

/** Sets of 2 and more, by increasing size, cheapest fixed scores first. */
function larger(e: Enumeration, largest: number): void {
  const pair = cheapestPair(e.fixed);
  if (!pair.negative && !mayBeat(e, pair.sum)) return;
  sortByFixed(e);
  for (let size = 2; size <= largest && !e.budget.exhausted; size++) {
    if (!mayBeat(e, e.prefix[size]!)) {
      // With no negative fixed score, the cheapest set of every larger size costs more still.
      if (!pair.negative) break;
      continue;
    }
    enumerate(e, 0, size, 0, 0);
  }
}

export function search(problem: SearchProblem): SearchOutcome {
  return searchColumns({ ...problem, locations: locationColumns(problem.locations) });
}

/** search() on locations given as columns (what the planner builds). */
export function searchColumns(problem: ColumnProblem): SearchOutcome {
  const largest = largestSetSize(problem);
  const e = prepare(problem, largest);
  if (largest >= 1) singles(e);
  if (largest >= 2 && !e.budget.exhausted) larger(e, largest);
  let greedyFallback = false;
  if (e.budget.exhausted) {
    const greedy = greedyPlan(e, largest);
    if (greedy !== null) {
      greedyFallback = e.best === null || beats(greedy.backordered, greedy.total, e.best);
      consider(e, greedy);
    }
  }
  return {
    best: e.best,
    runnerUp: e.runnerUp,
    exhaustive: !e.budget.exhausted,
    greedyFallback,
    nodes: e.budget.nodes,
    setsEvaluated: e.setsEvaluated,
  };
}
