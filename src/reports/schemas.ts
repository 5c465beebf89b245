import { Type, type TProperties } from '@sinclair/typebox';

/** The answers of the reports, for the OpenAPI document (definitions: docs/reports.md). */
const Nullable = (description: string) => Type.Union([Type.Number(), Type.Null()], { description });
const Int = Type.Integer();
const Text = Type.String();

const report = (properties: TProperties) =>
  Type.Object({
    name: Text,
    from: Type.String({ format: 'date' }),
    to: Type.String({ format: 'date' }),
    generated_at: Type.String({ format: 'date-time' }),
    channel: Type.Union([Type.String(), Type.Null()], { description: 'The channel the figures are limited to' }),
    ...properties,
  });

const channelTotal = { channel_id: Text, channel_name: Text, currency: Text, orders: Int, revenue_minor: Int };
const stockLevel = {
  sku: Text,
  product_name: Text,
  location_id: Text,
  location_name: Text,
  on_hand: Int,
  reserved: Int,
  safety_stock: Int,
  available: Int,
};

export const reportResponses = {
  'orders-per-day': report({
    rows: Type.Array(Type.Object({ day: Type.String({ format: 'date' }), ...channelTotal })),
    totals: Type.Array(Type.Object(channelTotal)),
  }),
  fulfillment: report({
    orders: Int,
    shipped_orders: Int,
    fulfillment_rate: Nullable('Fully shipped ÷ not cancelled as a whole'),
    avg_hours_to_ship: Nullable('Mean hours from placement to the first shipment'),
    p90_hours_to_ship: Nullable('90th percentile (interpolated) of the same'),
    sla_hours: Int,
    sla_hit_rate: Nullable('Shipped within sla_hours ÷ shipped or overdue'),
    split_shipment_rate: Nullable('More than one shipment or location ÷ shipped'),
    cancellation_rate: Nullable('Orders with a cancelled unit ÷ orders'),
    return_rate: Nullable('Units returned ÷ units delivered'),
  }),
  'inventory-turnover': report({
    rows: Type.Array(
      Type.Object({
        location_id: Text,
        location_name: Text,
        units_shipped: Int,
        on_hand: Int,
        turnover: Nullable('units_shipped ÷ on_hand'),
      }),
    ),
  }),
  'stock-health': report({
    overstock_days: Int,
    stock_outs: Type.Array(Type.Object(stockLevel)),
    overstock: Type.Array(
      Type.Object({ ...stockLevel, units_sold: Int, days_of_cover: Nullable('available ÷ daily units sold') }),
    ),
  }),
  'top-channels': report({ rows: Type.Array(Type.Object(channelTotal)) }),
} as const;

export type ReportName = keyof typeof reportResponses;
