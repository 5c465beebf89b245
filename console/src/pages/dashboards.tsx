import { useState, type FormEvent } from 'react';
import type {
  FulfillmentReport,
  OrdersPerDayReport,
  ReportRange,
  StockHealthReport,
  TopChannelsReport,
  TurnoverReport,
  WithPrevious,
} from '../api/reports.ts';
import { ChannelOptions } from '../directory.tsx';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { Card, Empty, ErrorNotice, Loading, Page, Table } from '../ui/common.tsx';
import { Bars, StackedColumns } from '../ui/charts.tsx';
import { CsvButton } from '../ui/csv.tsx';
import { formatMinor, fromMinor, isoDay } from '../ui/format.ts';
import { useLoad } from '../ui/load.ts';
import {
  formatChange,
  formatFigure,
  fulfillmentMetrics,
  orderFigures,
  ordersChart,
  type Figure,
} from './dashboard-data.ts';

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
    const get = <T,>(name: string, compare?: 'previous') => api.get<T>(`/v1/reports/${name}`, { ...query, compare });
    const [orders, fulfillment, turnover, health, top] = await Promise.all([
      get<WithPrevious<OrdersPerDayReport>>('orders-per-day', 'previous'),
      get<WithPrevious<FulfillmentReport>>('fulfillment', 'previous'),
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
  orders: WithPrevious<OrdersPerDayReport>;
  fulfillment: WithPrevious<FulfillmentReport>;
  turnover: TurnoverReport;
  health: StockHealthReport;
  top: TopChannelsReport;
};

/** Figures with their definitions and their change from the previous period of the same length. */
function Figures({ figures, previous }: { figures: Figure[]; previous: { from: string; to: string } | undefined }) {
  return (
    <dl className="metrics">
      {figures.map((m) => {
        const change = formatChange(m);
        return (
          <div key={m.key} data-metric={m.key}>
            <dt>{m.label}</dt>
            <dd className="value">{formatFigure(m.kind, m.value, m.currency)}</dd>
            {previous ? (
              <dd className="change" data-change={m.key}>
                {change ?? 'nothing to compare'}{' '}
                <span className="muted">
                  vs {formatFigure(m.kind, m.previous, m.currency)} ({previous.from} – {previous.to})
                </span>
              </dd>
            ) : null}
            <dd className="definition">{m.definition}</dd>
          </div>
        );
      })}
    </dl>
  );
}

const range = (report: { from: string; to: string }) => `${report.from}-to-${report.to}`;

function ReportPanels({ data }: { data: Reports }) {
  const health = data.health;
  return (
    <>
      <Card title="Orders and revenue per day" id="orders-per-day">
        <Figures figures={orderFigures(data.orders)} previous={data.orders.previous} />
        <OrdersCharts report={data.orders} />
      </Card>
      <Card title="Fulfillment" id="fulfillment">
        <Figures figures={fulfillmentMetrics(data.fulfillment)} previous={data.fulfillment.previous} />
      </Card>
      <Card title="Top channels" id="top-channels">
        <p className="definition">
          Orders per channel placed in the range, not cancelled as a whole; most orders first.
        </p>
        <Bars
          title="Orders per channel"
          rows={data.top.rows.map((r) => ({
            label: `${r.channel_name} (${formatMinor(r.revenue_minor, r.currency)})`,
            value: r.orders,
          }))}
          format={String}
        />
        <CsvButton
          file={`top-channels-${range(data.top)}`}
          label="top channels"
          header={['channel', 'currency', 'orders', 'revenue']}
          rows={() =>
            data.top.rows.map((r) => [r.channel_name, r.currency, r.orders, fromMinor(r.revenue_minor, r.currency)])
          }
        />
      </Card>
      <Card title="Inventory turnover per location" id="turnover">
        <p className="definition">
          Units shipped from each location in the range ÷ the units it has on hand now (all SKUs).
        </p>
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
        <CsvButton
          file={`inventory-turnover-${range(data.turnover)}`}
          label="inventory turnover"
          header={['location', 'units_shipped', 'on_hand', 'turnover']}
          rows={() => data.turnover.rows.map((r) => [r.location_name, r.units_shipped, r.on_hand, r.turnover])}
        />
      </Card>
      <Card
        title={`Stock-outs (${health.stock_outs_total}) and overstock (${health.overstock_total})`}
        id="stock-health"
      >
        <p className="definition">
          Stock-outs: levels with nothing available to promise (on hand less reserved and safety stock). Overstock: free
          stock that did not sell in the range, or would last more than {health.overstock_days} days at its rate of
          sale. <Link href="/inventory?tab=health">Every level, page by page</Link>
        </p>
        <Bars
          title={perLocation('Stock-outs', health.stock_outs.length, health.stock_outs_total)}
          rows={countBy(health.stock_outs.map((r) => r.location_name))}
          format={String}
        />
        <Bars
          title={perLocation('Overstocked SKUs', health.overstock.length, health.overstock_total)}
          rows={countBy(health.overstock.map((r) => r.location_name))}
          format={String}
        />
      </Card>
    </>
  );
}

/** A per-location chart's title, saying so when it covers only the worst of a longer list. */
const perLocation = (what: string, shown: number, total: number) =>
  shown < total ? `${what} per location, of the worst ${shown} of ${total}` : `${what} per location`;

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
  const file = range(report);
  return (
    <>
      {report.rows.length === 0 ? <Empty>No orders in this range.</Empty> : null}
      <StackedColumns
        title="Orders per day by channel"
        categories={chart.days}
        series={chart.orders}
        format={(n) => String(n)}
        yLabel="Orders"
      />
      <StackedColumns
        title={`Revenue per day by channel (${chart.currency})`}
        categories={chart.days}
        series={chart.revenue}
        format={(n) => formatMinor(n, chart.currency)}
        yLabel={`Revenue (${chart.currency})`}
      />
      <details>
        <summary>Orders per day, as a table</summary>
        <Table label="Orders per day">
          <thead>
            <tr>
              <th scope="col">Day (UTC)</th>
              <th scope="col" className="num">
                Orders
              </th>
            </tr>
          </thead>
          <tbody>
            {report.days.map((d) => (
              <tr key={d.day} data-day={d.day}>
                <td>{d.day}</td>
                <td className="num">{d.orders}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      </details>
      <CsvButton
        file={`orders-per-day-${file}`}
        label="orders per day"
        header={['day', 'orders']}
        rows={() => report.days.map((d) => [d.day, d.orders])}
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
      <CsvButton
        file={`totals-per-channel-${file}`}
        label="totals per channel"
        header={['channel', 'currency', 'orders', 'revenue']}
        rows={() =>
          report.totals.map((t) => [t.channel_name, t.currency, t.orders, fromMinor(t.revenue_minor, t.currency)])
        }
      />
    </>
  );
}

function countBy(labels: string[]) {
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  return [...counts].map(([label, value]) => ({ label, value }));
}
