import { availableAt, factsOf, type Assessment } from './assess.ts';
import { scorePlan, type ScoredShipment } from './objectives.ts';
import { shipmentCostMinor } from './rates.ts';
import type { RoutingRules } from './rules.ts';
import type { SearchPlan } from './search-types.ts';
import type { Allocation, Backorder, DeliveryMethod, Objective, PlanLine, Shipment } from './types.ts';

/** A plan in the caller's terms. */
export interface PlanOutcome {
  allocations: Allocation[];
  backorders: Backorder[];
  shipments: Shipment[];
  objective: Objective;
  /** Ids of the locations used, in shipment order. */
  locationIds: string[];
}

export interface OutcomeContext {
  lines: readonly PlanLine[];
  lineSku: readonly number[];
  assessment: Assessment;
  /** The candidate index of each of the plan's location indices. */
  locations: readonly number[];
  method: DeliveryMethod;
  weights: RoutingRules['weights'];
}

function shipmentOf(plan: SearchPlan, location: number, context: OutcomeContext) {
  const { assessment } = context;
  const index = context.locations[location]!;
  const lineIds: string[] = [];
  let weightGrams = 0;
  let balance = 0;
  for (const cell of plan.cells) {
    if (cell.location !== location) continue;
    const line = context.lines[cell.line]!;
    lineIds.push(line.lineId);
    weightGrams += cell.quantity * line.weightGrams;
    balance += cell.quantity / availableAt(assessment, index, context.lineSku[cell.line]!);
  }
  const facts = factsOf(assessment, index);
  const shipment: Shipment = {
    locationId: assessment.candidates[index]!.id,
    deliveryMethod: context.method,
    lineIds,
    distanceKm: facts.distanceKm,
    costMinor: shipmentCostMinor(facts.rate, weightGrams),
    promisedDate: facts.promise.promisedDate,
    daysLate: facts.promise.daysLate,
    weightGrams,
  };
  const scored: ScoredShipment = { facts, weightGrams, balance };
  return { shipment, scored };
}

/** Allocations, back-orders, shipments and the objective of a plan found by the search. */
export function planOutcome(plan: SearchPlan, context: OutcomeContext): PlanOutcome {
  const allocated = new Array<number>(context.lines.length).fill(0);
  const allocations: Allocation[] = plan.cells.map((cell) => {
    const line = context.lines[cell.line]!;
    allocated[cell.line]! += cell.quantity;
    const locationId = context.assessment.candidates[context.locations[cell.location]!]!.id;
    return { locationId, lineId: line.lineId, sku: line.sku, quantity: cell.quantity };
  });
  const backorders: Backorder[] = [];
  context.lines.forEach((line, index) => {
    const short = line.quantity - allocated[index]!;
    if (short > 0) backorders.push({ lineId: line.lineId, sku: line.sku, quantity: short });
  });
  const built = plan.locations.map((location) => shipmentOf(plan, location, context));
  return {
    allocations,
    backorders,
    shipments: built.map((b) => b.shipment),
    objective: scorePlan(
      built.map((b) => b.scored),
      context.weights,
    ),
    locationIds: built.map((b) => b.shipment.locationId),
  };
}
