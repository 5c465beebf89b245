/** Shapes of the core API resources the console reads (see /openapi.json). */
import type { LinkedOrder } from './returns.ts';
import type { Money } from '../ui/format.ts';

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
  /** Lists that count: how many match the filters (`total_is_exact` false: at least this many). */
  total?: number;
  total_is_exact?: boolean;
}

/** A page of a list that also counts its rows on every page. */
export interface CountedPage<T> extends Page<T> {
  total: number;
}

export interface OrderSummary {
  id: string;
  channel_id: string;
  external_id: string;
  status: string;
  on_hold: boolean;
  /** Why it needs attention: on_hold, routing_failed, backordered, late. */
  attention?: string[];
  customer: { email: string; name?: string };
  delivery_method: string;
  total: Money;
  lines: number;
  units: number;
  placed_at: string;
}

export interface LineQuantities {
  ordered: number;
  allocated: number;
  backordered: number;
  cancelled: number;
  shipped: number;
  delivered: number;
  return_requested: number;
  returned: number;
  refunded: number;
}

export interface OrderLine {
  line_id: string;
  sku: string;
  name: string | null;
  quantity: number;
  unit_price: Money;
  discount: Money;
  tax: Money;
  quantities: LineQuantities;
  /** When the line's waiting units are due from stock or inbound supply; null if none wait or some have no supply. */
  promised_on: string | null;
}

export interface FulfillmentOrderLine {
  line_id: string;
  sku: string;
  name?: string | null;
  components?: { sku: string; quantity: number }[];
  quantity: number;
  status: string;
}

export interface TrackingEvent {
  status: string;
  occurred_at?: string;
  at?: string;
  description?: string | null;
  location?: string | null;
  [extra: string]: unknown;
}

export interface Shipment {
  id: string;
  fulfillment_order_id: string;
  location_id: string;
  carrier: string;
  service: string | null;
  tracking_number: string | null;
  status: string;
  shipped_at: string | null;
  delivered_at: string | null;
  lines: { line_id: string; sku: string; quantity: number }[];
  tracking: TrackingEvent[];
}

export interface Payment {
  id: string;
  kind: string;
  status: string;
  amount: Money;
  gateway: string;
  reference: string | null;
  created_at: string;
}

export interface Invoice {
  id: string;
  kind: string;
  number: string;
  total: Money;
  issued_at: string;
  pdf_url: string;
}

export interface TimelineEntry {
  id: string;
  type: string;
  at: string;
  actor: string | null;
  data: Record<string, unknown>;
}

export interface Hold {
  id: number;
  kind: string;
  reason: string | null;
  /** Who placed the hold: the acting key (or person) the server recorded; null for the system. */
  created_by: string | null;
  created_at?: string;
  released_at?: string | null;
  released_by?: string | null;
}

export interface OrderNote {
  id: string;
  text: string;
  author: string | null;
  created_at: string | null;
}

export interface Order {
  id: string;
  channel_id: string;
  external_id: string;
  status: string;
  version: number;
  /** False: imported from a previous system as it was; Consign shows it but never acts on it. */
  managed: boolean;
  on_hold: boolean;
  customer: { name?: string; email: string };
  shipping_address: Record<string, unknown> | null;
  delivery_method: string;
  pickup_location_id: string | null;
  subtotal: Money;
  discount: Money;
  shipping: Money;
  tax: Money;
  /** The current version's total. */
  total: Money;
  /** What the order comes to now: cancelled units (and, when nothing is left, the shipping) taken off. */
  current_total: Money;
  tags: string[];
  notes: OrderNote[];
  placed_at: string;
  lines: OrderLine[];
  fulfillment_orders: {
    id: string;
    location_id: string;
    delivery_method: string;
    status: string;
    lines: FulfillmentOrderLine[];
  }[];
  shipments: Shipment[];
  payments: Payment[];
  invoices: Invoice[];
  linked_orders: LinkedOrder[];
  holds: Hold[];
  timeline: TimelineEntry[];
  /** What the order's caller should know and fix, e.g. a delivery address routing could not locate. */
  warnings: { code: string; detail: string }[];
}

export interface RoutingCandidate {
  locationId: string;
  name: string;
  type: string;
  eligible: boolean;
  chosen: boolean;
  excludedBy: { code: string; reason: string }[];
  scores: { distanceKm: number | null; costMinor: number | null; promisedDate: string | null; daysLate: number };
}

export interface RoutingDecision {
  id: number;
  cause: string;
  rules_version: number | null;
  outcome: string;
  created_at?: string;
  /** The decision in one plain sentence: where, why, and what the runner-up would have cost. */
  explanation_text?: string | null;
  explanation: {
    explanation?: {
      summary?: string;
      candidates?: RoutingCandidate[];
      /** The locations of the group holding none of the order's SKUs: counted, not listed. */
      omitted?: { count: number; summary: string };
    };
    allocations?: { sku: string; lineId: string; quantity: number; locationId: string }[];
    /** The currency of every freight amount: the rate table's that priced the order. */
    currency?: string;
  };
}

export interface Location {
  id: string;
  code: string;
  type: string;
  name: string;
  capabilities: string[];
  /** Fulfillment orders a day; null = no limit. */
  daily_capacity?: number | null;
}

export interface LocationGroup {
  id: string;
  code: string;
  name: string;
  location_ids: string[];
}

export interface Channel {
  id: string;
  code: string;
  name: string;
  type: string;
  currency: string;
}

export interface StockLevel {
  location_id: string;
  sku: string;
  product_name: string | null;
  on_hand: number;
  reserved: number;
  safety_stock: number;
  available: number;
}

export interface Availability {
  sku: string;
  available: number;
  on_hand: number;
  reserved: number;
  locations: { location_id: string; available: number; on_hand: number; reserved: number; safety_stock: number }[];
}

export interface LedgerEntry {
  id: number;
  location_id: string;
  sku: string;
  kind: string;
  on_hand_delta: number;
  reserved_delta: number;
  on_hand_after: number;
  reserved_after: number;
  reason: string | null;
  reference_type: string | null;
  reference_id: string | null;
  actor: string | null;
  occurred_at: string;
}

export interface QueueItem {
  id: string;
  order_id: string;
  order_external_id: string;
  customer_name: string | null;
  location_id: string;
  delivery_method: string;
  status: string;
  order_on_hold: boolean;
  shipping_address?: Record<string, string | undefined> | null;
  order_placed_at?: string;
  due_at?: string;
  late?: boolean;
  at_risk?: boolean;
  shipments?: { id: string; carrier: string; tracking_number: string | null }[];
  lines: FulfillmentOrderLine[];
  created_at: string;
  shipment_id?: string;
  pickup_code?: string;
}

export interface QueueCounts {
  by_status: Record<string, number>;
  open: number;
  late: number;
  at_risk: number;
}

export interface SearchHit {
  kind: 'order' | 'customer' | 'sku' | 'return';
  id: string;
  label: string;
  detail: string;
  exact: boolean;
}
