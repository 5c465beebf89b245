import { useState, type FormEvent } from 'react';
import type {
  FulfillmentReport,
  OrdersPerDayReport,
  ReportRange,
  StockHealthReport,
  TopChannelsReport,
  TurnoverReport,
} from '../api/reports.ts';
import { ChannelOptions } from '../directory.tsx';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { Card, Empty, ErrorNotice, Loading, Page, Table } from '../ui/common.tsx';
import { Bars, StackedColumns } from '../ui/charts.tsx';
import { formatHours, formatMinor, formatRate, isoDay } from '../ui/format.ts';
import { useLoad } from '../ui/load.ts';
import { fulfillmentMetrics, ordersChart } from './dashboard-data.ts';

function lastThirtyDays(): ReportRange {
  const to = new Date();
  return { from: isoDay(new Date(to.getTime() - 29 * 86_400_000)), to: isoDay(to) };
}

/** Operations dashboards: every figure comes from `GET /v1/reports/{name}` (computed in SQL). */
export default function Dashboards() {
  const { api } = useSession();
  const [range, setRange] = useState<ReportRange>(lastThirtyDays);
  const reports = useLoad(async () => {
    const query = { from: range.from, to: range.to, channel: range.channel };
    const get = <T,>(name: string) => api.get<T>(`/v1/reports/${name}`, query);
    const [orders, fulfillment, turnover, health, top] = await Promise.all([
      get<OrdersPerDayReport>('orders-per-day'),
      get<FulfillmentReport>('fulfillment'),
      get<TurnoverReport>('inventory-turnover'),
      get<StockHealthReport>('stock-health'),
      get<TopChannelsReport>('top-channels'),
    ]);
    return { orders, fulfillment, turnover, health, top };
  }, [api, range]);
  const data = reports.data;
  return (
    <Page title="Dashboards" actions={<Link href="/dashboards/reconciliation">Parallel run: reconciliation</Link>}>
      <RangeForm initial={range} onApply={setRange} />
      <ErrorNotice error={reports.error} />
      {reports.loading ? <Loading what="Computing the reports" /> : null}
      {data ? <ReportPanels data={data} /> : null}
    </Page>
  );
}

type Reports = {
  orders: OrdersPerDayReport;
  fulfillment: FulfillmentReport;
  turnover: TurnoverReport;
  health: StockHealthReport;
  top: TopChannelsReport;
};

function ReportPanels({ data }: { data: Reports }) {
  return (
    <>
      <Card title="Orders and revenue per day" id="orders-per-day">
        <OrdersCharts report={data.orders} />
      </Card>
      <Card title="Fulfillment" id="fulfillment">
        <dl className="metrics">
          {fulfillmentMetrics(data.fulfillment).map((m) => (
            <div key={m.key} data-metric={m.key}>
              <dt>{m.label}</dt>
              <dd>
                {m.kind === 'rate'
                  ? formatRate(m.value)
                  : m.kind === 'hours'
                    ? formatHours(m.value)
                    : String(m.value ?? '—')}
              </dd>
            </div>
          ))}
        </dl>
      </Card>
      <Card title="Top channels" id="top-channels">
        <Bars
          title="Orders per channel"
          rows={data.top.rows.map((r) => ({
            label: `${r.channel_name} (${formatMinor(r.revenue_minor, r.currency)})`,
            value: r.orders,
          }))}
          format={String}
        />
      </Card>
      <Card title="Inventory turnover per location" id="turnover">
        <Table label="Inventory turnover">
          <thead>
            <tr>
              <th scope="col">Location</th>
              <th scope="col" className="num">
                Units shipped
              </th>
              <th scope="col" className="num">
                On hand
              </th>
              <th scope="col" className="num">
                Turnover
              </th>
            </tr>
          </thead>
          <tbody>
            {data.turnover.rows.map((r) => (
              <tr key={r.location_id} data-location={r.location_id}>
                <td>{r.location_name}</td>
                <td className="num">{r.units_shipped}</td>
                <td className="num">{r.on_hand}</td>
                <td className="num">{r.turnover == null ? '—' : r.turnover.toFixed(2)}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      </Card>
      <Card
        title={`Stock-outs (${data.health.stock_outs.length}) and overstock (${data.health.overstock.length})`}
        id="stock-health"
      >
        <Bars
          title="Stock-outs per location"
          rows={countBy(data.health.stock_outs.map((r) => r.location_name))}
          format={String}
        />
        <Bars
          title="Overstocked SKUs per location"
          rows={countBy(data.health.overstock.map((r) => r.location_name))}
          format={String}
        />
      </Card>
    </>
  );
}

function RangeForm({ initial, onApply }: { initial: ReportRange; onApply: (range: ReportRange) => void }) {
  const [draft, setDraft] = useState<ReportRange>(initial);
  const apply = (event: FormEvent) => {
    event.preventDefault();
    onApply(draft);
  };
  return (
    <form className="filters" onSubmit={apply} aria-label="Date range">
      <label>
        From
        <input
          type="date"
          value={draft.from}
          max={draft.to}
          onChange={(e) => setDraft({ ...draft, from: e.target.value })}
          required
        />
      </label>
      <label>
        To
        <input
          type="date"
          value={draft.to}
          min={draft.from}
          onChange={(e) => setDraft({ ...draft, to: e.target.value })}
          required
        />
      </label>
      <label>
        Channel
        <select
          value={draft.channel ?? ''}
          onChange={(e) => setDraft({ ...draft, channel: e.target.value || undefined })}
        >
          <ChannelOptions none="All channels" />
        </select>
      </label>
      <button type="submit">Apply</button>
    </form>
  );
}

function OrdersCharts({ report }: { report: OrdersPerDayReport }) {
  const chart = ordersChart(report);
  if (chart.days.length === 0) return <Empty>No orders in this range.</Empty>;
  return (
    <>
      <StackedColumns
        title="Orders per day by channel"
        categories={chart.days}
        series={chart.orders}
        format={(n) => String(n)}
      />
      <StackedColumns
        title={`Revenue per day by channel (${chart.currency})`}
        categories={chart.days}
        series={chart.revenue}
        format={(n) => formatMinor(n, chart.currency)}
      />
      <Table label="Totals per channel">
        <thead>
          <tr>
            <th scope="col">Channel</th>
            <th scope="col" className="num">
              Orders
            </th>
            <th scope="col" className="num">
              Revenue
            </th>
          </tr>
        </thead>
        <tbody>
          {report.totals.map((t) => (
            <tr key={`${t.channel_id}/${t.currency}`} data-channel={t.channel_id}>
              <td>{t.channel_name}</td>
              <td className="num">{t.orders}</td>
              <td className="num">{formatMinor(t.revenue_minor, t.currency)}</td>
            </tr>
          ))}
        </tbody>
      </Table>
    </>
  );
}

function countBy(labels: string[]) {
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  return [...counts].map(([label, value]) => ({ label, value }));
}
