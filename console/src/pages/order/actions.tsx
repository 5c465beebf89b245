import { useState, type FormEvent } from 'react';
import type { Order } from '../../api/types.ts';
import { useSession } from '../../session.tsx';
import { Card, ErrorNotice } from '../../ui/common.tsx';
import type { ConfirmRequest } from '../../ui/confirm.tsx';
import { formatMinor, fromMinor, toMinor } from '../../ui/format.ts';
import { useAction } from '../../ui/load.ts';
import { useLineQuantity } from './line-quantity.tsx';

const HOLD_KINDS = ['manual', 'fraud', 'review', 'payment'] as const;

const cancellable = (order: Order) =>
  order.managed
    ? order.lines.filter((l) => l.quantities.ordered - l.quantities.cancelled - l.quantities.shipped > 0)
    : [];

/** Statuses in which the server refuses a hold: nothing is left for one to stop. */
const UNHOLDABLE = ['shipped', 'partially_delivered', 'delivered', 'cancelled'];

/** Offered only when the server would take it: an order Consign runs (not imported), not yet shipped. */
const holdable = (order: Order) => order.managed && !UNHOLDABLE.includes(order.status);

const settled = (order: Order, kind: string) =>
  order.payments.filter((p) => p.kind === kind && p.status === 'succeeded').reduce((n, p) => n + p.amount.amount, 0);

/** Captured money not refunded yet: what a refund may give back. */
const refundable = (order: Order) => (order.managed ? settled(order, 'capture') - settled(order, 'refund') : 0);

export interface ActionProps {
  order: Order;
  /** Reloads the order and says what was done (`role="status"`). */
  onDone: (message: string) => void;
  /** Asks before a destructive action (`useConfirm`). */
  confirm: (request: ConfirmRequest) => void;
}

/**
 * Customer-service actions: cancel the order or one line, hold and release, refund. Each is
 * offered only when the server would take it; cancelling, releasing and refunding ask first.
 */
export function OrderActions({ order, onDone, confirm }: ActionProps) {
  const { api } = useSession();
  const action = useAction();
  const open = cancellable(order);
  const picked = useLineQuantity(open);
  const [reason, setReason] = useState('');
  const [holdKind, setHoldKind] = useState<(typeof HOLD_KINDS)[number]>('manual');
  const path = `/v1/orders/${encodeURIComponent(order.id)}`;
  const why = reason.trim() || 'Requested by customer service';
  const run = (call: () => Promise<unknown>, message: string) =>
    void action.run(call, () => {
      setReason('');
      onDone(message);
    });
  const cancelLine = (event: FormEvent) => {
    event.preventDefault();
    const { lineId, quantity } = picked;
    const line = open.find((l) => l.line_id === lineId);
    confirm({
      title: `Cancel ${quantity} of line ${lineId}?`,
      body: (
        <p>
          {quantity} × {line?.sku ?? lineId} will be cancelled for “{why}”: the stock is released and the money for them
          is voided or refunded. This cannot be undone.
        </p>
      ),
      run: () =>
        run(
          () => api.post(`${path}/cancel`, { reason: why, lines: [{ line_id: lineId, quantity }] }),
          `Cancelled ${quantity} of line ${lineId}.`,
        ),
    });
  };
  const cancelOrder = () =>
    confirm({
      title: `Cancel order ${order.external_id}?`,
      body: (
        <p>
          Everything not yet shipped will be cancelled for “{why}”: its stock is released and its money voided or
          refunded. This cannot be undone.
        </p>
      ),
      run: () => run(() => api.post(`${path}/cancel`, { reason: why }), `Order ${order.external_id} cancelled.`),
    });
  const release = (kind: string) =>
    confirm({
      title: `Release the ${kind} hold?`,
      body: (
        <p>
          The {kind} hold comes off order {order.external_id}. With no other hold left, the order is routed and its
          locations start picking it.
        </p>
      ),
      run: () => run(() => api.post(`${path}/release-hold`, { kind }), `The ${kind} hold is released.`),
    });
  const heldKinds = [...new Set(order.holds.filter((h) => !h.released_at).map((h) => h.kind))];
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
                run(() => api.post(`${path}/hold`, { kind: holdKind, reason: why }), `Order put on a ${holdKind} hold.`)
              }
            >
              Put on hold
            </button>
          </>
        ) : null}
        {heldKinds.map((kind) => (
          <button key={kind} type="button" disabled={action.busy} onClick={() => release(kind)}>
            Release {kind} hold
          </button>
        ))}
      </div>
      {refundable(order) > 0 ? (
        <RefundForm order={order} why={why} busy={action.busy} confirm={confirm} run={run} />
      ) : null}
    </Card>
  );
}

/** A goodwill refund of captured money (at most what is left to refund). */
function RefundForm({
  order,
  why,
  busy,
  confirm,
  run,
}: {
  order: Order;
  why: string;
  busy: boolean;
  confirm: ActionProps['confirm'];
  run: (call: () => Promise<unknown>, message: string) => void;
}) {
  const { api } = useSession();
  const currency = order.total.currency;
  const most = refundable(order);
  const [amount, setAmount] = useState('');
  const minor = toMinor(amount, currency);
  const valid = Number.isInteger(minor) && minor > 0 && minor <= most;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!valid) return;
    const shown = formatMinor(minor, currency);
    confirm({
      title: `Refund ${shown}?`,
      body: (
        <p>
          {shown} goes back to the customer through the payment gateway for “{why}”, and a credit memo is issued. This
          cannot be undone.
        </p>
      ),
      run: () =>
        run(
          () =>
            api.post(
              `/v1/orders/${encodeURIComponent(order.id)}/refunds`,
              { amount: { amount: minor, currency }, reason: why },
              { idempotent: true },
            ),
          `Refunded ${shown}.`,
        ),
    });
  };
  return (
    <form className="inline" onSubmit={submit} aria-label="Refund">
      <label>
        Refund amount
        <input
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          inputMode="decimal"
          placeholder={fromMinor(most, currency)}
        />
      </label>
      <span className="muted">up to {formatMinor(most, currency)}</span>
      <button type="submit" className="danger" disabled={busy || !valid}>
        Refund
      </button>
    </form>
  );
}
