import { availableAt, indexOfCandidate, isEligible, type Assessment } from './assess.ts';
import { allocated, assess, explainContext, noSearch, rejected, type Decision, type Ending } from './decision.ts';
import { outcomeNotes } from './explain.ts';
import { planOutcome } from './result.ts';
import { planShipping } from './ship.ts';
import { shipFromNotes } from './ship-from.ts';
import type { PlanResult, Shortfall } from './types.ts';

/**
 * Lines the store (a candidate index, -1 = not a candidate) cannot hand over in full (lines of one
 * SKU share its stock). Excluded stores give nothing.
 */
function storeShortfalls(decision: Decision, assessment: Assessment, store: number): Shortfall[] {
  const { lines } = decision.order;
  const { lineSku } = decision.skus;
  const usable = store >= 0 && isEligible(assessment, store);
  const demand = new Map<number, number>();
  lines.forEach((line, index) => demand.set(lineSku[index]!, (demand.get(lineSku[index]!) ?? 0) + line.quantity));
  const shortfalls: Shortfall[] = [];
  lines.forEach((line, index) => {
    const sku = lineSku[index]!;
    // A line the order names another location for cannot be handed over at the store.
    const here = !line.shipFromLocationId || line.shipFromLocationId === decision.order.pickupLocationId;
    const available = usable && here ? availableAt(assessment, store, sku) : 0;
    if (demand.get(sku)! > available)
      shortfalls.push({ lineId: line.lineId, sku: line.sku, requested: line.quantity, available });
  });
  return shortfalls;
}

function whyNot(decision: Decision, assessment: Assessment, store: number, shortfalls: readonly Shortfall[]): string {
  const { order } = decision;
  const method = order.deliveryMethod;
  if (order.pickupLocationId == null) return `No store was chosen for ${method}.`;
  if (store < 0) return `The chosen store ${order.pickupLocationId} is not a candidate.`;
  const name = assessment.candidates[store]!.name;
  const blocking = assessment.exclusions[store]!.filter((e) => e.code !== 'no_stock');
  if (blocking.length > 0) return `${name} cannot take ${method} orders: ${blocking.map((e) => e.reason).join(' ')}`;
  const each = shortfalls.map((s) => `${s.lineId} (${s.sku}) needs ${s.requested}, ${s.available} on hand`);
  return `${name} does not hold every line in full: ${each.join('; ')}.`;
}

/**
 * Pickup and curbside: the chosen store must hold every line in full (no splits, no back-orders).
 * Otherwise the order ships, when the rules fall back to shipping and the customer allowed it,
 * or is rejected with the store's per-line shortfalls.
 */
export function planPickup(decision: Decision, notes: string[] = []): PlanResult {
  const { order, rules } = decision;
  const method = order.deliveryMethod;
  const assessment = assess(decision, method);
  const store = indexOfCandidate(assessment, order.pickupLocationId);
  const shortfalls = storeShortfalls(decision, assessment, store);
  const ending: Ending = { method, assessment, notes, search: noSearch() };
  if (store >= 0 && isEligible(assessment, store) && shortfalls.length === 0) {
    const cells = order.lines.map((line, index) => ({ location: 0, line: index, quantity: line.quantity }));
    const outcome = planOutcome(
      { backordered: 0, total: 0, locations: [0], cells },
      {
        lines: order.lines,
        lineSku: decision.skus.lineSku,
        assessment,
        locations: [store],
        method,
        weights: rules.weights,
      },
    );
    ending.notes.push(`${assessment.candidates[store]!.name} holds every line in full for ${method}.`);
    ending.notes.push(...shipFromNotes(decision, assessment, outcome.allocations));
    ending.notes.push(...outcomeNotes(outcome, explainContext(decision, assessment)));
    return allocated(decision, ending, outcome, null);
  }
  const reason = whyNot(decision, assessment, store, shortfalls);
  if (rules.pickupFallback === 'ship' && order.allowShipFallback) {
    return planShipping(decision, [
      ...notes,
      `${reason} The customer accepts shipping and the rules fall back to shipping: planned as a ship order.`,
    ]);
  }
  const refusal =
    rules.pickupFallback === 'ship'
      ? 'The customer did not accept shipping instead.'
      : 'The rules do not fall back to shipping (pickupFallback: reject).';
  return rejected(decision, ending, { code: 'pickup_unavailable', message: `${reason} ${refusal}` }, shortfalls);
}
