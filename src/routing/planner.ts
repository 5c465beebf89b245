import { orderSkus } from './assess.ts';
import type { Decision } from './decision.ts';
import { planPickup } from './pickup.ts';
import { freightSentence } from './explain.ts';
import { ratesFor } from './rates.ts';
import type { RoutingRules } from './rules.ts';
import { planShipping } from './ship.ts';
import { clockReader, slaDaysFor } from './sla.ts';
import type { Candidate, PlanOrder, PlanResult, StockSnapshot } from './types.ts';

interface PlanOptions {
  /** Work bound of the optimiser; past it the best plan found is returned and flagged as bounded. */
  maxSearchNodes?: number;
}

/** Enough to prove optimality on realistic orders while keeping a decision well under a millisecond. */
const DEFAULT_MAX_SEARCH_NODES = 20_000;

/**
 * Every candidate id seen so far, with the number of the last call that saw it: checking
 * uniqueness this way builds no set per decision and takes one lookup per id once the network's
 * ids are known. Cleared when it grows past a network's worth of ids.
 */
const seenIds = new Map<string, { call: number }>();
let calls = 0;
const MAX_SEEN_IDS = 100_000;

function uniqueIds(candidates: readonly Candidate[]): boolean {
  if (seenIds.size + candidates.length > MAX_SEEN_IDS || calls >= Number.MAX_SAFE_INTEGER) {
    seenIds.clear();
    calls = 0;
  }
  const call = ++calls;
  for (let i = 0; i < candidates.length; i++) {
    const id = candidates[i]!.id;
    const seen = seenIds.get(id);
    if (seen === undefined) seenIds.set(id, { call });
    else if (seen.call === call) return false;
    else seen.call = call;
  }
  return true;
}

/** Orders reaching the planner are validated upstream; anything else is a bug. */
function assertPlannable(order: PlanOrder, candidates: readonly Candidate[], now: Date, placedAtMs: number): void {
  if (Number.isNaN(now.getTime())) throw new Error('plan: now is not a valid date');
  if (Number.isNaN(placedAtMs)) throw new Error(`plan: placedAt "${order.placedAt}" is not an ISO date`);
  if (order.lines.length === 0) throw new Error('plan: the order has no lines');
  const lineIds = new Set<string>();
  for (const line of order.lines) {
    if (!Number.isSafeInteger(line.quantity) || line.quantity <= 0) {
      throw new Error(`plan: line ${line.lineId} quantity ${line.quantity} is not a positive integer`);
    }
    if (!Number.isFinite(line.weightGrams) || line.weightGrams < 0) {
      throw new Error(`plan: line ${line.lineId} weight ${line.weightGrams} g is not ≥ 0`);
    }
    if (lineIds.has(line.lineId)) throw new Error(`plan: line id ${line.lineId} appears twice`);
    lineIds.add(line.lineId);
  }
  if (!uniqueIds(candidates)) throw new Error('plan: candidate ids must be unique');
}

/**
 * Routes one order: which locations fulfil which quantities, what is back-ordered or short, and
 * why. Pure and deterministic: no I/O, no clock but `now`, the same inputs give the same plan, so
 * a decision can be replayed and rules simulated on past orders. `rules` must pass validateRules.
 */
export function plan(
  order: PlanOrder,
  candidates: readonly Candidate[],
  stock: StockSnapshot,
  rules: RoutingRules,
  now: Date,
  options: PlanOptions = {},
): PlanResult {
  const placedAtMs = Date.parse(order.placedAt);
  assertPlannable(order, candidates, now, placedAtMs);
  const slaDays = slaDaysFor(rules, order.channelId);
  const clock = slaClockStart(order, placedAtMs, slaDays);
  const decision: Decision = {
    order,
    candidates,
    stock,
    rules,
    rates: ratesFor(rules, order),
    nowAt: clockReader(now.getTime()),
    placedAt: clockReader(clock.startMs),
    maxNodes: options.maxSearchNodes ?? DEFAULT_MAX_SEARCH_NODES,
    skus: orderSkus(order),
    slaDays,
  };
  const notes = clock.note === null ? [] : [clock.note];
  if (order.currency && order.currency !== decision.rates.currency) {
    notes.push(freightSentence(decision.rates, order.currency));
  }
  return order.deliveryMethod === 'ship' ? planShipping(decision, notes) : planPickup(decision, notes);
}

/**
 * When the SLA clock starts: at placement, unless the order reached Consign after the SLA
 * counted from placement had already run out (an imported old order) — then at receipt, with a
 * note saying so.
 */
function slaClockStart(
  order: Pick<PlanOrder, 'placedAt' | 'receivedAt'>,
  placedAtMs: number,
  slaDays: number,
): { startMs: number; note: string | null } {
  const receivedAtMs = order.receivedAt === undefined ? Number.NaN : Date.parse(order.receivedAt);
  if (Number.isNaN(receivedAtMs) || receivedAtMs - placedAtMs <= slaDays * 86_400_000)
    return { startMs: placedAtMs, note: null };
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return {
    startMs: receivedAtMs,
    note:
      `Placed ${day(placedAtMs)} and received ${day(receivedAtMs)}, after its ${slaDays}-day SLA had run out: ` +
      'the SLA counts from receipt.',
  };
}
