import { useState, type FormEvent } from 'react';
import type { Order } from '../../api/types.ts';
import { useSession } from '../../session.tsx';
import { Card, ErrorNotice } from '../../ui/common.tsx';
import { useLineQuantity } from './line-quantity.tsx';
import { useAction } from '../../ui/load.ts';

const HOLD_KINDS = ['manual', 'fraud', 'review', 'payment'] as const;

const cancellable = (order: Order) =>
  order.managed
    ? order.lines.filter((l) => l.quantities.ordered - l.quantities.cancelled - l.quantities.shipped > 0)
    : [];

/** Statuses in which the server refuses a hold: nothing is left for one to stop. */
const UNHOLDABLE = ['shipped', 'partially_delivered', 'delivered', 'cancelled'];

/** Offered only when the server would take it: an order Consign runs (not imported), not yet shipped. */
const holdable = (order: Order) => order.managed && !UNHOLDABLE.includes(order.status);

/** Customer-service actions: cancel the order or one line, hold and release. */
export function OrderActions({ order, onChanged }: { order: Order; onChanged: () => void }) {
  const { api } = useSession();
  const action = useAction();
  const open = cancellable(order);
  const picked = useLineQuantity(open);
  const [reason, setReason] = useState('');
  const [holdKind, setHoldKind] = useState<(typeof HOLD_KINDS)[number]>('manual');
  const path = `/v1/orders/${encodeURIComponent(order.id)}`;
  const why = reason.trim() || 'Requested by customer service';
  const cancelLine = (event: FormEvent) => {
    event.preventDefault();
    void action.run(
      () => api.post(`${path}/cancel`, { reason: why, lines: [{ line_id: picked.lineId, quantity: picked.quantity }] }),
      onChanged,
    );
  };
  const cancelOrder = () => {
    if (!window.confirm(`Cancel all of order ${order.external_id}?`)) return;
    void action.run(() => api.post(`${path}/cancel`, { reason: why }), onChanged);
  };
  const openHolds = order.holds.filter((h) => !h.released_at);
  return (
    <Card title="Actions" id="actions">
      <ErrorNotice error={action.error} />
      <label className="wide">
        Reason
        <input value={reason} onChange={(e) => setReason(e.target.value)} placeholder="Why (kept on the timeline)" />
      </label>
      {open.length > 0 ? (
        <form className="inline" onSubmit={cancelLine} aria-label="Cancel a line">
          {picked.fields}
          <button type="submit" disabled={action.busy}>
            Cancel line
          </button>
          <button type="button" className="danger" onClick={cancelOrder} disabled={action.busy}>
            Cancel order
          </button>
        </form>
      ) : null}
      <div className="inline">
        {holdable(order) ? (
          <>
            <label>
              Hold kind
              <select value={holdKind} onChange={(e) => setHoldKind(e.target.value as (typeof HOLD_KINDS)[number])}>
                {HOLD_KINDS.map((k) => (
                  <option key={k}>{k}</option>
                ))}
              </select>
            </label>
            <button
              type="button"
              disabled={action.busy}
              onClick={() =>
                void action.run(() => api.post(`${path}/hold`, { kind: holdKind, reason: why }), onChanged)
              }
            >
              Put on hold
            </button>
          </>
        ) : null}
        {openHolds.map((h) => (
          <button
            key={h.kind}
            type="button"
            disabled={action.busy}
            onClick={() => void action.run(() => api.post(`${path}/release-hold`, { kind: h.kind }), onChanged)}
          >
            Release {h.kind} hold
          </button>
        ))}
      </div>
    </Card>
  );
}
