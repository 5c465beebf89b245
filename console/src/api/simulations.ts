/** Routing simulations (`/v1/routing/simulations`): shapes of the contract (docs/routing-simulation.md). */
import type { RoutingDecision } from './types.ts';

export type StockBasis = 'ledger' | 'replay' | 'snapshot';

export type SimulationRequest = { rules_version: number; channel?: string } & (
  { from: string; to: string; stock_basis: StockBasis } | { order_set: string }
);

/** An uploaded set of orders to simulate instead of a period's (`/v1/routing/order-sets`). */
export interface OrderSet {
  id: string;
  name: string;
  stock_at: string;
  orders: number;
  first_placed_at: string;
  last_placed_at: string;
  created_at: string;
}

export interface RuleSetFigures {
  orders: number;
  allocated: number;
  partially_allocated: number;
  unroutable: number;
  unroutable_by_code: Record<string, number>;
  backordered_orders: number;
  backordered_units: number;
  shipments: number;
  shipments_per_order: number;
  split_rate: number;
  distance_km: number;
  distance_km_per_shipment: number;
  shipments_without_distance: number;
  shipping_cost: { currency: string; minor: number }[];
  on_time_shipments: number;
  on_time_rate: number;
  orders_on_time_rate: number;
  days_late: number;
}

interface LoadFigures {
  orders: number;
  units: number;
  peak_day: string | null;
  peak_day_orders: number;
  days_over_capacity: number;
}

export interface LocationLoad {
  location_id: string;
  name: string;
  daily_capacity: number | null;
  baseline: LoadFigures;
  draft: LoadFigures;
  days: { date: string; baseline_orders: number; baseline_units: number; draft_orders: number; draft_units: number }[];
}

export interface SimulationResult {
  period: { from: string; to: string };
  order_set?: { id: string; name: string; stock_at: string };
  channel_id: string | null;
  stock_basis: StockBasis;
  stock_basis_note: string;
  rule_sets: { baseline: { version: number | null }; draft: { version: number | null } };
  orders: number;
  changed_orders: number;
  baseline: RuleSetFigures;
  draft: RuleSetFigures;
  delta: Record<string, unknown>;
  load: LocationLoad[];
}

export interface Simulation {
  id: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  parameters: {
    from: string;
    to: string;
    order_set_id?: string | null;
    channel_id: string | null;
    stock_basis: StockBasis;
    baseline_version: number | null;
    draft_version: number | null;
  };
  progress: { orders_done: number; orders_total: number | null };
  changed_orders: number | null;
  error: string | null;
  created_at: string;
  finished_at: string | null;
  result: SimulationResult | null;
}

type Explanation = NonNullable<RoutingDecision['explanation']['explanation']>;

export interface DecisionSummary {
  status: string;
  rejection: string | null;
  allocations: { line_id: string; sku: string; location_id: string; quantity: number }[];
  backordered_units: number;
  shipments: number;
  distance_km: number;
  cost: { currency: string; minor: number };
  days_late: number;
  explanation: Explanation;
}

export interface ChangedOrder {
  order_id: string;
  external_id: string;
  placed_at: string;
  baseline: DecisionSummary;
  draft: DecisionSummary;
}
