import { plan } from './planner.ts';
import type { RoutingRules } from './rules.ts';
import type {
  Allocation,
  Backorder,
  Candidate,
  KitComponent,
  KitSplit,
  PlanLine,
  PlanOrder,
  PlanResult,
  Shipment,
  StockSnapshot,
} from './types.ts';

/** Each bundle SKU's leaf components, units per bundle (nested bundles expanded). */
export type BundleLeaves = ReadonlyMap<string, readonly KitComponent[]>;

type Stock = Map<string, Map<string, number>>;

/**
 * Routes an order whose lines may name bundles. With `bundles: "split_components"` (shipping
 * only), bundles that no eligible location can make whole are split: their leaf components are
 * planned as lines of their own on the stock the whole bundles left, each kit's components may
 * then come from different locations. Kits placed whole stay whole; every other rule applies to
 * both plans. Pure like `plan`.
 */
export function planWithKits(
  order: PlanOrder,
  candidates: readonly Candidate[],
  stock: StockSnapshot,
  rules: RoutingRules,
  leaves: BundleLeaves,
  now: Date,
): PlanResult {
  const whole = plan(order, candidates, stock, rules, now);
  if (rules.bundles !== 'split_components' || whole.deliveryMethod !== 'ship') return whole;
  if (!order.lines.some((l) => leaves.has(l.sku))) return whole;
  const placed = wholeKitsFirst(order, candidates, stock, rules, now, whole, leaves);
  if (placed === undefined) return whole;
  const unplaced = new Map<string, number>();
  for (const line of order.lines) {
    if (!leaves.has(line.sku)) continue;
    const done = placed?.allocations.filter((a) => a.lineId === line.lineId).reduce((n, a) => n + a.quantity, 0) ?? 0;
    if (line.quantity > done) unplaced.set(line.lineId, line.quantity - done);
  }
  if (unplaced.size === 0) return whole;
  const left = stockLeft(stock, placed?.allocations ?? [], leaves);
  const split = splitKits(order, candidates, left, rules, now, unplaced, leaves);
  if (split === undefined) return whole;
  return merged(order, rules, whole, placed, split, leaves) ?? whole;
}

/**
 * The plan of whole kits: the plain plan, or — when it was refused for want of whole kits — the
 * plan of as many whole kits as the eligible locations make (null when none). Undefined when
 * splitting cannot help: the plain plan was refused for another reason.
 */
function wholeKitsFirst(
  order: PlanOrder,
  candidates: readonly Candidate[],
  stock: StockSnapshot,
  rules: RoutingRules,
  now: Date,
  whole: PlanResult,
  leaves: BundleLeaves,
): PlanResult | null | undefined {
  if (whole.status !== 'rejected') return whole;
  // No eligible location: none may hold a whole kit, while some hold its components.
  const code = whole.rejection?.code;
  if (code !== 'insufficient_stock' && code !== 'no_eligible_location') return undefined;
  if (whole.shortfalls.some((s) => !leaves.has(s.sku))) return undefined;
  const lines = order.lines
    .map((line) => {
      const short = whole.shortfalls.find((s) => s.lineId === line.lineId);
      return short ? { ...line, quantity: Math.min(line.quantity, short.available) } : line;
    })
    .filter((line) => line.quantity > 0);
  if (lines.length === 0) return null;
  const fewer = plan({ ...order, lines }, candidates, stock, rules, now);
  return fewer.status === 'rejected' ? undefined : fewer;
}

/** The stock after the whole plan's allocations, a bundle's taken from its leaves. */
function stockLeft(stock: StockSnapshot, allocations: readonly Allocation[], leaves: BundleLeaves): Stock {
  const left: Stock = new Map([...stock].map(([location, skus]) => [location, new Map(skus)]));
  for (const a of allocations) {
    const at = left.get(a.locationId) ?? new Map<string, number>();
    for (const leaf of leaves.get(a.sku) ?? [{ sku: a.sku, quantity: 1 }])
      at.set(leaf.sku, (at.get(leaf.sku) ?? 0) - a.quantity * leaf.quantity);
    left.set(a.locationId, at);
  }
  return left;
}

const partLine = (lineId: string, leaf: string) => `${lineId}/${leaf}`;

interface Split {
  result: PlanResult;
  /** Kits split per bundle line. */
  kits: Map<string, number>;
}

/**
 * Plans the unplaced kits' leaf components as lines of their own: first as far as the stock
 * goes, to learn how many whole kits the components make over all locations, then exactly
 * those kits' components (which must then all be placed).
 */
function splitKits(
  order: PlanOrder,
  candidates: readonly Candidate[],
  stock: StockSnapshot,
  rules: RoutingRules,
  now: Date,
  unplaced: Map<string, number>,
  leaves: BundleLeaves,
): Split | undefined {
  const relaxed: RoutingRules = { ...rules, shipComplete: false };
  const linesFor = (kits: Map<string, number>, allowBackorder: boolean): PlanLine[] =>
    order.lines.flatMap((line) =>
      (kits.get(line.lineId) ?? 0) > 0
        ? leaves.get(line.sku)!.map((leaf) => ({
            lineId: partLine(line.lineId, leaf.sku),
            sku: leaf.sku,
            quantity: kits.get(line.lineId)! * leaf.quantity,
            weightGrams: 0,
            allowBackorder,
            // A kit's components come from where the order names for its line, like the kit.
            shipFromLocationId: line.shipFromLocationId,
          }))
        : [],
    );
  const probe = plan({ ...order, lines: linesFor(unplaced, true) }, candidates, stock, relaxed, now);
  if (probe.status === 'rejected') return undefined;
  const kits = new Map<string, number>();
  for (const line of order.lines) {
    if (!unplaced.has(line.lineId)) continue;
    const made = leaves.get(line.sku)!.map((leaf) => {
      const units = probe.allocations
        .filter((a) => a.lineId === partLine(line.lineId, leaf.sku))
        .reduce((n, a) => n + a.quantity, 0);
      return Math.floor(units / leaf.quantity);
    });
    const count = Math.min(unplaced.get(line.lineId)!, ...made);
    if (count > 0) kits.set(line.lineId, count);
  }
  if (kits.size === 0) return undefined;
  const result = plan({ ...order, lines: linesFor(kits, false) }, candidates, stock, relaxed, now);
  return result.status === 'allocated' ? { result, kits } : undefined;
}

/**
 * A bundle line's split kits as allocation parts: each kit takes its components' units from the
 * split plan in allocation order; consecutive kits taking them alike form one group, with one
 * part per location naming the units per bundle it picks.
 */
function kitParts(lineId: string, sku: string, kits: number, split: PlanResult, leaves: BundleLeaves): Allocation[] {
  const queues = leaves.get(sku)!.map((leaf) => ({
    leaf,
    left: split.allocations
      .filter((a) => a.lineId === partLine(lineId, leaf.sku))
      .map((a) => ({ locationId: a.locationId, units: a.quantity })),
  }));
  const groups: { signature: string; count: number; at: Map<string, KitComponent[]> }[] = [];
  for (let kit = 0; kit < kits; kit++) {
    const at = new Map<string, KitComponent[]>();
    for (const { leaf, left } of queues) {
      let need = leaf.quantity;
      while (need > 0) {
        const source = left[0]!;
        const take = Math.min(need, source.units);
        at.set(source.locationId, [...(at.get(source.locationId) ?? []), { sku: leaf.sku, quantity: take }]);
        source.units -= take;
        need -= take;
        if (source.units === 0) left.shift();
      }
    }
    const signature = JSON.stringify([...at].sort(([x], [y]) => x.localeCompare(y)));
    const last = groups.at(-1);
    if (last?.signature === signature) last.count++;
    else groups.push({ signature, count: 1, at });
  }
  return groups.flatMap((group, n) =>
    [...group.at].map(([locationId, components]) => ({
      locationId,
      lineId,
      sku,
      quantity: group.count,
      kitGroup: `${lineId}#${n + 1}`,
      components,
    })),
  );
}

function mergeShipments(shipments: Shipment[]): Shipment[] {
  const byLocation = new Map<string, Shipment>();
  for (const s of shipments) {
    const seen = byLocation.get(s.locationId);
    if (seen) seen.lineIds = [...new Set([...seen.lineIds, ...s.lineIds])];
    else byLocation.set(s.locationId, { ...s, lineIds: [...s.lineIds] });
  }
  return [...byLocation.values()];
}

/**
 * The whole plan and the split kits as one result; undefined when units the rules do not let
 * wait are still unplaced.
 */
function merged(
  order: PlanOrder,
  rules: RoutingRules,
  whole: PlanResult,
  placed: PlanResult | null,
  split: Split,
  leaves: BundleLeaves,
): PlanResult | undefined {
  const allocations = [...(placed?.allocations ?? [])];
  const backorders: Backorder[] = [];
  const kitSplits: KitSplit[] = [];
  for (const line of order.lines) {
    const kits = split.kits.get(line.lineId) ?? 0;
    const parts = kits > 0 ? kitParts(line.lineId, line.sku, kits, split.result, leaves) : [];
    allocations.push(...parts);
    const done = (placed?.allocations ?? [])
      .filter((a) => a.lineId === line.lineId)
      .reduce((n, a) => n + a.quantity, kits);
    if (done < line.quantity) {
      if (!line.allowBackorder || rules.shipComplete) return undefined;
      backorders.push({ lineId: line.lineId, sku: line.sku, quantity: line.quantity - done });
    }
    if (kits > 0) kitSplits.push(describeSplit(line, kits, done - kits, split.result));
  }
  const base = placed ?? split.result;
  const shipments = mergeShipments([
    ...(placed?.shipments ?? []),
    ...split.result.shipments.map((s) => ({ ...s, lineIds: s.lineIds.map((id) => id.split('/')[0]!) })),
  ]);
  const notes = [...base.explanation.notes, ...kitSplits.map((k) => `${k.lineId} (${k.sku}): ${k.reason}`)];
  return {
    ...base,
    status: backorders.length > 0 ? 'partially_allocated' : 'allocated',
    deliveryMethod: whole.deliveryMethod,
    allocations,
    backorders,
    shortfalls: [],
    shipments,
    rejection: null,
    explanation: { ...base.explanation, notes, kitSplits },
  };
}

function describeSplit(line: PlanLine, kits: number, wholeKits: number, split: PlanResult): KitSplit {
  const components = split.allocations
    .filter((a) => a.lineId.startsWith(`${line.lineId}/`))
    .map((a) => ({ sku: a.sku, locationId: a.locationId, quantity: a.quantity }));
  const from = components.map((c) => `${c.quantity} × ${c.sku} from ${c.locationId}`).join(', ');
  const already = wholeKits > 0 ? ` beyond the ${wholeKits} placed whole` : '';
  return {
    lineId: line.lineId,
    sku: line.sku,
    quantity: kits,
    reason:
      `no eligible location holds every component of ${kits} more ${line.sku}${already}, ` +
      `and the rules allow a kit's components from different locations (bundles: split_components): ${from}.`,
    components,
  };
}
