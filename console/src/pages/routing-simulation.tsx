import { useEffect, useState } from 'react';
import type {
  ChangedOrder,
  DecisionSummary,
  RuleSetFigures,
  Simulation,
  SimulationResult,
} from '../api/simulations.ts';
import type { Page as ApiPage } from '../api/types.ts';
import { useDirectory } from '../directory.tsx';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { Bars, StackedColumns } from '../ui/charts.tsx';
import { Badge, Card, Empty, ErrorNotice, Loading, Page, Pager, Table } from '../ui/common.tsx';
import { formatDateTime, formatMinor } from '../ui/format.ts';
import { useAction, useCursors, useLoad } from '../ui/load.ts';
import { CandidateTable } from './order/sections.tsx';
import { ordersOf } from './routing-simulations.tsx';

const POLL_MS = 1_000;
const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
const count = (x: number) => x.toLocaleString('en-US');
const decimal = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 2 });
const signed = (x: number, format: (n: number) => string) => (x > 0 ? `+${format(x)}` : x < 0 ? `−${format(-x)}` : '0');

/** The figures compared, in the order shown: label, value, format (a rate's delta is in points). */
const FIGURES: { label: string; value: (f: RuleSetFigures) => number; format: (n: number) => string }[] = [
  { label: 'Routed in full', value: (f) => f.allocated, format: count },
  { label: 'Partially routed', value: (f) => f.partially_allocated, format: count },
  { label: 'Unroutable', value: (f) => f.unroutable, format: count },
  { label: 'Back-ordered units', value: (f) => f.backordered_units, format: count },
  { label: 'Shipments', value: (f) => f.shipments, format: count },
  { label: 'Shipments per order', value: (f) => f.shipments_per_order, format: decimal },
  { label: 'Split rate', value: (f) => f.split_rate, format: percent },
  { label: 'Distance, km', value: (f) => f.distance_km, format: (n) => count(Math.round(n)) },
  { label: 'Distance per shipment, km', value: (f) => f.distance_km_per_shipment, format: decimal },
  { label: 'Shipments on time', value: (f) => f.on_time_rate, format: percent },
  { label: 'Orders on time', value: (f) => f.orders_on_time_rate, format: percent },
  { label: 'Days late', value: (f) => f.days_late, format: count },
];

/** One simulation: progress while it runs; then the figures of both rule sets, the load charts and the changed orders. */
export default function RoutingSimulationPage({ params }: { params: Record<string, string> }) {
  const { api, can } = useSession();
  const id = params.id!;
  const simulation = useLoad(() => api.get<Simulation>(`/v1/routing/simulations/${id}`), [api, id]);
  const status = simulation.data?.status;
  useEffect(() => {
    if (status !== 'queued' && status !== 'running') return;
    const timer = setTimeout(simulation.reload, POLL_MS);
    return () => clearTimeout(timer);
  }, [status, simulation.data, simulation.reload]);
  if (simulation.error) return <ErrorNotice error={simulation.error} />;
  if (!simulation.data) return <Loading />;
  const s = simulation.data;
  const { orders_done, orders_total } = s.progress;
  return (
    <Page
      title={`Simulation ${s.id}`}
      actions={
        s.status === 'succeeded' && s.parameters.draft_version != null && can('routing:write') ? (
          <Activate version={s.parameters.draft_version} />
        ) : null
      }
    >
      <p>
        <Badge status={s.status} /> Orders {ordersOf(s)}
        {s.result?.order_set
          ? ` — “${s.result.order_set.name}”, on the stock of ${formatDateTime(s.result.order_set.stock_at)}`
          : ''}
        ; draft {s.parameters.draft_version == null ? '(inline rules)' : `version ${s.parameters.draft_version}`}{' '}
        against {s.parameters.baseline_version == null ? 'the defaults' : `version ${s.parameters.baseline_version}`};
        stock basis {s.parameters.stock_basis}. <Link href="/routing">Routing rules</Link>
      </p>
      {s.status === 'queued' || s.status === 'running' ? (
        <label className="wide">
          Orders replayed: {count(orders_done)} of {orders_total == null ? '…' : count(orders_total)}
          <progress value={orders_done} max={orders_total ?? 1} />
        </label>
      ) : null}
      {s.status === 'failed' ? (
        <p role="alert" className="error">
          The simulation failed: {s.error}
        </p>
      ) : null}
      {s.result ? <Results simulation={s} result={s.result} /> : null}
    </Page>
  );
}

function Activate({ version }: { version: number }) {
  const { api } = useSession();
  const action = useAction();
  const [done, setDone] = useState(false);
  return (
    <>
      <button
        type="button"
        disabled={action.busy || done}
        onClick={() =>
          void action.run(
            () => api.post(`/v1/routing/rules/${version}/activate`, {}),
            () => setDone(true),
          )
        }
      >
        {done ? `Version ${version} is active` : `Activate version ${version}`}
      </button>
      <ErrorNotice error={action.error} />
    </>
  );
}

function Results({ simulation, result }: { simulation: Simulation; result: SimulationResult }) {
  return (
    <>
      <Card title={`${count(result.orders)} orders replayed, ${count(result.changed_orders)} decided otherwise`}>
        <p className="muted">{result.stock_basis_note}</p>
        <FigureTable result={result} />
      </Card>
      <LoadCharts result={result} />
      <ChangedOrders id={simulation.id} total={result.changed_orders} />
    </>
  );
}

function FigureTable({ result }: { result: SimulationResult }) {
  const currencies = [
    ...new Set([...result.baseline.shipping_cost, ...result.draft.shipping_cost].map((c) => c.currency)),
  ];
  const cost = (f: RuleSetFigures, currency: string) =>
    f.shipping_cost.find((c) => c.currency === currency)?.minor ?? 0;
  return (
    <Table label="Figures of both rule sets">
      <thead>
        <tr>
          <th scope="col">Figure</th>
          <th scope="col" className="num">
            Active
          </th>
          <th scope="col" className="num">
            Draft
          </th>
          <th scope="col" className="num">
            Change
          </th>
        </tr>
      </thead>
      <tbody>
        {FIGURES.map(({ label, value, format }) => (
          <tr key={label} data-figure={label}>
            <th scope="row">{label}</th>
            <td className="num">{format(value(result.baseline))}</td>
            <td className="num">{format(value(result.draft))}</td>
            <td className="num">{signed(value(result.draft) - value(result.baseline), format)}</td>
          </tr>
        ))}
        {currencies.map((currency) => (
          <tr key={currency} data-figure={`Freight ${currency}`}>
            <th scope="row">Estimated freight ({currency})</th>
            <td className="num">{formatMinor(cost(result.baseline, currency), currency)}</td>
            <td className="num">{formatMinor(cost(result.draft, currency), currency)}</td>
            <td className="num">
              {signed(cost(result.draft, currency) - cost(result.baseline, currency), (n) => formatMinor(n, currency))}
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

/** Orders per location under each rule set, and the draft's orders per day at its busiest locations. */
function LoadCharts({ result }: { result: SimulationResult }) {
  const busiest = [...result.load]
    .sort((a, b) => b.draft.orders + b.baseline.orders - (a.draft.orders + a.baseline.orders))
    .slice(0, 10);
  const days = [...new Set(result.load.flatMap((l) => l.days.map((d) => d.date)))].sort();
  const top = busiest.slice(0, 5);
  const overCapacity = result.load.filter((l) => l.draft.days_over_capacity > 0);
  return (
    <Card title="Load per location">
      {busiest.length === 0 ? <Empty>No order was routed under either rule set.</Empty> : null}
      <div className="side-by-side">
        <Bars
          title="Orders per location, active rules"
          rows={busiest.map((l) => ({ label: l.name, value: l.baseline.orders }))}
          format={count}
        />
        <Bars
          title="Orders per location, draft"
          rows={busiest.map((l) => ({ label: l.name, value: l.draft.orders }))}
          format={count}
        />
      </div>
      {days.length > 0 ? (
        <StackedColumns
          title="Draft: orders per day at the busiest locations"
          categories={days}
          series={top.map((l) => ({
            name: l.name,
            values: days.map((day) => l.days.find((d) => d.date === day)?.draft_orders ?? 0),
          }))}
          format={count}
          yLabel="Orders"
        />
      ) : null}
      {overCapacity.length > 0 ? (
        <p role="status">
          Over capacity under the draft:{' '}
          {overCapacity.map((l) => `${l.name} on ${l.draft.days_over_capacity} day(s)`).join(', ')}.
        </p>
      ) : null}
    </Card>
  );
}

function allocationText(decision: DecisionSummary, locationName: (id: string) => string): string {
  if (decision.allocations.length === 0) return decision.rejection ?? decision.status;
  return decision.allocations.map((a) => `${a.quantity} × ${a.sku} from ${locationName(a.location_id)}`).join('; ');
}

function ChangedOrders({ id, total }: { id: string; total: number }) {
  const { api } = useSession();
  const { locationName } = useDirectory();
  const cursors = useCursors();
  const [open, setOpen] = useState<string>();
  const page = useLoad(
    () =>
      api.get<ApiPage<ChangedOrder>>(`/v1/routing/simulations/${id}/changes`, {
        limit: 20,
        ...(cursors.cursor ? { cursor: cursors.cursor } : {}),
      }),
    [api, id, cursors.cursor],
  );
  return (
    <Card title={`Orders decided otherwise (${count(total)})`} id="changes">
      <ErrorNotice error={page.error} />
      {page.data?.data.length === 0 ? <Empty>The draft decides every order as the active rules do.</Empty> : null}
      {page.data?.data.length ? (
        <Table label="Changed orders">
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Placed</th>
              <th scope="col">Active rules</th>
              <th scope="col">Draft</th>
              <th scope="col" className="num">
                Distance
              </th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {page.data.data.map((c) => (
              <ChangedRow
                key={c.order_id}
                change={c}
                open={open === c.order_id}
                toggle={() => setOpen(open === c.order_id ? undefined : c.order_id)}
                locationName={locationName}
              />
            ))}
          </tbody>
        </Table>
      ) : null}
      {page.data ? <Pager {...cursors.pager(page.data.next_cursor)} /> : null}
    </Card>
  );
}

function ChangedRow({
  change,
  open,
  toggle,
  locationName,
}: {
  change: ChangedOrder;
  open: boolean;
  toggle: () => void;
  locationName: (id: string) => string;
}) {
  return (
    <>
      <tr data-changed={change.order_id}>
        <td>
          {/* An order set's orders are not Consign orders: nothing to link to. */}
          {change.order_id.startsWith('oset_') ? (
            change.external_id
          ) : (
            <Link href={`/orders/${change.order_id}`}>{change.external_id}</Link>
          )}
        </td>
        <td>{formatDateTime(change.placed_at)}</td>
        <td data-side="baseline">{allocationText(change.baseline, locationName)}</td>
        <td data-side="draft">{allocationText(change.draft, locationName)}</td>
        <td className="num">
          {decimal(change.baseline.distance_km)} → {decimal(change.draft.distance_km)} km
        </td>
        <td>
          <button type="button" className="link" aria-expanded={open} onClick={toggle}>
            {open ? 'Hide' : 'Why'}
          </button>
        </td>
      </tr>
      {open ? (
        <tr>
          <td colSpan={6}>
            <div className="side-by-side">
              {(['baseline', 'draft'] as const).map((side) => (
                <section key={side} aria-label={`${side === 'baseline' ? 'Active rules' : 'Draft'}: why`}>
                  <h3>{side === 'baseline' ? 'Active rules' : 'Draft'}</h3>
                  <p>{change[side].explanation.summary}</p>
                  <CandidateTable
                    explanation={change[side].explanation}
                    currency={change[side].cost.currency}
                    label={`${side === 'baseline' ? 'Active rules' : 'Draft'}: candidate locations`}
                  />
                </section>
              ))}
            </div>
          </td>
        </tr>
      ) : null}
    </>
  );
}
