import { useState, type FormEvent } from 'react';
import type { Page as ApiPage, QueueItem } from '../api/types.ts';
import { useDirectory, useWorkLocations } from '../directory.tsx';
import { useSession } from '../session.tsx';
import { Badge, Empty, ErrorNotice, Loading, Page, Pager } from '../ui/common.tsx';
import { formatDateTime } from '../ui/format.ts';
import { useAction, useCursors, useLoad } from '../ui/load.ts';

const OPEN = ['allocated', 'accepted', 'picking', 'packed', 'ready_for_pickup'];

/** A location's work queue: accept/reject, pick, pack, ship or ready for pickup, hand over. */
export default function QueuePage() {
  const { api } = useSession();
  const { locationName } = useDirectory();
  const mine = useWorkLocations();
  const [locationId, setLocationId] = useState('');
  const [status, setStatus] = useState('open');
  const pages = useCursors();
  const chosen = locationId || mine[0]?.id || '';
  const queue = useLoad(
    async () =>
      chosen
        ? api.get<ApiPage<QueueItem>>('/v1/fulfillment-orders', {
            location_id: chosen,
            // Filtered on the server: open work behind a page of closed work is still found.
            status: status === 'open' ? OPEN.join(',') : status,
            limit: 50,
            cursor: pages.cursor,
          })
        : undefined,
    [api, chosen, status, pages.cursor],
  );
  const items = queue.data?.data ?? [];
  return (
    <Page title={`Fulfillment queue${chosen ? ` · ${locationName(chosen)}` : ''}`}>
      <div className="filters">
        <label>
          Location
          <select value={chosen} onChange={(e) => (setLocationId(e.target.value), pages.reset())}>
            {mine.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name} ({l.code})
              </option>
            ))}
          </select>
        </label>
        <label>
          Show
          <select value={status} onChange={(e) => (setStatus(e.target.value), pages.reset())}>
            <option value="open">Open work</option>
            {[...OPEN, 'shipped', 'picked_up', 'rejected', 'cancelled'].map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
      </div>
      <ErrorNotice error={queue.error} />
      {queue.loading && !queue.data ? <Loading /> : null}
      {queue.data && items.length === 0 ? <Empty>Nothing to do here.</Empty> : null}
      <ul className="plain queue">
        {items.map((fo) => (
          <QueueCard key={fo.id} fo={fo} onChanged={queue.reload} />
        ))}
      </ul>
      <Pager {...pages.pager(queue.data?.next_cursor)} />
    </Page>
  );
}

function QueueCard({ fo, onChanged }: { fo: QueueItem; onChanged: () => void }) {
  const { api, can } = useSession();
  const action = useAction();
  const step = (name: string, body: unknown = {}) =>
    void action.run(async () => {
      // The pickup code goes to the customer only: the screen that verifies it never shows it.
      await api.post<QueueItem>(`/v1/fulfillment-orders/${encodeURIComponent(fo.id)}/${name}`, body);
    }, onChanged);
  const write = can('fulfillment:write');
  return (
    <li className="card" data-fo={fo.id} aria-label={`Fulfillment order for ${fo.order_external_id}`}>
      <h2>
        {fo.order_external_id} <Badge status={fo.status} />{' '}
        {fo.order_on_hold ? <Badge status="on_hold" label="order on hold" /> : null}
      </h2>
      <p className="muted">
        {fo.customer_name ?? ''} · {fo.delivery_method} · since {formatDateTime(fo.created_at)}
      </p>
      <ul>
        {fo.lines.map((l) => (
          <li key={l.line_id}>
            {l.quantity} × {l.sku} <span className="muted">({l.status})</span>
          </li>
        ))}
      </ul>
      {fo.status === 'ready_for_pickup' ? (
        <p className="muted">The customer has the pickup code: type the one they give you.</p>
      ) : null}
      <ErrorNotice error={action.error} />
      {write ? <Steps fo={fo} busy={action.busy} step={step} /> : null}
    </li>
  );
}

function Steps({ fo, busy, step }: { fo: QueueItem; busy: boolean; step: (name: string, body?: unknown) => void }) {
  const [carrier, setCarrier] = useState('UPS');
  const [tracking, setTracking] = useState('');
  const [code, setCode] = useState('');
  const [reason, setReason] = useState('');
  const submit = (name: string, body: unknown) => (event: FormEvent) => {
    event.preventDefault();
    step(name, body);
  };
  switch (fo.status) {
    case 'allocated':
      return (
        <form className="inline" onSubmit={submit('reject', { reason: reason || 'Cannot fulfil' })}>
          <button type="button" onClick={() => step('accept')} disabled={busy}>
            Accept
          </button>
          <label>
            Reject reason
            <input value={reason} onChange={(e) => setReason(e.target.value)} />
          </label>
          <button type="submit" className="danger" disabled={busy}>
            Reject
          </button>
        </form>
      );
    case 'accepted':
      return (
        <button type="button" onClick={() => step('pick')} disabled={busy}>
          Start picking
        </button>
      );
    case 'picking':
      return (
        <button type="button" onClick={() => step('pack')} disabled={busy}>
          Packed
        </button>
      );
    case 'packed':
      return fo.delivery_method === 'ship' ? (
        <form
          className="inline"
          onSubmit={submit('ship', { carrier, ...(tracking ? { tracking_number: tracking } : {}) })}
          aria-label="Ship"
        >
          <label>
            Carrier
            <input value={carrier} onChange={(e) => setCarrier(e.target.value)} required />
          </label>
          <label>
            Tracking number
            <input value={tracking} onChange={(e) => setTracking(e.target.value)} />
          </label>
          <button type="submit" disabled={busy}>
            Ship
          </button>
        </form>
      ) : (
        <button type="button" onClick={() => step('ready-for-pickup')} disabled={busy}>
          Ready for pickup
        </button>
      );
    case 'ready_for_pickup':
      return (
        <form className="inline" onSubmit={submit('picked-up', { pickup_code: code })} aria-label="Hand over">
          <label>
            Pickup code
            <input
              value={code}
              onChange={(e) => setCode(e.target.value)}
              inputMode="numeric"
              pattern="[0-9]{6}"
              required
            />
          </label>
          <button type="submit" disabled={busy}>
            Hand over
          </button>
        </form>
      );
    default:
      return null;
  }
}
