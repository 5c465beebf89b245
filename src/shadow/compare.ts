import type { PlanResult } from '../routing/index.ts';
import type { ShadowLine } from './orders.ts';

/**
 * Reconciliation, pure: a shadow channel's orders as Consign decided them against what the legacy
 * system says it did (docs/shadow-mode.md says what each kind of difference means).
 */
export const differenceKinds = ['only_in_consign', 'only_in_legacy', 'status', 'allocation', 'money', 'stock'] as const;
type DifferenceKind = (typeof differenceKinds)[number];

export const outcomeKinds = ['allocation', 'shipment', 'cancellation', 'status', 'money'] as const;

/** Where an order stands once routed: what both sides are compared on. */
type Stage = 'open' | 'allocated' | 'backordered' | 'rejected' | 'cancelled';

export interface ConsignOrder {
  external_id: string;
  placed_at: string;
  total_minor: number;
  shipping_minor: number;
  currency: string;
  lines: ShadowLine[];
  decision: PlanResult;
}

export interface LegacyOutcome {
  external_id: string;
  kind: (typeof outcomeKinds)[number];
  sku: string | null;
  location_id: string | null;
  quantity: number | null;
  status: string | null;
  total_minor: number | null;
  captured_minor: number | null;
  refunded_minor: number | null;
  placed_at: string | null;
  /** When it happened (else when Consign received it): outcomes apply in this order. */
  at: string;
}

export interface StockCount {
  sku: string;
  location_id: string;
  as_of: string;
  legacy_on_hand: number;
  consign_on_hand: number;
}

/** Units per location of one SKU. */
interface Placement {
  location_id: string;
  quantity: number;
}

export interface Difference {
  /** The UTC day it belongs to: the order's placement, or the stock count's. */
  day: string;
  kind: DifferenceKind;
  external_id: string | null;
  sku: string | null;
  location_id: string | null;
  /** status, allocation, on_hand, or the money field (total, captured, refunded). */
  field: string | null;
  consign: string | number | Placement[] | null;
  legacy: string | number | Placement[] | null;
  /** Consign's explanation of its decision, for order differences. */
  explanation: string | null;
}

const statusStage: Record<string, Stage> = {
  created: 'open',
  confirmed: 'allocated',
  in_process: 'allocated',
  allocated: 'allocated',
  partially_shipped: 'allocated',
  shipped: 'allocated',
  partially_delivered: 'allocated',
  delivered: 'allocated',
  backordered: 'backordered',
  rejected: 'rejected',
  cancelled: 'cancelled',
};

/**
 * The statuses a legacy system may report: Consign's order statuses, and the routing outcomes
 * `allocated`, `backordered` and `rejected`.
 */
export const legacyStatuses: readonly string[] = Object.keys(statusStage);

const consignStage = (decision: PlanResult): Stage =>
  decision.status === 'allocated' ? 'allocated' : decision.status === 'rejected' ? 'rejected' : 'backordered';

const dayOf = (instant: string) => instant.slice(0, 10);

function placementsOf(rows: { sku: string; location_id: string; quantity: number }[]): Map<string, Placement[]> {
  const bySku = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const at = bySku.get(r.sku) ?? new Map<string, number>();
    at.set(r.location_id, (at.get(r.location_id) ?? 0) + r.quantity);
    bySku.set(r.sku, at);
  }
  return new Map(
    [...bySku].map(([sku, at]) => [
      sku,
      [...at]
        .map(([location_id, quantity]) => ({ location_id, quantity }))
        .sort((a, b) => a.location_id.localeCompare(b.location_id)),
    ]),
  );
}

/** What the legacy system's outcomes of one order say, applied in the order they happened. */
export function legacyView(outcomes: LegacyOutcome[]) {
  const sorted = [...outcomes].sort((a, b) => a.at.localeCompare(b.at));
  const units = (kind: 'allocation' | 'shipment') =>
    sorted.flatMap((o) =>
      o.kind === kind ? [{ sku: o.sku!, location_id: o.location_id!, quantity: o.quantity! }] : [],
    );
  const allocations = units('allocation');
  const shipments = units('shipment');
  const statuses = sorted.filter((o) => o.kind === 'status');
  const cancelled =
    sorted.some((o) => o.kind === 'cancellation' && o.sku === null) || statuses.at(-1)?.status === 'cancelled';
  const reported = statuses.length > 0 ? statusStage[statuses.at(-1)!.status!]! : 'open';
  let stage: Stage = reported;
  if (cancelled) stage = 'cancelled';
  else if (reported === 'open' && (allocations.length > 0 || shipments.length > 0)) stage = 'allocated';
  const money = { total: null, captured: null, refunded: null } as Record<MoneyField, number | null>;
  for (const o of sorted.filter((m) => m.kind === 'money')) {
    money.total = o.total_minor ?? money.total;
    money.captured = o.captured_minor ?? money.captured;
    money.refunded = o.refunded_minor ?? money.refunded;
  }
  const placedAt = sorted.find((o) => o.placed_at)?.placed_at ?? sorted[0]!.at;
  return {
    stage,
    // Allocations as reported; an order reported only as shipped was allocated where it shipped.
    placements: placementsOf(allocations.length > 0 ? allocations : shipments),
    shipped: shipments,
    money,
    day: dayOf(placedAt),
  };
}

type MoneyField = 'total' | 'captured' | 'refunded';

/**
 * What Consign would have captured and refunded given the legacy system's shipments and
 * cancellation: each shipped unit its line's amount share (the whole total once every unit
 * shipped, shipping with the first shipment); a cancelled order refunds what was captured.
 */
export function expectedMoney(order: ConsignOrder, view: ReturnType<typeof legacyView>): Record<MoneyField, number> {
  const shippedBySku = new Map<string, number>();
  for (const s of view.shipped) shippedBySku.set(s.sku, (shippedBySku.get(s.sku) ?? 0) + s.quantity);
  let units = 0;
  let shippedUnits = 0;
  let captured = 0;
  for (const line of order.lines) {
    const shipped = Math.min(line.quantity, shippedBySku.get(line.sku) ?? 0);
    shippedBySku.set(line.sku, (shippedBySku.get(line.sku) ?? 0) - shipped);
    units += line.quantity;
    shippedUnits += shipped;
    captured += Math.floor((line.amount_minor * shipped) / line.quantity);
  }
  if (shippedUnits === units) captured = order.total_minor;
  else if (shippedUnits > 0) captured += order.shipping_minor;
  return { total: order.total_minor, captured, refunded: view.stage === 'cancelled' ? captured : 0 };
}

const sameUnits = (a: Placement[] = [], b: Placement[] = []) =>
  a.length === b.length && a.every((p, i) => p.location_id === b[i]!.location_id && p.quantity === b[i]!.quantity);

/** The differences of an order both sides have. */
export function compareOrder(order: ConsignOrder, outcomes: LegacyOutcome[]): Difference[] {
  const view = legacyView(outcomes);
  const explanation = order.decision.explanation.summary;
  const base = { day: dayOf(order.placed_at), external_id: order.external_id, location_id: null, explanation };
  const differences: Difference[] = [];
  const ours = consignStage(order.decision);
  if (view.stage !== 'open' && view.stage !== 'cancelled' && view.stage !== ours)
    differences.push({ ...base, kind: 'status', sku: null, field: 'status', consign: ours, legacy: view.stage });
  const routed = (stage: Stage) => stage === 'allocated' || stage === 'backordered';
  if (routed(ours) && routed(view.stage)) {
    const consign = placementsOf(order.decision.allocations.map((a) => ({ ...a, location_id: a.locationId })));
    for (const sku of [...new Set([...consign.keys(), ...view.placements.keys()])].sort()) {
      if (sameUnits(consign.get(sku), view.placements.get(sku))) continue;
      differences.push({
        ...base,
        kind: 'allocation',
        sku,
        field: 'allocation',
        consign: consign.get(sku) ?? [],
        legacy: view.placements.get(sku) ?? [],
      });
    }
  }
  const expected = expectedMoney(order, view);
  for (const field of ['total', 'captured', 'refunded'] as const) {
    const legacy = view.money[field];
    if (legacy === null || legacy === expected[field]) continue;
    differences.push({ ...base, kind: 'money', sku: null, field, consign: expected[field], legacy });
  }
  return differences;
}

/** Every difference of a window: orders of one side only, then each order's, then stock. */
export function reconcile(orders: ConsignOrder[], outcomes: LegacyOutcome[], stock: StockCount[]): Difference[] {
  const byOrder = new Map<string, LegacyOutcome[]>();
  for (const o of outcomes) byOrder.set(o.external_id, [...(byOrder.get(o.external_id) ?? []), o]);
  const differences: Difference[] = [];
  const none = { sku: null, location_id: null, field: null };
  for (const order of orders) {
    const theirs = byOrder.get(order.external_id);
    byOrder.delete(order.external_id);
    if (theirs) differences.push(...compareOrder(order, theirs));
    else
      differences.push({
        ...none,
        day: dayOf(order.placed_at),
        kind: 'only_in_consign',
        external_id: order.external_id,
        consign: consignStage(order.decision),
        legacy: null,
        explanation: order.decision.explanation.summary,
      });
  }
  for (const [externalId, theirs] of byOrder) {
    const view = legacyView(theirs);
    differences.push({
      ...none,
      day: view.day,
      kind: 'only_in_legacy',
      external_id: externalId,
      consign: null,
      legacy: view.stage,
      explanation: null,
    });
  }
  for (const count of stock) {
    if (count.legacy_on_hand === count.consign_on_hand) continue;
    differences.push({
      day: dayOf(count.as_of),
      kind: 'stock',
      external_id: null,
      sku: count.sku,
      location_id: count.location_id,
      field: 'on_hand',
      consign: count.consign_on_hand,
      legacy: count.legacy_on_hand,
      explanation: null,
    });
  }
  return differences.sort((a, b) => a.day.localeCompare(b.day));
}

/** Drift over time: how many differences of each kind each day has. */
export function differencesByDay(differences: Difference[]) {
  const days = new Map<string, Record<DifferenceKind, number>>();
  for (const d of differences) {
    const counts =
      days.get(d.day) ?? (Object.fromEntries(differenceKinds.map((k) => [k, 0])) as Record<DifferenceKind, number>);
    counts[d.kind]++;
    days.set(d.day, counts);
  }
  return [...days].map(([day, counts]) => ({
    day,
    ...counts,
    total: Object.values(counts).reduce((a, b) => a + b, 0),
  }));
}
