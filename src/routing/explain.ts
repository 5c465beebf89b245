import { availableAt, indexOfCandidate, isEligible, type Assessment } from './assess.ts';
import { formatKm, formatMoney, formatNumber, plural, signed } from './format.ts';
import type { PlanOutcome } from './result.ts';
import { shipmentCostMinor, type Rates } from './rates.ts';
import type { RoutingRules } from './rules.ts';
import { formatDay } from './sla.ts';
import {
  criterionNames,
  type CandidateExplanation,
  type Criteria,
  type CriterionName,
  type PlanLine,
  type PlanSummary,
  type RunnerUpSummary,
} from './types.ts';

/** Everything the explanation needs about the decision. */
export interface ExplainContext {
  rules: RoutingRules;
  /** The order's rate table: freight is computed and shown in its currency. */
  rates: Rates;
  /** The currency the order (its channel) sells in, when known. */
  orderCurrency: string | null;
  channelId: string;
  slaDays: number;
  lines: readonly PlanLine[];
  lineSku: readonly number[];
  assessment: Assessment;
  /** The order has a delivery address that could not be located (no destination). */
  addressUnlocated?: boolean;
}

const criterionLabels: Record<CriterionName, string> = {
  shipments: 'shipments',
  distance: 'km',
  cost: 'freight in minor units',
  sla: 'days late',
  balance: 'stock share taken',
  priority: '−store priority',
};

// Rules objects are reused across decisions (the active version): describe each once per channel.
const summaries = new WeakMap<RoutingRules, Map<string, string>>();

/** The rules in one paragraph, for the operator reading a decision. */
export function rulesSummary(context: ExplainContext): string {
  const { rules, channelId, slaDays, rates, orderCurrency } = context;
  let byChannel = summaries.get(rules);
  if (byChannel === undefined) {
    byChannel = new Map();
    summaries.set(rules, byChannel);
  }
  const key = `${channelId}\u0000${slaDays}\u0000${rates.table}\u0000${orderCurrency}`;
  let summary = byChannel.get(key);
  if (summary === undefined) {
    summary = describeRules(context);
    if (byChannel.size < 1_000) byChannel.set(key, summary);
  }
  return summary;
}

/**
 * Which table priced the freight and in which currency: "Freight from the BR table in BRL." —
 * and when that is not the order's currency, that it is not (amounts are never converted).
 */
export function freightSentence(rates: Rates, orderCurrency: string | null): string {
  const table = rates.table === null ? 'the default rate table' : `the ${rates.table} table`;
  const other =
    orderCurrency === null || orderCurrency === rates.currency
      ? ''
      : `, not the order's ${orderCurrency} (no rate table in ${orderCurrency} matches the order; amounts are not converted)`;
  return `Freight from ${table} in ${rates.currency}${other}.`;
}

function describeRules(context: ExplainContext): string {
  const { rules, channelId, slaDays } = context;
  const { weights } = rules;
  const weighted = criterionNames.filter((name) => weights[name] > 0).sort((a, b) => weights[b] - weights[a]);
  const ignored = criterionNames.filter((name) => weights[name] === 0);
  const terms = weighted.map((name) => `${formatNumber(weights[name])} × ${criterionLabels[name]}`).join(' + ');
  return [
    `Lowest total wins, after allocating as many units as possible: ${terms || '0'}`,
    ignored.length > 0 ? ` (ignored: ${ignored.join(', ')})` : '',
    `. ${freightSentence(context.rates, context.orderCurrency)}`,
    ` Max shipments: ${rules.maxShipments ?? 'no limit'}.`,
    ` Ship-complete: ${rules.shipComplete ? 'on (no back-orders)' : 'off'}.`,
    ` After cut-off: ${rules.excludeAfterCutoff ? 'excluded' : 'still eligible, ships the next day'}.`,
    ` Pickup fallback: ${rules.pickupFallback}.`,
    rules.bundles === 'split_components' ? ' Kits: components from several locations when none holds a kit whole.' : '',
    ` SLA for channel ${channelId}: ${plural(slaDays, 'day')}.`,
  ].join('');
}

/**
 * Line ids whose bit is set in `mask` (line i ↔ bit i). Candidates with the same lines share one
 * array: a decision explains hundreds of candidates but sees a few dozen masks at most.
 */
function lineIdsOf(lines: readonly PlanLine[], mask: number, count: number, arrays: Map<number, string[]>): string[] {
  let ids = arrays.get(mask);
  if (ids === undefined) {
    ids = new Array<string>(count);
    let at = 0;
    for (let i = 0; at < count; i++) if ((mask & (1 << i)) !== 0) ids[at++] = lines[i]!.lineId;
    arrays.set(mask, ids);
  }
  return ids;
}

/** Line ids the candidate fills completely (`fill`) or holds any of, for orders of more lines than a mask has bits. */
function lineIdsWhere(context: ExplainContext, index: number, fill: boolean): string[] {
  const { lines, lineSku, assessment } = context;
  const ids: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const units = availableAt(assessment, index, lineSku[i]!);
    if (fill ? units >= lines[i]!.quantity : units > 0) ids.push(lines[i]!.lineId);
  }
  return ids;
}

/** Lines tracked as bits of an int32 mask. */
const MASK_LINES = 30;

function candidateExplanation(
  context: ExplainContext,
  index: number,
  chosen: readonly string[],
  runnerUp: readonly string[],
  lineArrays: Map<number, string[]>,
): CandidateExplanation {
  const { assessment, lines, lineSku } = context;
  const candidate = assessment.candidates[index]!;
  const promise = assessment.promise[index]!;
  let weightGrams = 0;
  let covered = 0;
  let held = 0;
  let coveredCount = 0;
  let heldCount = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const units = availableAt(assessment, index, lineSku[i]!);
    weightGrams += Math.min(units, line.quantity) * line.weightGrams;
    if (i < MASK_LINES) {
      if (units >= line.quantity) {
        covered |= 1 << i;
        coveredCount += 1;
      }
      if (units > 0) {
        held |= 1 << i;
        heldCount += 1;
      }
    }
  }
  const masked = lines.length <= MASK_LINES;
  return {
    locationId: candidate.id,
    name: candidate.name,
    type: candidate.type,
    eligible: isEligible(assessment, index),
    excludedBy: assessment.exclusions[index]!,
    scores: {
      distanceKm: assessment.measured[index]! ? assessment.km[index]! : null,
      zone: assessment.zone[index]!,
      costMinor: shipmentCostMinor(assessment.rate[index]!, weightGrams),
      transitDays: promise.transitDays,
      pastCutoff: promise.pastCutoff,
      promisedDate: promise.promisedDate,
      daysLate: promise.daysLate,
      priority: candidate.priority,
      capacityRemaining:
        candidate.dailyCapacity === null ? null : Math.max(0, candidate.dailyCapacity - candidate.capacityUsedToday),
      linesCovered: masked ? lineIdsOf(lines, covered, coveredCount, lineArrays) : lineIdsWhere(context, index, true),
      linesHeld: masked ? lineIdsOf(lines, held, heldCount, lineArrays) : lineIdsWhere(context, index, false),
      fixedScore: assessment.fixedScore[index]!,
    },
    chosen: chosen.includes(candidate.id),
    inRunnerUp: runnerUp.includes(candidate.id),
  };
}

/**
 * Every candidate: eligible or not and why, its scores, and whether the chosen plan or the
 * runner-up (the ids of the locations each uses: a handful) uses it. Like the exclusion lists,
 * equal line-id lists are one array shared by the candidates: the explanation is read-only.
 */
export function explainCandidates(
  context: ExplainContext,
  chosen: readonly string[],
  runnerUp: readonly string[],
): CandidateExplanation[] {
  const count = context.assessment.candidates.length;
  const out = new Array<CandidateExplanation>(count);
  const lineArrays = new Map<number, string[]>();
  for (let i = 0; i < count; i++) out[i] = candidateExplanation(context, i, chosen, runnerUp, lineArrays);
  return out;
}

function nameOf(context: ExplainContext, locationId: string): string {
  const index = indexOfCandidate(context.assessment, locationId);
  return index < 0 ? locationId : context.assessment.candidates[index]!.name;
}

export function summarisePlan(outcome: PlanOutcome, context: ExplainContext): PlanSummary {
  const { currency } = context.rates;
  const parts = outcome.shipments.map((shipment) => {
    const late = shipment.daysLate > 0 ? `, ${plural(shipment.daysLate, 'day')} late` : ', on time';
    const unknown = context.addressUnlocated ? 'address not located' : 'no delivery address';
    const km = shipment.distanceKm === null ? unknown : formatKm(shipment.distanceKm);
    const distance = shipment.deliveryMethod === 'ship' ? `${km}, ` : '';
    return (
      `${nameOf(context, shipment.locationId)} (${shipment.lineIds.join(', ')}): ${distance}` +
      `${formatMoney(shipment.costMinor, currency)}, promised ${shipment.promisedDate}${late}`
    );
  });
  const backordered = outcome.backorders.reduce((sum, b) => sum + b.quantity, 0);
  const tail = backordered > 0 ? `; ${plural(backordered, 'unit')} back-ordered` : '';
  return {
    locationIds: outcome.locationIds,
    description: `${plural(outcome.shipments.length, 'shipment')}: ${parts.join('; ') || 'nothing allocated'}${tail}`,
    total: outcome.objective.total,
    criteria: outcome.objective.criteria,
    weighted: outcome.objective.weighted,
    backorderedUnits: backordered,
  };
}

const rawDifference: Record<CriterionName, (d: number, currency: string) => string> = {
  shipments: (d) => `${signed(d)} shipment${Math.abs(d) === 1 ? '' : 's'}`,
  distance: (d) => `${signed(Math.round(d))} km`,
  cost: (d, currency) => `${d >= 0 ? '+' : '−'}${formatMoney(Math.abs(d), currency)} freight`,
  sla: (d) => `${signed(d)} day${Math.abs(d) === 1 ? '' : 's'} late`,
  balance: (d) => `stock share ${signed(Math.round(d * 100) / 100)}`,
  priority: (d) => `store priority ${signed(-d)}`,
};

function differences(chosen: PlanSummary, runner: PlanSummary, currency: string, sign: 1 | -1): string[] {
  return criterionNames
    .map((name) => ({ name, delta: runner.weighted[name] - chosen.weighted[name] }))
    .filter(({ delta }) => sign * delta > 1e-9)
    .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta))
    .map(({ name, delta }) => {
      const raw = runner.criteria[name] - chosen.criteria[name];
      return `${rawDifference[name](raw, currency)} (${signed(Math.round(delta * 100) / 100)})`;
    });
}

/** The runner-up, and in words why the chosen plan beat it. */
export function summariseRunnerUp(chosen: PlanSummary, runner: PlanSummary, context: ExplainContext): RunnerUpSummary {
  const deltas = {} as Criteria;
  for (const name of criterionNames) deltas[name] = runner.weighted[name] - chosen.weighted[name];
  const { currency } = context.rates;
  let whyNotChosen: string;
  if (runner.backorderedUnits > chosen.backorderedUnits) {
    whyNotChosen = `It back-orders ${plural(runner.backorderedUnits - chosen.backorderedUnits, 'more unit')}.`;
  } else {
    const worse = differences(chosen, runner, currency, 1);
    const better = differences(chosen, runner, currency, -1);
    whyNotChosen =
      `It scores ${formatNumber(Math.round((runner.total - chosen.total) * 100) / 100)} more` +
      (worse.length > 0 ? `: ${worse.join(', ')}` : '') +
      (better.length > 0 ? `; it is better on ${better.join(', ')}` : '') +
      '.';
  }
  return { ...runner, deltas, whyNotChosen };
}

/** What an operator should know about the chosen plan: splits, back-orders, cut-offs, lateness. */
export function outcomeNotes(outcome: PlanOutcome, context: ExplainContext): string[] {
  const notes: string[] = [];
  const { assessment } = context;
  context.lines.forEach((line, index) => {
    const at = outcome.allocations.filter((a) => a.lineId === line.lineId);
    if (at.length > 1) {
      let most = -Infinity;
      for (let i = 0; i < assessment.candidates.length; i++) {
        if (isEligible(assessment, i)) most = Math.max(most, availableAt(assessment, i, context.lineSku[index]!));
      }
      notes.push(
        `Line ${line.lineId} (${line.sku} × ${line.quantity}) is split over ${at.length} locations: ` +
          `no single eligible location holds ${line.quantity} (the most at one is ${most}).`,
      );
    }
    const backorder = outcome.backorders.find((b) => b.lineId === line.lineId);
    if (backorder !== undefined) {
      notes.push(
        `Line ${line.lineId}: ${backorder.quantity} of ${line.quantity} back-ordered ` +
          `(${line.sku} allows back-orders; ${line.quantity - backorder.quantity} allocated now).`,
      );
    }
  });
  for (const locationId of outcome.locationIds) {
    const index = indexOfCandidate(assessment, locationId);
    const candidate = assessment.candidates[index]!;
    const promise = assessment.promise[index]!;
    if (promise.pastCutoff) {
      notes.push(
        `${candidate.name} is past its ${candidate.cutoffTime} cut-off (${candidate.timezone}): ` +
          `it ships ${formatDay(promise.departureDay)}, the next day.`,
      );
    }
    if (promise.daysLate > 0) {
      notes.push(
        `${candidate.name} promises ${promise.promisedDate}, ${plural(promise.daysLate, 'day')} ` +
          `past the ${plural(context.slaDays, 'day')} SLA (due ${formatDay(promise.deadlineDay)}).`,
      );
    }
  }
  return notes;
}
