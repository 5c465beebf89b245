import { Type, type TProperties } from '@sinclair/typebox';

/** The answers of the reports, for the OpenAPI document (definitions: docs/reports.md). */
const Nullable = (description: string) => Type.Union([Type.Number(), Type.Null()], { description });
const Int = Type.Integer();
const Text = Type.String();

const period = { from: Type.String({ format: 'date' }), to: Type.String({ format: 'date' }) };

const report = (properties: TProperties) =>
  Type.Object({
    name: Text,
    ...period,
    generated_at: Type.String({ format: 'date-time' }),
    channel: Type.Union([Type.String(), Type.Null()], { description: 'The channel the figures are limited to' }),
    ...properties,
    previous: Type.Optional(
      Type.Object(
        { ...period, ...properties },
        { description: 'With compare=previous: the same figures over the same number of days just before' },
      ),
    ),
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

const overstockLevel = {
  ...stockLevel,
  units_sold: Int,
  days_of_cover: Nullable('available ÷ daily units sold'),
};

export const reportResponses = {
  'orders-per-day': report({
    days: Type.Array(Type.Object({ day: Type.String({ format: 'date' }), orders: Int }), {
      description: 'Every day of the range with its orders over all channels, zero included',
    }),
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
    stock_outs_total: Type.Integer({ description: 'Stock-outs in all, also past the list’s cap' }),
    overstock: Type.Array(Type.Object(overstockLevel)),
    overstock_total: Type.Integer({ description: 'Overstocked levels in all, also past the list’s cap' }),
  }),
  'top-channels': report({ rows: Type.Array(Type.Object(channelTotal)) }),
} as const;

export type ReportName = keyof typeof reportResponses;
