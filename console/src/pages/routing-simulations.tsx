import { useState, type FormEvent } from 'react';
import type { Page as ApiPage } from '../api/types.ts';
import type { OrderSet, Simulation, SimulationRequest, StockBasis } from '../api/simulations.ts';
import { ChannelOptions } from '../directory.tsx';
import { Link, navigate } from '../router.tsx';
import { useSession } from '../session.tsx';
import { Badge, Card, Empty, ErrorNotice, Table } from '../ui/common.tsx';
import { formatDateTime, isoDay } from '../ui/format.ts';
import { useAction, useLoad } from '../ui/load.ts';

/** The simulations run so far, and (for keys that may) a form to test a draft on past orders. */
export function SimulationsCard({ drafts }: { drafts: number[] }) {
  const { api, can } = useSession();
  const list = useLoad(() => api.get<ApiPage<Simulation>>('/v1/routing/simulations', { limit: 10 }), [api]);
  return (
    <Card title="Test a draft on past orders" id="simulations">
      {can('routing:write') ? <SimulateForm drafts={drafts} /> : null}
      <ErrorNotice error={list.error} />
      {list.data?.data.length === 0 ? <Empty>No simulations yet.</Empty> : null}
      {list.data?.data.length ? (
        <Table label="Simulations">
          <thead>
            <tr>
              <th scope="col">Simulation</th>
              <th scope="col">Status</th>
              <th scope="col">Orders</th>
              <th scope="col">Rules</th>
              <th scope="col" className="num">
                Orders changed
              </th>
              <th scope="col">Started</th>
            </tr>
          </thead>
          <tbody>
            {list.data.data.map((s) => (
              <tr key={s.id}>
                <td>
                  <Link href={`/routing/simulations/${s.id}`}>{s.id}</Link>
                </td>
                <td>
                  <Badge status={s.status} />
                </td>
                <td>{ordersOf(s)}</td>
                <td>
                  {s.parameters.draft_version == null ? 'inline' : `version ${s.parameters.draft_version}`} against{' '}
                  {s.parameters.baseline_version == null ? 'the defaults' : `version ${s.parameters.baseline_version}`}
                </td>
                <td className="num">
                  {s.changed_orders ?? '—'} of {s.progress.orders_total ?? '—'}
                </td>
                <td>{formatDateTime(s.created_at)}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
    </Card>
  );
}

/** What a simulation replays, in words: an order set, or the orders placed in a period. */
export function ordersOf(s: Simulation): string {
  const period = `${s.parameters.from.slice(0, 10)} – ${s.parameters.to.slice(0, 10)}`;
  return s.parameters.order_set_id ? `order set ${s.parameters.order_set_id} (placed ${period})` : `placed ${period}`;
}

function SimulateForm({ drafts }: { drafts: number[] }) {
  const { api } = useSession();
  const action = useAction();
  const sets = useLoad(() => api.get<ApiPage<OrderSet>>('/v1/routing/order-sets', { limit: 50 }), [api]);
  const [orderSet, setOrderSet] = useState('');
  const [from, setFrom] = useState(() => isoDay(new Date(Date.now() - 30 * 86_400_000)));
  const [to, setTo] = useState(() => isoDay(new Date(Date.now() + 86_400_000)));
  const [version, setVersion] = useState(() => drafts[0]);
  const [basis, setBasis] = useState<StockBasis>('ledger');
  const [channel, setChannel] = useState('');
  if (drafts.length === 0) return <p className="muted">Save a draft above to test it on past orders.</p>;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const rules = { rules_version: version ?? drafts[0]!, ...(channel ? { channel } : {}) };
    const body: SimulationRequest = orderSet
      ? { ...rules, order_set: orderSet }
      : { ...rules, from, to, stock_basis: basis };
    void action.run(async () => {
      const created = await api.post<Simulation>('/v1/routing/simulations', body);
      navigate(`/routing/simulations/${created.id}`);
    });
  };
  return (
    <form onSubmit={submit} aria-label="Simulate a draft" className="filters">
      <label>
        Draft
        <select value={version} onChange={(e) => setVersion(Number(e.target.value))}>
          {drafts.map((v) => (
            <option key={v} value={v}>
              version {v}
            </option>
          ))}
        </select>
      </label>
      {sets.data?.data.length ? (
        <label>
          Replay
          <select value={orderSet} onChange={(e) => setOrderSet(e.target.value)}>
            <option value="">the orders placed in a period</option>
            {sets.data.data.map((set) => (
              <option key={set.id} value={set.id}>
                the order set {set.name} ({set.orders.toLocaleString('en-US')} orders)
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <label>
        Orders placed from
        <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} required disabled={!!orderSet} />
      </label>
      <label>
        until (not included)
        <input type="date" value={to} onChange={(e) => setTo(e.target.value)} required disabled={!!orderSet} />
      </label>
      <label>
        Channel
        <select value={channel} onChange={(e) => setChannel(e.target.value)}>
          <ChannelOptions none="every channel" />
        </select>
      </label>
      <label>
        Stock
        <select
          value={orderSet ? 'snapshot' : basis}
          onChange={(e) => setBasis(e.target.value as StockBasis)}
          disabled={!!orderSet}
        >
          {orderSet ? <option value="snapshot">the set's stock_at snapshot, taken by each rule set</option> : null}
          <option value="ledger">as each order met it (ledger)</option>
          <option value="replay">from the period's start, taken by each rule set (replay)</option>
        </select>
      </label>
      <button type="submit" disabled={action.busy}>
        Simulate
      </button>
      <ErrorNotice error={action.error} />
    </form>
  );
}
