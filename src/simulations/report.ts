import { toIso } from '../db/index.ts';
import type { PlanResult } from '../routing/index.ts';
import type { LocationRow, PastOrder } from './inputs.ts';
import { localDay, type Decisions } from './replay.ts';

/** The figures of one rule set over the replayed orders. */
interface RuleSetFigures {
  orders: number;
  allocated: number;
  partially_allocated: number;
  /** Orders no plan could route (capture would have refused them), by the planner's code. */
  unroutable: number;
  unroutable_by_code: Record<string, number>;
  backordered_orders: number;
  backordered_units: number;
  shipments: number;
  /** Shipments per order that ships at least once. */
  shipments_per_order: number;
  /** Share of shipping orders that ship from more than one location. */
  split_rate: number;
  distance_km: number;
  distance_km_per_shipment: number;
  /** Shipments whose distance could not be computed (no coordinates): counted as 0 km above. */
  shipments_without_distance: number;
  /** Estimated freight by currency, in minor units, from the rate tables of the rules. */
  shipping_cost: { currency: string; minor: number }[];
  /** Shipments promised within the channel's SLA. */
  on_time_shipments: number;
  on_time_rate: number;
  /** Orders every shipment of which is on time. */
  orders_on_time_rate: number;
  days_late: number;
}

type FigureDeltas = Omit<
  { [K in keyof RuleSetFigures]: RuleSetFigures[K] extends number ? number : never },
  'unroutable_by_code' | 'shipping_cost'
> & { shipping_cost: { currency: string; minor: number }[] };

/** Work one location would get from the replayed orders under each rule set. */
interface LocationLoad {
  location_id: string;
  name: string;
  /** Fulfillment orders per day it can take; null = unlimited. */
  daily_capacity: number | null;
  baseline: LoadFigures;
  draft: LoadFigures;
  /** Every local day with work under either rule set, in date order. */
  days: { date: string; baseline_orders: number; baseline_units: number; draft_orders: number; draft_units: number }[];
}

interface LoadFigures {
  orders: number;
  units: number;
  peak_day: string | null;
  peak_day_orders: number;
  days_over_capacity: number;
}

/** How one changed order was decided under each rule set, with both explanations. */
interface ChangedOrder {
  order_id: string;
  external_id: string;
  placed_at: string;
  baseline: DecisionSummary;
  draft: DecisionSummary;
}

interface DecisionSummary {
  status: PlanResult['status'];
  rejection: string | null;
  allocations: { line_id: string; sku: string; location_id: string; quantity: number }[];
  backordered_units: number;
  shipments: number;
  distance_km: number;
  cost: { currency: string; minor: number };
  days_late: number;
  explanation: PlanResult['explanation'];
}

const round = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places;
const ratio = (part: number, whole: number) => (whole === 0 ? 0 : round(part / whole, 4));

class Tally {
  orders = 0;
  allocated = 0;
  partially = 0;
  unroutable = 0;
  byCode = new Map<string, number>();
  backorderedOrders = 0;
  backorderedUnits = 0;
  shippingOrders = 0;
  splitOrders = 0;
  shipments = 0;
  distanceKm = 0;
  withoutDistance = 0;
  cost = new Map<string, number>();
  onTime = 0;
  ordersOnTime = 0;
  daysLate = 0;

  add(result: PlanResult): void {
    this.orders += 1;
    if (result.status === 'allocated') this.allocated += 1;
    else if (result.status === 'partially_allocated') this.partially += 1;
    else {
      this.unroutable += 1;
      const code = result.rejection?.code ?? 'rejected';
      this.byCode.set(code, (this.byCode.get(code) ?? 0) + 1);
    }
    const backordered = result.backorders.reduce((n, b) => n + b.quantity, 0);
    if (backordered > 0) this.backorderedOrders += 1;
    this.backorderedUnits += backordered;
    const shipments = result.shipments;
    if (shipments.length > 0) this.shippingOrders += 1;
    if (shipments.length > 1) this.splitOrders += 1;
    let late = 0;
    for (const s of shipments) {
      this.shipments += 1;
      if (s.distanceKm === null) this.withoutDistance += 1;
      else this.distanceKm += s.distanceKm;
      this.cost.set(result.currency, (this.cost.get(result.currency) ?? 0) + s.costMinor);
      if (s.daysLate === 0) this.onTime += 1;
      else late += 1;
      this.daysLate += s.daysLate;
    }
    if (shipments.length > 0 && late === 0) this.ordersOnTime += 1;
  }

  figures(): RuleSetFigures {
    return {
      orders: this.orders,
      allocated: this.allocated,
      partially_allocated: this.partially,
      unroutable: this.unroutable,
      unroutable_by_code: Object.fromEntries([...this.byCode].sort(([a], [b]) => a.localeCompare(b))),
      backordered_orders: this.backorderedOrders,
      backordered_units: this.backorderedUnits,
      shipments: this.shipments,
      shipments_per_order: ratio(this.shipments, this.shippingOrders),
      split_rate: ratio(this.splitOrders, this.shippingOrders),
      distance_km: round(this.distanceKm, 1),
      distance_km_per_shipment: ratio(this.distanceKm, this.shipments - this.withoutDistance),
      shipments_without_distance: this.withoutDistance,
      shipping_cost: [...this.cost]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([currency, minor]) => ({ currency, minor })),
      on_time_shipments: this.onTime,
      on_time_rate: ratio(this.onTime, this.shipments),
      orders_on_time_rate: ratio(this.ordersOnTime, this.shippingOrders),
      days_late: this.daysLate,
    };
  }
}

/** draft − baseline for every figure (freight per currency, a currency missing on one side counting 0). */
function deltas(baseline: RuleSetFigures, draft: RuleSetFigures): FigureDeltas {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(baseline) as (keyof RuleSetFigures)[]) {
    const a = baseline[key];
    const b = draft[key];
    if (typeof a === 'number' && typeof b === 'number') out[key] = round(b - a, 4);
  }
  const currencies = [...new Set([...baseline.shipping_cost, ...draft.shipping_cost].map((c) => c.currency))].sort();
  const costIn = (figures: RuleSetFigures, currency: string) =>
    figures.shipping_cost.find((c) => c.currency === currency)?.minor ?? 0;
  out.shipping_cost = currencies.map((currency) => ({
    currency,
    minor: costIn(draft, currency) - costIn(baseline, currency),
  }));
  return out as FigureDeltas;
}

/** Units and orders per location and local day, for one rule set. */
class Loads {
  readonly days = new Map<string, Map<string, { orders: number; units: number }>>();

  add(result: PlanResult, atMs: number, timezones: Map<string, string>): void {
    const units = new Map<string, number>();
    for (const a of result.allocations) units.set(a.locationId, (units.get(a.locationId) ?? 0) + a.quantity);
    for (const [location, n] of units) {
      const day = localDay(atMs, timezones.get(location) ?? 'UTC');
      const byDay = this.days.get(location) ?? new Map<string, { orders: number; units: number }>();
      const load = byDay.get(day) ?? { orders: 0, units: 0 };
      load.orders += 1;
      load.units += n;
      byDay.set(day, load);
      this.days.set(location, byDay);
    }
  }
}

function loadFigures(
  byDay: Map<string, { orders: number; units: number }> | undefined,
  capacity: number | null,
): LoadFigures {
  let orders = 0;
  let units = 0;
  let peakDay: string | null = null;
  let peak = 0;
  let over = 0;
  for (const [day, load] of [...(byDay ?? [])].sort(([a], [b]) => a.localeCompare(b))) {
    orders += load.orders;
    units += load.units;
    if (load.orders > peak) [peak, peakDay] = [load.orders, day];
    if (capacity !== null && load.orders > capacity) over += 1;
  }
  return { orders, units, peak_day: peakDay, peak_day_orders: peak, days_over_capacity: over };
}

/** Whether two decisions differ: another outcome, or other units at other locations. */
function decisionChanged(a: PlanResult, b: PlanResult): boolean {
  if (a.status !== b.status || a.deliveryMethod !== b.deliveryMethod) return true;
  return allocationKey(a) !== allocationKey(b);
}

const allocationKey = (result: PlanResult) =>
  result.allocations
    .map((a) => `${a.lineId}\u0000${a.locationId}\u0000${a.sku}\u0000${a.quantity}`)
    .sort()
    .join('\u0001');

function summary(result: PlanResult): DecisionSummary {
  return {
    status: result.status,
    rejection: result.rejection?.code ?? null,
    allocations: result.allocations.map((a) => ({
      line_id: a.lineId,
      sku: a.sku,
      location_id: a.locationId,
      quantity: a.quantity,
    })),
    backordered_units: result.backorders.reduce((n, b) => n + b.quantity, 0),
    shipments: result.shipments.length,
    distance_km: round(
      result.shipments.reduce((n, s) => n + (s.distanceKm ?? 0), 0),
      1,
    ),
    cost: { currency: result.currency, minor: result.shipments.reduce((n, s) => n + s.costMinor, 0) },
    days_late: result.shipments.reduce((n, s) => n + s.daysLate, 0),
    explanation: result.explanation,
  };
}

export function changedOrder(order: PastOrder, [baseline, draft]: Decisions): ChangedOrder {
  return {
    order_id: order.order.id,
    external_id: order.externalId,
    placed_at: toIso(order.order.placed_at)!,
    baseline: summary(baseline),
    draft: summary(draft),
  };
}

/** Adds up replayed decisions into both rule sets' figures and their locations' load. */
export class SimulationReport {
  private readonly tallies = [new Tally(), new Tally()] as const;
  private readonly loads = [new Loads(), new Loads()] as const;
  private readonly timezones: Map<string, string>;
  changed = 0;

  constructor(private readonly locations: readonly LocationRow[]) {
    this.timezones = new Map(locations.map((l) => [l.id, l.timezone]));
  }

  /** Counts one order's decisions; true when they differ. */
  add(order: PastOrder, decisions: Decisions): boolean {
    decisions.forEach((result, i) => {
      this.tallies[i]!.add(result);
      this.loads[i]!.add(result, order.receivedAtMs, this.timezones);
    });
    const changed = decisionChanged(decisions[0], decisions[1]);
    if (changed) this.changed += 1;
    return changed;
  }

  figures(): { baseline: RuleSetFigures; draft: RuleSetFigures; delta: FigureDeltas } {
    const baseline = this.tallies[0].figures();
    const draft = this.tallies[1].figures();
    return { baseline, draft, delta: deltas(baseline, draft) };
  }

  /** Every location with work under either rule set, by ID. */
  load(): LocationLoad[] {
    const [a, b] = this.loads;
    return this.locations
      .filter((l) => a.days.has(l.id) || b.days.has(l.id))
      .map((l) => {
        const dates = [...new Set([...(a.days.get(l.id)?.keys() ?? []), ...(b.days.get(l.id)?.keys() ?? [])])].sort();
        return {
          location_id: l.id,
          name: l.name,
          daily_capacity: l.daily_capacity,
          baseline: loadFigures(a.days.get(l.id), l.daily_capacity),
          draft: loadFigures(b.days.get(l.id), l.daily_capacity),
          days: dates.map((date) => {
            const x = a.days.get(l.id)?.get(date);
            const y = b.days.get(l.id)?.get(date);
            return {
              date,
              baseline_orders: x?.orders ?? 0,
              baseline_units: x?.units ?? 0,
              draft_orders: y?.orders ?? 0,
              draft_units: y?.units ?? 0,
            };
          }),
        };
      });
  }
}
