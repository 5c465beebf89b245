/** The reports and customers API (`GET /v1/reports/{name}`, `GET /v1/customers`): shapes of the contract. */
import type { ReturnRecord } from './returns.ts';
import type { OrderSummary } from './types.ts';

export interface ReportRange {
  from: string;
  to: string;
  channel?: string | undefined;
}

interface ReportHeader {
  name: string;
  from: string;
  to: string;
  generated_at: string;
}

/** With `compare=previous`: the same figures over the same number of days just before `from`. */
export type WithPrevious<T extends ReportHeader> = T & {
  previous?: Omit<T, 'name' | 'generated_at'>;
};

export interface OrdersPerDayRow {
  day: string;
  channel_id: string;
  channel_name: string;
  currency: string;
  orders: number;
  revenue_minor: number;
}

export interface OrdersPerDayReport extends ReportHeader {
  /** Every day of the range, zero included. */
  days: { day: string; orders: number }[];
  rows: OrdersPerDayRow[];
  totals: Omit<OrdersPerDayRow, 'day'>[];
}

export interface FulfillmentReport extends ReportHeader {
  orders: number;
  shipped_orders: number;
  fulfillment_rate: number | null;
  avg_hours_to_ship: number | null;
  p90_hours_to_ship: number | null;
  sla_hours: number;
  sla_hit_rate: number | null;
  split_shipment_rate: number | null;
  cancellation_rate: number | null;
  return_rate: number | null;
}

export interface TurnoverReport extends ReportHeader {
  rows: {
    location_id: string;
    location_name: string;
    units_shipped: number;
    on_hand: number;
    turnover: number | null;
  }[];
}

export interface StockRow {
  sku: string;
  product_name: string;
  location_id: string;
  location_name: string;
  on_hand: number;
  reserved: number;
  safety_stock: number;
  available: number;
}

export interface StockHealthReport extends ReportHeader {
  stock_outs: StockRow[];
  stock_outs_total: number;
  overstock: (StockRow & { units_sold: number; days_of_cover: number | null })[];
  overstock_total: number;
  overstock_days: number;
}

export interface TopChannelsReport extends ReportHeader {
  rows: { channel_id: string; channel_name: string; orders: number; revenue_minor: number; currency: string }[];
}

export interface CustomerSummary {
  email: string;
  name: string | null;
  orders: number;
  first_order_at: string;
  last_order_at: string;
  channels: string[];
}

export interface Customer360 {
  email: string;
  name: string | null;
  orders: OrderSummary[];
  returns: ReturnRecord[];
  totals: { currency: string; orders: number; spent_minor: number; refunded_minor: number }[];
  channels: string[];
}
