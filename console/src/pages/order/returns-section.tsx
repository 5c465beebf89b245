import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client.ts';
import { returnsApi } from '../../api/returns.ts';
import type { Order } from '../../api/types.ts';
import { Link } from '../../router.tsx';
import { useSession } from '../../session.tsx';
import { Badge, Card, Empty, ErrorNotice } from '../../ui/common.tsx';
import { useLineQuantity } from './line-quantity.tsx';
import { useAction, useLoad } from '../../ui/load.ts';

/** The order's returns, and "start a return" / "reship" (the returns API; absent servers say so). */
export function ReturnsSection({ order, onChanged }: { order: Order; onChanged: () => void }) {
  const { api, can } = useSession();
  const returns = useLoad(() => returnsApi(api).forOrder(order.id), [api, order.id, order.status]);
  const unavailable = returns.error instanceof ApiError && returns.error.status === 404;
  return (
    <Card title="Returns" id="returns">
      {unavailable ? <Empty>Returns are not available on this server.</Empty> : <ErrorNotice error={returns.error} />}
      {returns.data && returns.data.data.length === 0 ? <Empty>No returns.</Empty> : null}
      <ul className="plain">
        {returns.data?.data.map((r) => (
          <li key={r.id}>
            <Link href={`/returns?rma=${encodeURIComponent(r.id)}`}>{r.id}</Link> <Badge status={r.status} />{' '}
            <span className="muted">{r.lines.map((l) => `${l.quantity} × ${l.sku}`).join(', ')}</span>
          </li>
        ))}
      </ul>
      {can('orders:manage') && !unavailable ? (
        <LineForm
          order={order}
          onDone={() => {
            returns.reload();
            onChanged();
          }}
        />
      ) : null}
    </Card>
  );
}

function LineForm({ order, onDone }: { order: Order; onDone: () => void }) {
  const { api } = useSession();
  const action = useAction();
  const shipped = order.lines.filter((l) => l.quantities.shipped > 0);
  const picked = useLineQuantity(shipped);
  const [reason, setReason] = useState('');
  if (shipped.length === 0) return <Empty>Nothing has shipped yet, so nothing can be returned or reshipped.</Empty>;
  const lines = [{ line_id: picked.lineId, quantity: picked.quantity }];
  const why = reason.trim() || 'Customer request';
  const startReturn = (event: FormEvent) => {
    event.preventDefault();
    void action.run(() => returnsApi(api).start({ order_id: order.id, reason: why, lines }), onDone);
  };
  return (
    <form className="inline" onSubmit={startReturn} aria-label="Start a return or reship">
      <ErrorNotice error={action.error} />
      {picked.fields}
      <label>
        Reason
        <input value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      <button type="submit" disabled={action.busy}>
        Start a return
      </button>
      <button
        type="button"
        disabled={action.busy}
        onClick={() => void action.run(() => returnsApi(api).reship(order.id, lines, why), onDone)}
      >
        Reship
      </button>
    </form>
  );
}
