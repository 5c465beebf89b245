import { useState, type FormEvent } from 'react';
import {
  reshipReasons,
  returnMethods,
  returnReasons,
  returnsApi,
  type ReshipReason,
  type ReturnMethod,
  type ReturnReason,
} from '../../api/returns.ts';
import type { Order } from '../../api/types.ts';
import { useDirectory } from '../../directory.tsx';
import { Link } from '../../router.tsx';
import { useSession } from '../../session.tsx';
import { Badge, Card, Empty, ErrorNotice } from '../../ui/common.tsx';
import { useLineQuantity } from './line-quantity.tsx';
import { useAction, useLoad } from '../../ui/load.ts';

/** The order's returns, and "start a return" (delivered units) / "reship" (shipped units). */
export function ReturnsSection({ order, onChanged }: { order: Order; onChanged: () => void }) {
  const { api, can } = useSession();
  const returns = useLoad(() => returnsApi(api).forOrder(order.id), [api, order.id, order.status]);
  const done = () => {
    returns.reload();
    onChanged();
  };
  return (
    <Card title="Returns" id="returns">
      <ErrorNotice error={returns.error} />
      {returns.data && returns.data.data.length === 0 ? <Empty>No returns.</Empty> : null}
      <ul className="plain">
        {returns.data?.data.map((r) => (
          <li key={r.id}>
            <Link href={`/returns?rma=${encodeURIComponent(r.id)}`}>{r.id}</Link> <Badge status={r.status} />{' '}
            <span className="muted">{r.lines.map((l) => `${l.quantity} × ${l.sku} (${l.reason})`).join(', ')}</span>
          </li>
        ))}
      </ul>
      <ul className="plain" aria-label="Linked orders">
        {order.linked_orders.map((l) => (
          <li key={l.order_id} data-linked={l.kind}>
            {l.kind} <Link href={`/orders/${l.order_id}`}>{l.order_id}</Link> <span className="muted">{l.reason}</span>
          </li>
        ))}
      </ul>
      {can('orders:manage') ? (
        <>
          <StartReturnForm order={order} onDone={done} />
          <ReshipForm order={order} onDone={done} />
        </>
      ) : null}
    </Card>
  );
}

/** Units delivered and neither returned nor on an open return. */
const returnable = (l: Order['lines'][number]) =>
  l.quantities.delivered - l.quantities.returned - l.quantities.return_requested;

function StartReturnForm({ order, onDone }: { order: Order; onDone: () => void }) {
  const { api } = useSession();
  const { locations } = useDirectory();
  const stores = locations.filter((l) => l.capabilities.includes('returns'));
  const action = useAction();
  const lines = order.lines.filter((l) => returnable(l) > 0);
  const picked = useLineQuantity(lines);
  const [reason, setReason] = useState<ReturnReason>('size_fit');
  const [method, setMethod] = useState<ReturnMethod>('mail_in');
  const [store, setStore] = useState('');
  const [carrier, setCarrier] = useState('');
  const [tracking, setTracking] = useState('');
  if (lines.length === 0) return <Empty>Nothing delivered is left to return.</Empty>;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const where =
      method === 'in_store'
        ? { location_id: store || stores[0]?.id || '' }
        : {
            ...(carrier.trim() ? { carrier: carrier.trim() } : {}),
            ...(tracking.trim() ? { tracking_number: tracking.trim() } : {}),
          };
    const input = {
      order_id: order.id,
      method,
      ...where,
      lines: [{ line_id: picked.lineId, quantity: picked.quantity, reason }],
    };
    void action.run(() => returnsApi(api).start(input), onDone);
  };
  return (
    <form className="inline" onSubmit={submit} aria-label="Start a return">
      <ErrorNotice error={action.error} />
      {picked.fields}
      <label>
        Reason
        <select value={reason} onChange={(e) => setReason(e.target.value as ReturnReason)}>
          {returnReasons.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
      </label>
      <label>
        Method
        <select value={method} onChange={(e) => setMethod(e.target.value as ReturnMethod)}>
          {returnMethods.map((m) => (
            <option key={m}>{m}</option>
          ))}
        </select>
      </label>
      {method === 'in_store' ? (
        <label>
          Store
          <select value={store} onChange={(e) => setStore(e.target.value)}>
            {stores.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
        </label>
      ) : (
        <>
          <label>
            Carrier
            <input value={carrier} onChange={(e) => setCarrier(e.target.value)} />
          </label>
          <label>
            Tracking number
            <input value={tracking} onChange={(e) => setTracking(e.target.value)} />
          </label>
        </>
      )}
      <button type="submit" disabled={action.busy}>
        Start a return
      </button>
    </form>
  );
}

function ReshipForm({ order, onDone }: { order: Order; onDone: () => void }) {
  const { api } = useSession();
  const action = useAction();
  const lines = order.lines.filter((l) => l.quantities.shipped > 0);
  const picked = useLineQuantity(lines);
  const [reason, setReason] = useState<ReshipReason>('lost');
  const [note, setNote] = useState('');
  if (lines.length === 0) return <Empty>Nothing has shipped yet, so nothing can be reshipped.</Empty>;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const input = {
      reason,
      ...(note.trim() ? { note: note.trim() } : {}),
      lines: [{ line_id: picked.lineId, quantity: picked.quantity }],
    };
    void action.run(() => returnsApi(api).reship(order.id, input), onDone);
  };
  return (
    <form className="inline" onSubmit={submit} aria-label="Reship">
      <ErrorNotice error={action.error} />
      {picked.fields}
      <label>
        Reason
        <select value={reason} onChange={(e) => setReason(e.target.value as ReshipReason)}>
          {reshipReasons.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
      </label>
      <label>
        Note
        <input value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
      <button type="submit" disabled={action.busy}>
        Reship
      </button>
    </form>
  );
}
