import { andList, formatKm, formatMoney, plural } from './format.ts';
import type { CandidateExplanation, FilterCode, PlanResult, RunnerUpSummary } from './types.ts';

/*
 * A routing decision in one plain sentence, for a person reading an order: where it goes, why
 * that location, and what the next best plan would have cost. Built from what a decision stores
 * (its shipments, candidates and runner-up), so it can be told of any decision ever stored.
 */

/** Why a location could not take the order, as a few words after "but". */
const excludedPhrases: Record<FilterCode, string> = {
  inactive: 'is deactivated',
  not_in_channel_group: "is not in the channel's location group",
  excluded: 'was excluded by the order',
  excluded_by_rules: 'is excluded by the routing rules',
  not_pickup_location: 'is not the store the customer chose',
  missing_capability: 'cannot fulfil this delivery method',
  no_coordinates: 'has no coordinates',
  no_capacity: 'had reached its daily capacity',
  past_cutoff: 'was past its cut-off',
  no_stock: "holds none of the order's items",
};

/** The lines of the order: every line allocated, back-ordered or short. */
function lineCount(result: PlanResult): number {
  const ids = new Set<string>();
  for (const list of [result.allocations, result.backorders, result.shortfalls])
    for (const l of list) ids.add(l.lineId);
  return ids.size;
}

const fewest = (candidates: readonly CandidateExplanation[], score: (c: CandidateExplanation) => number) =>
  Math.min(...candidates.map(score));

/** Why the one chosen location among those that hold every item: nearest, cheapest, the only one… */
function whyThisLocation(chosen: CandidateExplanation, candidates: readonly CandidateExplanation[], lines: number) {
  const full = candidates.filter((c) => c.eligible && c.scores.linesCovered.length >= lines);
  if (!full.includes(chosen)) return 'the best of the locations holding some of the order';
  if (full.length === 1) return 'the only location with all items';
  const km = (c: CandidateExplanation) => c.scores.distanceKm ?? Infinity;
  const nearest = chosen.scores.distanceKm !== null && km(chosen) <= fewest(full, km);
  const others = full.filter((c) => c !== chosen);
  const cheapest = chosen.scores.costMinor < fewest(others, (c) => c.scores.costMinor);
  if (nearest && cheapest) return 'nearest and cheapest with all items';
  if (nearest) return 'nearest with all items';
  if (cheapest) return 'cheapest with all items';
  if (chosen.scores.priority >= -fewest(full, (c) => -c.scores.priority))
    return 'highest store priority with all items';
  return 'best total under the routing rules with all items';
}

/** "Reno was 1,264 km and $2.90 dearer" — the runner-up against the chosen plan. */
function versusRunnerUp(result: PlanResult, runner: RunnerUpSummary, name: (id: string) => string): string {
  const chosen = result.explanation.chosen!;
  const who = andList(runner.locationIds.map(name));
  const extra = runner.backorderedUnits - chosen.backorderedUnits;
  if (extra > 0) return `${who} would have back-ordered ${plural(extra, 'more unit')}`;
  const facts: string[] = [];
  const shipments = runner.criteria.shipments;
  if (shipments !== chosen.criteria.shipments) facts.push(plural(shipments, 'shipment'));
  if (result.deliveryMethod === 'ship' && result.shipments.some((s) => s.distanceKm !== null)) {
    facts.push(formatKm(runner.criteria.distance));
  }
  const freight = runner.criteria.cost - chosen.criteria.cost;
  const money = formatMoney(Math.abs(freight), result.currency);
  facts.push(freight > 0 ? `${money} dearer` : freight < 0 ? `${money} cheaper` : 'the same freight');
  if (runner.criteria.sla > chosen.criteria.sla) facts.push(`${plural(runner.criteria.sla, 'day')} late`);
  return `${who} ${runner.locationIds.length > 1 ? 'were' : 'was'} ${andList(facts)}`;
}

/** The nearest location holding some of the order that the filters kept out, when it was nearer than the chosen one. */
function nearerButExcluded(candidates: readonly CandidateExplanation[], chosenKm: number | null): string | null {
  if (chosenKm === null) return null;
  let nearest: CandidateExplanation | null = null;
  for (const c of candidates) {
    const km = c.scores.distanceKm;
    if (c.eligible || km === null || km >= chosenKm || c.scores.linesHeld.length === 0) continue;
    if (c.excludedBy.length === 0 || c.excludedBy.every((e) => e.code === 'no_stock')) continue;
    if (nearest === null || km < nearest.scores.distanceKm!) nearest = c;
  }
  if (nearest === null) return null;
  const [why] = nearest.excludedBy.filter((e) => e.code !== 'no_stock');
  return `${nearest.name} (${formatKm(nearest.scores.distanceKm!)}) was nearer but ${excludedPhrases[why!.code]}`;
}

/**
 * The decision in one plain sentence: "Ships from Cherry Creek: nearest with all items, 5 km;
 * Reno was 1,264 km and $2.90 dearer." Freight is in the decision's currency.
 */
export function explanationText(result: PlanResult): string {
  const { explanation } = result;
  const candidates = explanation.candidates;
  const byId = new Map(candidates.map((c) => [c.locationId, c]));
  const name = (id: string) => byId.get(id)?.name ?? id;
  if (result.status === 'rejected') {
    return `Not routed: ${result.rejection?.message ?? 'no plan was possible.'}`;
  }
  const shipments = result.shipments;
  const where = andList(shipments.map((s) => name(s.locationId)));
  const method = result.deliveryMethod;
  const fallback =
    explanation.requestedDeliveryMethod !== method
      ? `The ${explanation.requestedDeliveryMethod} store could not fill it: `
      : '';
  const head =
    method === 'ship'
      ? `${fallback}${fallback ? 'ships' : 'Ships'} from ${where}`
      : `${fallback}Ready for ${method} at ${where}`;
  const clauses: string[] = [];
  const only = shipments.length === 1 ? byId.get(shipments[0]!.locationId) : undefined;
  let chosenKm: number | null = null;
  if (only !== undefined) {
    const reason = whyThisLocation(only, candidates, lineCount(result));
    chosenKm = method === 'ship' ? shipments[0]!.distanceKm : null;
    clauses.push(chosenKm === null ? reason : `${reason}, ${formatKm(chosenKm)}`);
  } else if (shipments.length > 1) {
    clauses.push(`${plural(shipments.length, 'shipment')}, as no one location could send everything in fewer`);
  }
  const detail = [
    ...(explanation.runnerUp !== null && explanation.chosen !== null
      ? [versusRunnerUp(result, explanation.runnerUp, name)]
      : ['no other plan was possible']),
  ];
  const nearer = nearerButExcluded(candidates, chosenKm);
  if (nearer !== null) detail.push(nearer);
  const backordered = result.backorders.reduce((sum, b) => sum + b.quantity, 0);
  if (backordered > 0) detail.push(`${plural(backordered, 'unit')} back-ordered`);
  return `${head}: ${[...clauses, ...detail].join('; ')}.`;
}

/**
 * `explanationText` of a stored decision (a `PlanResult` as JSON); null for what is not one, such
 * as a record of units left without a location.
 */
export function decisionText(stored: unknown): string | null {
  const result = stored as Partial<PlanResult> | null;
  if (
    result === null ||
    typeof result !== 'object' ||
    !Array.isArray(result.shipments) ||
    !Array.isArray(result.explanation?.candidates)
  ) {
    return null;
  }
  return explanationText(result as PlanResult);
}
