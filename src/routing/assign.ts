import { float64s, int32s, Slot } from './scratch.ts';
import { beats, mayShipFrom, type Budget, type ColumnProblem, type Limit, type SearchPlan } from './search-types.ts';

/**
 * The best assignment of the order's lines to one set of locations: a depth-first search over
 * lines (and, for a line that may split, over quantities per location), pruned by a lower bound.
 * Exact unless the budget runs out.
 */

interface State {
  problem: ColumnProblem;
  set: readonly number[];
  k: number;
  skuCount: number;
  /** Remaining stock per slot × SKU. */
  stock: Float64Array;
  /** Per SKU: units of lines not yet decided, and units left in the set. Any excess must be back-ordered. */
  demand: Float64Array;
  supply: Float64Array;
  /** Per SKU: units of undecided lines that may not be back-ordered. More than `supply` = infeasible. */
  required: Float64Array;
  weight: Float64Array;
  used: Int32Array;
  unused: number;
  /** quantity per line × slot. */
  quantity: Int32Array;
  fixed: number;
  variable: number;
  backordered: number;
  /** Lower bound of back-ordered units of lines i… (index i). */
  backorderRest: Float64Array;
  /** Most slots lines i… can still touch (index i). */
  touchRest: Float64Array;
  requireAll: boolean;
  limit: Limit | null;
  best: SearchPlan | null;
  budget: Budget;
}

const KG = 1000;

function place(state: State, line: number, slot: number, quantity: number): void {
  const spec = state.problem.lines[line]!;
  const { locations } = state.problem;
  const location = state.set[slot]!;
  state.stock[slot * state.skuCount + spec.sku]! -= quantity;
  state.demand[spec.sku]! -= quantity;
  state.supply[spec.sku]! -= quantity;
  if (!spec.backorder) state.required[spec.sku]! -= quantity;
  const before = state.weight[slot]!;
  const after = before + quantity * spec.weightGrams;
  state.weight[slot] = after;
  state.variable +=
    locations.perKgWeighted[location]! * (Math.ceil(after / KG) - Math.ceil(before / KG)) +
    quantity * locations.balancePerUnit[location * state.skuCount + spec.sku]!;
  state.quantity[line * state.k + slot]! += quantity;
  if (state.used[slot]!++ === 0) state.unused -= 1;
}

function unplace(state: State, line: number, slot: number, quantity: number, variable: number, weight: number): void {
  const spec = state.problem.lines[line]!;
  state.stock[slot * state.skuCount + spec.sku]! += quantity;
  state.demand[spec.sku]! += quantity;
  state.supply[spec.sku]! += quantity;
  if (!spec.backorder) state.required[spec.sku]! += quantity;
  state.weight[slot] = weight;
  state.variable = variable;
  state.quantity[line * state.k + slot]! -= quantity;
  if (--state.used[slot]! === 0) state.unused += 1;
}

function record(state: State): void {
  const total = state.fixed + state.variable;
  const cells: SearchPlan['cells'] = [];
  const locations: number[] = [];
  for (let slot = 0; slot < state.k; slot++) {
    if (state.used[slot]! > 0) locations.push(state.set[slot]!);
  }
  for (let line = 0; line < state.problem.lines.length; line++) {
    for (let slot = 0; slot < state.k; slot++) {
      const quantity = state.quantity[line * state.k + slot]!;
      if (quantity > 0) cells.push({ location: state.set[slot]!, line, quantity });
    }
  }
  locations.sort((a, b) => a - b);
  state.best = { backordered: state.backordered, total, locations, cells };
  state.limit = state.best;
}

/** Leaves `units` of a line unallocated (negative `units` undoes it). */
function backorder(state: State, sku: number, units: number): void {
  state.backordered += units;
  state.demand[sku]! -= units;
}

/**
 * Units that must still be back-ordered: demand beyond the set's remaining stock, per SKU;
 * Infinity when the lines that may not be back-ordered alone need more than is left.
 */
function excessDemand(state: State): number {
  let excess = 0;
  for (let sku = 0; sku < state.skuCount; sku++) {
    const supply = state.supply[sku]!;
    if (state.required[sku]! > supply) return Infinity;
    const short = state.demand[sku]! - supply;
    if (short > 0) excess += short;
  }
  return excess;
}

function countNode(state: State): boolean {
  if (++state.budget.nodes <= state.budget.max) return true;
  state.budget.exhausted = true;
  return false;
}

/** Budget, bound and "every location used" checks before line `line`; false = prune. */
function open(state: State, line: number): boolean {
  if (!countNode(state)) return false;
  const excess = excessDemand(state);
  if (excess === Infinity) return false;
  const future = Math.max(excess, state.backorderRest[line]!);
  if (!beats(state.backordered + future, state.fixed + state.variable, state.limit)) return false;
  return !state.requireAll || state.unused <= state.touchRest[line]!;
}

function assignFrom(state: State, line: number): void {
  if (!open(state, line)) return;
  if (line === state.problem.lines.length) {
    if (!state.requireAll || state.unused === 0) record(state);
    return;
  }
  if (state.problem.lines[line]!.split) assignSplit(state, line, 0, state.problem.lines[line]!.quantity);
  else assignWhole(state, line);
}

const skuOf = (state: State, line: number) => state.problem.lines[line]!.sku;

function tryQuantity(state: State, line: number, slot: number, quantity: number, short: number): void {
  const variable = state.variable;
  const weight = state.weight[slot]!;
  place(state, line, slot, quantity);
  backorder(state, skuOf(state, line), short);
  assignFrom(state, line + 1);
  backorder(state, skuOf(state, line), -short);
  unplace(state, line, slot, quantity, variable, weight);
}

/** A line that one location can fill: it goes to one location (or, if back-orderable, partly or not at all). */
function assignWhole(state: State, line: number): void {
  const spec = state.problem.lines[line]!;
  const q = spec.quantity;
  for (let slot = 0; slot < state.k && !state.budget.exhausted; slot++) {
    if (!mayShipFrom(spec, state.set[slot]!)) continue;
    const available = state.stock[slot * state.skuCount + spec.sku]!;
    const most = Math.min(q, available);
    if (most <= 0 || (most < q && !spec.backorder)) continue;
    // Less than the most only matters when another line competes for the same SKU.
    const least = spec.sharedSku && spec.backorder ? 1 : most;
    for (let quantity = most; quantity >= least && !state.budget.exhausted; quantity--) {
      tryQuantity(state, line, slot, quantity, q - quantity);
    }
  }
  if (spec.backorder && !state.budget.exhausted) {
    backorder(state, spec.sku, q);
    assignFrom(state, line + 1);
    backorder(state, spec.sku, -q);
  }
}

/** A line no single location can fill: any split of its quantity over the set's locations. */
function assignSplit(state: State, line: number, slot: number, remaining: number): void {
  const spec = state.problem.lines[line]!;
  if (slot === state.k) {
    if (remaining > 0 && !spec.backorder) return;
    backorder(state, spec.sku, remaining);
    assignFrom(state, line + 1);
    backorder(state, spec.sku, -remaining);
    return;
  }
  if (!spec.backorder) {
    let reachable = 0;
    for (let s = slot; s < state.k; s++)
      if (mayShipFrom(spec, state.set[s]!)) reachable += state.stock[s * state.skuCount + spec.sku]!;
    if (reachable < remaining) return;
  }
  if (!countNode(state)) return;
  const excess = excessDemand(state);
  if (excess === Infinity || !beats(state.backordered + excess, state.fixed + state.variable, state.limit)) return;
  const here = mayShipFrom(spec, state.set[slot]!) ? state.stock[slot * state.skuCount + spec.sku]! : 0;
  const most = Math.min(remaining, here);
  for (let quantity = most; quantity >= 0 && !state.budget.exhausted; quantity--) {
    if (quantity === 0) {
      assignSplit(state, line, slot + 1, remaining);
      continue;
    }
    const variable = state.variable;
    const weight = state.weight[slot]!;
    place(state, line, slot, quantity);
    assignSplit(state, line, slot + 1, remaining - quantity);
    unplace(state, line, slot, quantity, variable, weight);
  }
}

/**
 * Working memory for assigning lines to sets of up to `maxSlots` locations, reused from set to set
 * (its arrays are the shared scratch arrays: one assigner per search at a time).
 */
export interface Assigner {
  state: State;
}

export function createAssigner(problem: ColumnProblem, maxSlots: number): Assigner {
  const slots = Math.max(1, maxSlots);
  const { skuCount } = problem.locations;
  const lines = problem.lines.length;
  return {
    state: {
      problem,
      set: [],
      k: 0,
      skuCount,
      stock: float64s(Slot.Stock, slots * skuCount),
      demand: float64s(Slot.Demand, skuCount),
      supply: float64s(Slot.Supply, skuCount),
      required: float64s(Slot.Required, skuCount),
      weight: float64s(Slot.Weight, slots),
      used: int32s(Slot.Used, slots),
      unused: 0,
      quantity: int32s(Slot.Quantity, lines * slots),
      fixed: 0,
      variable: 0,
      backordered: 0,
      backorderRest: float64s(Slot.BackorderRest, lines + 1),
      touchRest: float64s(Slot.TouchRest, lines + 1),
      requireAll: false,
      limit: null,
      best: null,
      budget: { nodes: 0, max: 0, exhausted: false },
    },
  };
}

function loadSet(state: State, set: readonly number[]): void {
  const { problem, skuCount } = state;
  const k = set.length;
  state.set = set;
  state.k = k;
  state.fixed = 0;
  // Loops, not fill(): these arrays hold a handful of entries and are reset for every set.
  for (let sku = 0; sku < skuCount; sku++) {
    state.supply[sku] = 0;
    state.demand[sku] = 0;
    state.required[sku] = 0;
  }
  const { locations } = problem;
  for (let slot = 0; slot < k; slot++) {
    const location = set[slot]!;
    state.fixed += locations.fixed[location]!;
    for (let sku = 0; sku < skuCount; sku++) {
      const units = locations.stock[location * skuCount + sku]!;
      state.stock[slot * skuCount + sku] = units;
      state.supply[sku]! += units;
    }
  }
  for (const line of problem.lines) {
    state.demand[line.sku]! += line.quantity;
    if (!line.backorder) state.required[line.sku]! += line.quantity;
  }
}

/** Lower bounds per line suffix: back-ordered units, and how many slots the lines can still touch. */
function loadBounds(state: State): void {
  const { problem, k, skuCount, stock } = state;
  const lines = problem.lines;
  state.backorderRest[lines.length] = 0;
  state.touchRest[lines.length] = 0;
  for (let line = lines.length - 1; line >= 0; line--) {
    const spec = lines[line]!;
    let reach = 0;
    for (let slot = 0; slot < k; slot++) {
      const available = mayShipFrom(spec, state.set[slot]!) ? stock[slot * skuCount + spec.sku]! : 0;
      reach = spec.split ? reach + available : Math.max(reach, available);
    }
    const short = spec.backorder ? Math.max(0, spec.quantity - reach) : 0;
    state.backorderRest[line] = state.backorderRest[line + 1]! + short;
    state.touchRest[line] = state.touchRest[line + 1]! + (spec.split ? k : 1);
  }
}

/**
 * The best plan using the locations `set` (indices into problem.locations) that beats `limit`,
 * or null. requireAll: every location of the set must ship something (the enumeration's
 * contract: a subset is evaluated as its own set).
 */
export function assignLines(
  assigner: Assigner,
  set: readonly number[],
  limit: Limit | null,
  requireAll: boolean,
  budget: Budget,
): SearchPlan | null {
  if (set.length === 0) return null;
  const { state } = assigner;
  loadSet(state, set);
  loadBounds(state);
  for (let slot = 0; slot < set.length; slot++) {
    state.weight[slot] = 0;
    state.used[slot] = 0;
  }
  state.unused = set.length;
  const cells = state.problem.lines.length * set.length;
  for (let cell = 0; cell < cells; cell++) state.quantity[cell] = 0;
  state.variable = 0;
  state.backordered = 0;
  state.requireAll = requireAll;
  state.limit = limit;
  state.best = null;
  state.budget = budget;
  assignFrom(state, 0);
  return state.best;
}
