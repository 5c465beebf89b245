import type { FulfillmentReport, OrdersPerDayReport, WithPrevious } from '../api/reports.ts';
import type { Series } from '../ui/charts.tsx';
import { formatHours, formatMinor, formatRate } from '../ui/format.ts';

/** The currency with the most orders: revenue is charted in it (amounts are never converted). */
export function mainCurrency(report: Pick<OrdersPerDayReport, 'totals'>) {
  const currencies = new Map<string, number>();
  for (const t of report.totals) currencies.set(t.currency, (currencies.get(t.currency) ?? 0) + t.orders);
  return [...currencies].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'USD';
}

/** Orders and revenue per day, one series per channel; every day of the range, zero on days without orders. */
export function ordersChart(report: OrdersPerDayReport) {
  const days = report.days.map((d) => d.day);
  const currency = mainCurrency(report);
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

type Kind = 'count' | 'rate' | 'hours' | 'money';

export interface Figure {
  key: string;
  label: string;
  /** What the figure counts, shown beside it. */
  definition: string;
  value: number | null;
  previous: number | null | undefined;
  kind: Kind;
  currency?: string;
}

export function formatFigure(kind: Kind, value: number | null | undefined, currency = 'USD'): string {
  if (value == null) return '—';
  if (kind === 'rate') return formatRate(value);
  if (kind === 'hours') return formatHours(value);
  if (kind === 'money') return formatMinor(value, currency);
  return String(value);
}

const signed = (n: number, text: string) => (n > 0 ? `+${text}` : n < 0 ? `−${text.replace(/^-/, '')}` : text);

/**
 * The change from the previous period: rates in percentage points, hours in hours, counts and
 * money as the difference and the relative change. Undefined when either side has no value.
 */
export function formatChange(figure: Figure): string | undefined {
  const { value, previous, kind } = figure;
  if (value == null || previous == null) return undefined;
  const delta = value - previous;
  if (kind === 'rate') return `${signed(delta, (Math.abs(delta) * 100).toFixed(1))} pts`;
  if (kind === 'hours') return `${signed(delta, Math.abs(delta).toFixed(2))} h`;
  const amount = kind === 'money' ? formatMinor(Math.abs(delta), figure.currency ?? 'USD') : String(Math.abs(delta));
  const relative = previous === 0 ? '' : ` (${signed(delta, `${((Math.abs(delta) / previous) * 100).toFixed(1)}%`)})`;
  return `${signed(delta, amount)}${relative}`;
}

/** Orders and revenue over the whole range (revenue in the main currency), beside the previous period's. */
export function orderFigures(report: WithPrevious<OrdersPerDayReport>): Figure[] {
  const currency = mainCurrency(report);
  const sum = (
    totals: OrdersPerDayReport['totals'] | undefined,
    pick: (t: OrdersPerDayReport['totals'][number]) => number,
  ) => totals?.reduce((n, t) => n + pick(t), 0);
  const revenue = (t: OrdersPerDayReport['totals'][number]) => (t.currency === currency ? t.revenue_minor : 0);
  return [
    {
      key: 'orders_total',
      label: 'Orders',
      definition: 'Orders placed in the range, not cancelled as a whole (partly cancelled ones count).',
      value: sum(report.totals, (t) => t.orders) ?? 0,
      previous: sum(report.previous?.totals, (t) => t.orders),
      kind: 'count',
    },
    {
      key: 'revenue_total',
      label: `Revenue (${currency})`,
      definition: `The sum of those orders’ totals in ${currency}; amounts in other currencies are not converted.`,
      value: sum(report.totals, revenue) ?? 0,
      previous: sum(report.previous?.totals, revenue),
      kind: 'money',
      currency,
    },
  ];
}

export function fulfillmentMetrics(report: WithPrevious<FulfillmentReport>): Figure[] {
  const previous = report.previous;
  type Key = Exclude<keyof FulfillmentReport, 'name' | 'generated_at' | 'from' | 'to'>;
  const figure = (key: Key, label: string, kind: Kind, definition: string): Figure => ({
    key,
    label,
    definition,
    value: report[key] as number | null,
    previous: previous?.[key] as number | null | undefined,
    kind,
  });
  const sla = report.sla_hours;
  return [
    figure('orders', 'Orders', 'count', 'Orders placed in the range, cancelled ones included.'),
    figure(
      'shipped_orders',
      'Shipped orders',
      'count',
      'Orders placed in the range with at least one shipment or pickup.',
    ),
    figure(
      'fulfillment_rate',
      'Fulfillment rate',
      'rate',
      'Orders with every unit not cancelled shipped ÷ orders not cancelled as a whole, for orders placed in the range.',
    ),
    figure(
      'avg_hours_to_ship',
      'Average time to ship',
      'hours',
      'Mean hours from placing an order to its first shipment, over shipped orders.',
    ),
    figure(
      'p90_hours_to_ship',
      'p90 time to ship',
      'hours',
      '90% of shipped orders left within this many hours (interpolated).',
    ),
    figure(
      'sla_hit_rate',
      `SLA hit rate (${sla} h)`,
      'rate',
      `Orders shipped within ${sla} h of placing ÷ orders shipped or already past ${sla} h without a shipment.`,
    ),
    figure(
      'split_shipment_rate',
      'Split-shipment rate',
      'rate',
      'Shipped orders sent in more than one shipment or from more than one location ÷ shipped orders.',
    ),
    figure('cancellation_rate', 'Cancellation rate', 'rate', 'Orders with at least one cancelled unit ÷ orders.'),
    figure(
      'return_rate',
      'Return rate',
      'rate',
      'Units returned ÷ units delivered, of the orders placed in the range.',
    ),
  ];
}
