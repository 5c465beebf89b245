import { useState, type FormEvent, type ReactNode } from 'react';
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
          <ExchangeForm order={order} onDone={done} />
          <ReshipForm order={order} onDone={done} />
        </>
      ) : null}
    </Card>
  );
}

/** Units delivered and neither returned nor on an open return. */
const returnable = (l: Order['lines'][number]) =>
  l.quantities.delivered - l.quantities.returned - l.quantities.return_requested;

/** A form named by its own heading: each of the section's forms stands apart from the others. */
function HeadedForm({
  id,
  title,
  onSubmit,
  children,
}: {
  id: string;
  title: string;
  onSubmit: (event: FormEvent) => void;
  children: ReactNode;
}) {
  return (
    <form className="headed-form" onSubmit={onSubmit} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{title}</h3>
      {children}
    </form>
  );
}

/** How the units come back: by mail (carrier, tracking) or to a store taking returns. */
function useReturnMethod() {
  const { locations } = useDirectory();
  const stores = locations.filter((l) => l.capabilities.includes('returns'));
  const [method, setMethod] = useState<ReturnMethod>('mail_in');
  const [store, setStore] = useState('');
  const [carrier, setCarrier] = useState('');
  const [tracking, setTracking] = useState('');
  const where = () =>
    method === 'in_store'
      ? { method, location_id: store || stores[0]?.id || '' }
      : {
          method,
          ...(carrier.trim() ? { carrier: carrier.trim() } : {}),
          ...(tracking.trim() ? { tracking_number: tracking.trim() } : {}),
        };
  const fields = (
    <div className="inline">
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
    </div>
  );
  return { where, fields };
}

function ReasonField({ value, onChange }: { value: ReturnReason; onChange: (reason: ReturnReason) => void }) {
  return (
    <label>
      Reason
      <select value={value} onChange={(e) => onChange(e.target.value as ReturnReason)}>
        {returnReasons.map((r) => (
          <option key={r}>{r}</option>
        ))}
      </select>
    </label>
  );
}

/** A return of one or several lines at once: how many units of each, and why. */
function StartReturnForm({ order, onDone }: { order: Order; onDone: () => void }) {
  const { api } = useSession();
  const action = useAction();
  const lines = order.lines.filter((l) => returnable(l) > 0);
  const method = useReturnMethod();
  const [picked, setPicked] = useState<Record<string, { quantity: number; reason: ReturnReason }>>({});
  if (lines.length === 0) return <Empty>Nothing delivered is left to return.</Empty>;
  // A single line is asked back in full until said otherwise; with several, the agent picks.
  const chosen = (lineId: string) =>
    picked[lineId] ?? { quantity: lines.length === 1 ? 1 : 0, reason: 'size_fit' as ReturnReason };
  const update = (lineId: string, change: Partial<{ quantity: number; reason: ReturnReason }>) =>
    setPicked({ ...picked, [lineId]: { ...chosen(lineId), ...change } });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const input = {
      order_id: order.id,
      ...method.where(),
      lines: lines.map((l) => ({ line_id: l.line_id, ...chosen(l.line_id) })).filter((l) => l.quantity > 0),
    };
    void action.run(() => returnsApi(api).start(input), onDone);
  };
  return (
    <HeadedForm id="start-return" title="Start a return" onSubmit={submit}>
      <ErrorNotice error={action.error} />
      {lines.map((l) => (
        <fieldset key={l.line_id} className="inline" data-return-line={l.line_id}>
          <legend>
            {l.line_id} · {l.sku} ({returnable(l)} returnable)
          </legend>
          <label>
            Quantity
            <input
              type="number"
              min={0}
              max={returnable(l)}
              value={chosen(l.line_id).quantity}
              onChange={(e) => update(l.line_id, { quantity: Number(e.target.value) })}
            />
          </label>
          <ReasonField value={chosen(l.line_id).reason} onChange={(reason) => update(l.line_id, { reason })} />
        </fieldset>
      ))}
      {method.fields}
      <button type="submit" disabled={action.busy}>
        Start a return
      </button>
    </HeadedForm>
  );
}

/** Delivered units sent back for another SKU: the replacement order is placed when the return is authorized. */
function ExchangeForm({ order, onDone }: { order: Order; onDone: () => void }) {
  const { api } = useSession();
  const action = useAction();
  const lines = order.lines.filter((l) => returnable(l) > 0);
  const picked = useLineQuantity(lines);
  const method = useReturnMethod();
  const [reason, setReason] = useState<ReturnReason>('size_fit');
  const [sku, setSku] = useState('');
  if (lines.length === 0) return null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const line = { line_id: picked.lineId, quantity: picked.quantity, reason, exchange: { sku: sku.trim() } };
    void action.run(() => returnsApi(api).start({ order_id: order.id, ...method.where(), lines: [line] }), onDone);
  };
  return (
    <HeadedForm id="exchange" title="Exchange" onSubmit={submit}>
      <ErrorNotice error={action.error} />
      <div className="inline">
        {picked.fields}
        <ReasonField value={reason} onChange={setReason} />
        <label>
          Replacement SKU
          <input value={sku} required onChange={(e) => setSku(e.target.value)} />
        </label>
      </div>
      {method.fields}
      <button type="submit" disabled={action.busy || !sku.trim()}>
        Start the exchange
      </button>
    </HeadedForm>
  );
}

/** Shipped units sent again at no charge (lost or damaged in transit), as a linked order. */
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
    <HeadedForm id="reship" title="Reship" onSubmit={submit}>
      <ErrorNotice error={action.error} />
      <div className="inline">
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
      </div>
      <button type="submit" disabled={action.busy}>
        Reship
      </button>
    </HeadedForm>
  );
}
