import { useState, type FormEvent } from 'react';
import type { Page as ApiPage, QueueCounts, QueueItem } from '../api/types.ts';
import { useDirectory, useWorkLocations } from '../directory.tsx';
import { navigate, useLocation } from '../router.tsx';
import { useSession } from '../session.tsx';
import { Badge, Empty, ErrorNotice, Loading, Page, Pager } from '../ui/common.tsx';
import { formatDateTime, humanize } from '../ui/format.ts';
import { useAction, useLoad } from '../ui/load.ts';
import { saveFile } from '../ui/save-file.ts';
import { TrackingNumber } from '../ui/tracking-link.tsx';
import { listUrl, useUrlPages } from '../ui/url-pages.ts';

const OPEN = ['allocated', 'accepted', 'picking', 'packed', 'ready_for_pickup'];
const CLOSED = ['shipped', 'picked_up', 'rejected', 'cancelled'];
const PAGE_SIZE = 25;

/**
 * A location's work queue: tabs per step with their counts, late and at-risk work first; accept or
 * reject, pick, pack, ship or ready for pickup, hand over; packing slips and a pick list to print.
 * The location, the tab and the page are in the URL.
 */
export default function QueuePage() {
  const { api } = useSession();
  const { locationName } = useDirectory();
  const mine = useWorkLocations();
  const { search } = useLocation();
  const chosen = search.get('location') || mine[0]?.id || '';
  const show = search.get('show') ?? 'open';
  const pages = useUrlPages(PAGE_SIZE);
  const open = (params: { location?: string; show?: string }) =>
    navigate(
      listUrl('/queue', {
        location: params.location ?? search.get('location') ?? '',
        show: (params.show ?? show) === 'open' ? '' : (params.show ?? show),
      }),
    );
  const queue = useLoad(
    async () =>
      chosen
        ? api.get<ApiPage<QueueItem>>('/v1/fulfillment-orders', {
            location_id: chosen,
            // Filtered on the server: open work behind a page of closed work is still found.
            status: show === 'open' ? OPEN.join(',') : show,
            sort: 'due',
            limit: PAGE_SIZE,
            cursor: pages.cursor,
          })
        : undefined,
    [api, chosen, show, pages.key],
  );
  const counts = useLoad(
    async () => (chosen ? api.get<QueueCounts>('/v1/fulfillment-orders/counts', { location_id: chosen }) : undefined),
    [api, chosen, queue.data],
  );
  const pickList = useAction();
  const items = queue.data?.data ?? [];
  const count = (status: string) => (status === 'open' ? counts.data?.open : counts.data?.by_status[status]);
  return (
    <Page title={`Fulfillment queue${chosen ? ` · ${locationName(chosen)}` : ''}`}>
      <div className="filters">
        <label>
          Location
          <select value={chosen} onChange={(e) => open({ location: e.target.value })}>
            {mine.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name} ({l.code})
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          disabled={!chosen || pickList.busy}
          onClick={() =>
            void pickList.run(() =>
              saveFile(
                api.blob(`/v1/fulfillment-orders/pick-list?location_id=${encodeURIComponent(chosen)}`),
                'pick-list.pdf',
              ),
            )
          }
        >
          Print pick list
        </button>
      </div>
      <ErrorNotice error={pickList.error} />
      {counts.data && (counts.data.late > 0 || counts.data.at_risk > 0) ? (
        <p role="status" className="muted">
          {counts.data.late} late · {counts.data.at_risk} at risk of being late (shown first)
        </p>
      ) : null}
      <div role="tablist" aria-label="Steps" className="tabs">
        {['open', ...OPEN, ...CLOSED].map((s) => (
          <button key={s} type="button" role="tab" aria-selected={show === s} onClick={() => open({ show: s })}>
            {s === 'open' ? 'Open work' : humanize(s)}
            {count(s) !== undefined ? ` (${count(s)})` : ''}
          </button>
        ))}
      </div>
      <ErrorNotice error={queue.error} />
      {queue.loading && !queue.data ? <Loading /> : null}
      {queue.data && items.length === 0 ? <Empty>Nothing to do here.</Empty> : null}
      <ul className="plain queue">
        {items.map((fo) => (
          <QueueCard key={fo.id} fo={fo} onChanged={queue.reload} />
        ))}
      </ul>
      <Pager {...pages.pager(queue.data)} />
    </Page>
  );
}

function Address({ fo }: { fo: QueueItem }) {
  const a = fo.shipping_address;
  if (fo.delivery_method !== 'ship' || !a) return null;
  const parts = [a.line1, a.line2, [a.city, a.region, a.postal_code].filter(Boolean).join(' '), a.country];
  return <p className="muted">Ship to {parts.filter(Boolean).join(', ')}</p>;
}

function QueueCard({ fo, onChanged }: { fo: QueueItem; onChanged: () => void }) {
  const { api, can } = useSession();
  const action = useAction();
  const step = (name: string, body: unknown = {}) =>
    void action.run(async () => {
      // The pickup code goes to the customer only: the screen that verifies it never shows it.
      await api.post<QueueItem>(`/v1/fulfillment-orders/${encodeURIComponent(fo.id)}/${name}`, body);
    }, onChanged);
  const slip = () =>
    void action.run(() =>
      saveFile(
        api.blob(`/v1/fulfillment-orders/${encodeURIComponent(fo.id)}/packing-slip`),
        `packing-slip-${fo.order_external_id}.pdf`,
      ),
    );
  const write = can('fulfillment:write');
  return (
    <li className="card" data-fo={fo.id} aria-label={`Fulfillment order for ${fo.order_external_id}`}>
      <h2>
        {fo.order_external_id} <Badge status={fo.status} />{' '}
        {fo.order_on_hold ? <Badge status="on_hold" label="order on hold" /> : null}
        {fo.late ? <Badge status="failed" label="late" /> : null}
        {fo.at_risk ? <Badge status="on_hold" label="at risk" /> : null}
      </h2>
      <p className="muted">
        {fo.customer_name ?? ''} · {fo.delivery_method} · since {formatDateTime(fo.created_at)}
        {fo.due_at ? ` · due ${formatDateTime(fo.due_at)}` : ''}
      </p>
      <Address fo={fo} />
      <ul>
        {fo.lines.map((l) => (
          <li key={l.line_id}>
            {l.quantity} × {l.name ? <strong>{l.name}</strong> : null} <code>{l.sku}</code>{' '}
            <span className="muted">({l.status})</span>
          </li>
        ))}
      </ul>
      {fo.shipments?.map((s) => (
        <p key={s.id} className="muted">
          Shipped with {s.carrier} <TrackingNumber carrier={s.carrier} number={s.tracking_number} />
        </p>
      ))}
      {fo.status === 'ready_for_pickup' ? (
        <p className="muted">The customer has the pickup code: type the one they give you.</p>
      ) : null}
      <ErrorNotice error={action.error} />
      <button type="button" className="link" onClick={slip} disabled={action.busy}>
        Packing slip
      </button>
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
