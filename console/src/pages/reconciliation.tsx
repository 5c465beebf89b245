import { useState, type FormEvent } from 'react';
import { withQuery } from '../api/client.ts';
import { ChannelOptions, useDirectory } from '../directory.tsx';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { StackedColumns } from '../ui/charts.tsx';
import { Card, Empty, ErrorNotice, Loading, Page, Table } from '../ui/common.tsx';
import { humanize, isoDay } from '../ui/format.ts';
import { useAction, useLoad } from '../ui/load.ts';
import { saveFile } from '../ui/save-file.ts';

/** The kinds of difference, in the order the report gives them (docs/shadow-mode.md). */
const KINDS = ['only_in_consign', 'only_in_legacy', 'status', 'allocation', 'money', 'stock'] as const;
type Kind = (typeof KINDS)[number];
type Placement = { location_id: string; quantity: number };

interface Difference {
  day: string;
  kind: Kind;
  external_id: string | null;
  sku: string | null;
  location_id: string | null;
  field: string | null;
  consign: string | number | Placement[] | null;
  legacy: string | number | Placement[] | null;
  explanation: string | null;
}

interface Report {
  orders: { consign: number; legacy: number };
  truncated: boolean;
  summary: Record<Kind, number>;
  days: ({ day: string; total: number } & Record<Kind, number>)[];
  differences: Difference[];
}

interface Query {
  channel: string;
  from: string;
  to: string;
}

/** A shadow channel's parallel run against the legacy system: differences per kind, drift per day, every difference. */
export default function ReconciliationPage() {
  const [query, setQuery] = useState<Query>();
  return (
    <Page title="Parallel run: reconciliation with the legacy system">
      <p className="muted">
        A channel in shadow mode decides every order without reserving stock or sending anything; this report compares
        its decisions with what the legacy system did. <Link href="/dashboards">Dashboards</Link>
      </p>
      <QueryForm onSubmit={setQuery} />
      {query ? <ReportView query={query} /> : <Empty>Choose a shadow channel and a period.</Empty>}
    </Page>
  );
}

function QueryForm({ onSubmit }: { onSubmit: (q: Query) => void }) {
  const [channel, setChannel] = useState('');
  const [from, setFrom] = useState(() => isoDay(new Date(Date.now() - 6 * 86_400_000)));
  const [to, setTo] = useState(() => isoDay(new Date()));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (channel) onSubmit({ channel, from, to });
  };
  return (
    <form className="filters" onSubmit={submit} aria-label="Reconciliation period">
      <label>
        Channel
        <select value={channel} onChange={(e) => setChannel(e.target.value)} required>
          <ChannelOptions none="choose…" />
        </select>
      </label>
      <label>
        From
        <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} required />
      </label>
      <label>
        To (included)
        <input type="date" value={to} onChange={(e) => setTo(e.target.value)} required />
      </label>
      <button type="submit">Reconcile</button>
    </form>
  );
}

const placements = (value: Difference['consign']) =>
  value === null
    ? '—'
    : Array.isArray(value)
      ? value.map((p) => `${p.quantity} at ${p.location_id}`).join(', ')
      : value;

function ReportView({ query }: { query: Query }) {
  const { api } = useSession();
  const { locationName } = useDirectory();
  const download = useAction();
  const report = useLoad(() => api.get<Report>('/v1/shadow/reconciliation', { ...query }), [api, query]);
  if (report.error) return <ErrorNotice error={report.error} />;
  if (!report.data) return <Loading />;
  const r = report.data;
  const csv = () =>
    void download.run(() =>
      saveFile(
        api.blob(withQuery('/v1/shadow/reconciliation', { ...query, format: 'csv' })),
        `reconciliation-${query.from}-${query.to}.csv`,
      ),
    );
  const place = (value: Difference['consign']) =>
    Array.isArray(value)
      ? value.map((p) => `${p.quantity} at ${locationName(p.location_id)}`).join(', ')
      : placements(value);
  return (
    <>
      <Card title={`Orders: ${r.orders.consign} in Consign, ${r.orders.legacy} in the legacy system`}>
        <dl className="metrics">
          {KINDS.map((kind) => (
            <div key={kind} data-metric={kind}>
              <dt>{humanize(kind)}</dt>
              <dd>{r.summary[kind]}</dd>
            </div>
          ))}
        </dl>
        {r.truncated ? (
          <p role="status">The period holds more orders than one report compares: ask for a shorter one.</p>
        ) : null}
        {r.days.length > 0 ? (
          <StackedColumns
            title="Differences per day"
            categories={r.days.map((d) => d.day)}
            series={KINDS.map((kind) => ({ name: humanize(kind), values: r.days.map((d) => d[kind]) }))}
            format={String}
            yLabel="Differences"
          />
        ) : null}
        <button type="button" onClick={csv} disabled={download.busy}>
          Download CSV
        </button>
        <ErrorNotice error={download.error} />
      </Card>
      <Card title={`Differences (${r.differences.length})`}>
        {r.differences.length === 0 ? <Empty>The two systems agree on this period.</Empty> : null}
        {r.differences.length > 0 ? (
          <Table label="Differences">
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col">Kind</th>
                <th scope="col">Order</th>
                <th scope="col">SKU / location</th>
                <th scope="col">Field</th>
                <th scope="col">Consign</th>
                <th scope="col">Legacy</th>
                <th scope="col">Consign's reason</th>
              </tr>
            </thead>
            <tbody>
              {r.differences.map((d, i) => (
                <tr key={i} data-kind={d.kind}>
                  <td>{d.day}</td>
                  <td>{humanize(d.kind)}</td>
                  <td>{d.external_id ?? '—'}</td>
                  <td>
                    {d.sku ?? ''} {d.location_id ? locationName(d.location_id) : ''}
                  </td>
                  <td>{d.field ?? ''}</td>
                  <td data-side="consign">{place(d.consign)}</td>
                  <td data-side="legacy">{place(d.legacy)}</td>
                  <td>{d.explanation ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        ) : null}
      </Card>
    </>
  );
}
