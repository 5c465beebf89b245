import { availableAt, indexOfCandidate, isEligible, type Assessment } from './assess.ts';
import type { Decision } from './decision.ts';
import { backorderable } from './problem.ts';
import type { Allocation, Shortfall } from './types.ts';

/**
 * Lines the order names a ship-from location for (a marketplace seller, a drop-ship vendor, the
 * store of a store sale): each is planned at that location only, whatever another location would
 * score. A named location that is excluded (inactive, out of the channel's group, without the
 * capability, full, rejected this order's work before, holding none of the SKUs) gives the line
 * nothing, like a line no location can fill: it is back-ordered when it may be, else the order
 * is refused (capture) or held (re-route).
 */

/** What the named location of line `index` can give it: its stock of the line's SKU, 0 when not eligible. */
function namedAvailable(decision: Decision, assessment: Assessment, index: number): number {
  const line = decision.order.lines[index]!;
  const at = indexOfCandidate(assessment, line.shipFromLocationId);
  return at >= 0 && isEligible(assessment, at) ? availableAt(assessment, at, decision.skus.lineSku[index]!) : 0;
}

/** The named location's name, or its ID when it is not among the candidates. */
function nameOf(assessment: Assessment, locationId: string): string {
  const at = indexOfCandidate(assessment, locationId);
  return at >= 0 ? assessment.candidates[at]!.name : locationId;
}

/**
 * Required lines (not back-orderable) with a named location that does not hold enough for them
 * (lines of one SKU named to one location share its stock), with what it holds.
 */
export function shipFromShortfalls(decision: Decision, assessment: Assessment): Shortfall[] {
  const { lines } = decision.order;
  const { lineSku } = decision.skus;
  const demand = new Map<string, number>();
  const key = (index: number) => `${lines[index]!.shipFromLocationId}\u0000${lineSku[index]}`;
  lines.forEach((line, index) => {
    if (!line.shipFromLocationId || backorderable(line, decision.rules)) return;
    demand.set(key(index), (demand.get(key(index)) ?? 0) + line.quantity);
  });
  const shortfalls: Shortfall[] = [];
  lines.forEach((line, index) => {
    if (!line.shipFromLocationId || backorderable(line, decision.rules)) return;
    const available = namedAvailable(decision, assessment, index);
    if (demand.get(key(index))! > available)
      shortfalls.push({ lineId: line.lineId, sku: line.sku, requested: line.quantity, available });
  });
  return shortfalls;
}

/**
 * One note per line with a named location: that it ships from there because the order says so,
 * or why that location cannot give it all of its units.
 */
export function shipFromNotes(
  decision: Decision,
  assessment: Assessment,
  allocations: readonly Allocation[],
): string[] {
  const notes: string[] = [];
  decision.order.lines.forEach((line, index) => {
    const named = line.shipFromLocationId;
    if (!named) return;
    const name = nameOf(assessment, named);
    const placed = allocations.filter((a) => a.lineId === line.lineId).reduce((sum, a) => sum + a.quantity, 0);
    if (placed === line.quantity) {
      notes.push(`Line ${line.lineId} ships from ${name}: named by the order.`);
      return;
    }
    const at = indexOfCandidate(assessment, named);
    const why =
      at < 0
        ? 'which is not a candidate'
        : isEligible(assessment, at)
          ? `which has ${namedAvailable(decision, assessment, index)} of ${line.sku} available for ${line.quantity}`
          : `which is excluded: ${assessment.exclusions[at]!.map((e) => e.reason).join(' ')}`;
    notes.push(
      `Line ${line.lineId} may only ship from ${name} (named by the order), ${why.replace(/\.$/, '')}; ` +
        `${placed} of ${line.quantity} placed there.`,
    );
  });
  return notes;
}
