import type { FulfillmentReport, OrdersPerDayReport } from '../api/reports.ts';
import type { Series } from '../ui/charts.tsx';

/** Orders and revenue per day, one series per channel (revenue in the most common currency). */
export function ordersChart(report: OrdersPerDayReport) {
  const days = [...new Set(report.rows.map((r) => r.day))].sort();
  const currencies = new Map<string, number>();
  for (const r of report.rows) currencies.set(r.currency, (currencies.get(r.currency) ?? 0) + r.orders);
  const currency = [...currencies].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'USD';
  const channels = [...new Map(report.rows.map((r) => [r.channel_id, r.channel_name]))];
  const series = (pick: (row: OrdersPerDayReport['rows'][number]) => number, onlyCurrency: boolean): Series[] =>
    channels.map(([id, name]) => ({
      name,
      values: days.map((day) =>
        report.rows
          .filter((r) => r.day === day && r.channel_id === id && (!onlyCurrency || r.currency === currency))
          .reduce((sum, r) => sum + pick(r), 0),
      ),
    }));
  return { days, currency, orders: series((r) => r.orders, false), revenue: series((r) => r.revenue_minor, true) };
}

export function fulfillmentMetrics(report: FulfillmentReport) {
  return [
    { key: 'orders', label: 'Orders', value: report.orders, kind: 'count' },
    { key: 'shipped_orders', label: 'Shipped orders', value: report.shipped_orders, kind: 'count' },
    { key: 'fulfillment_rate', label: 'Fulfillment rate', value: report.fulfillment_rate, kind: 'rate' },
    { key: 'avg_hours_to_ship', label: 'Average time to ship', value: report.avg_hours_to_ship, kind: 'hours' },
    { key: 'p90_hours_to_ship', label: 'p90 time to ship', value: report.p90_hours_to_ship, kind: 'hours' },
    { key: 'sla_hit_rate', label: `SLA hit rate (${report.sla_hours} h)`, value: report.sla_hit_rate, kind: 'rate' },
    { key: 'split_shipment_rate', label: 'Split-shipment rate', value: report.split_shipment_rate, kind: 'rate' },
    { key: 'cancellation_rate', label: 'Cancellation rate', value: report.cancellation_rate, kind: 'rate' },
    { key: 'return_rate', label: 'Return rate', value: report.return_rate, kind: 'rate' },
  ] as const;
}
