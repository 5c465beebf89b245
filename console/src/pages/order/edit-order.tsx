import { useState, type FormEvent } from 'react';
import type { Order, OrderLine } from '../../api/types.ts';
import { useLineQuantity } from './line-quantity.tsx';
import { useSession } from '../../session.tsx';
import { Card, ErrorNotice } from '../../ui/common.tsx';
import { formatMoney, type Money } from '../../ui/format.ts';
import { useAction } from '../../ui/load.ts';

/** What the console reads of a drafted change (POST /v1/orders/{id}/changes). */
interface ChangeDraft {
  id: string;
  status: string;
  preview: {
    after: { total: Money };
    delta: Money;
    settlement: { authorize: Money; void: Money; refund: Money };
    release_needed: string[];
  } | null;
  preview_problem?: { detail: string };
}

/** The units of a line the customer still wants: what a new quantity replaces. */
const live = (line: OrderLine | undefined) => (line ? line.quantities.ordered - line.quantities.cancelled : 0);

/**
 * Edit order: a new quantity for one line, previewed (new total, payment delta, how it settles,
 * work a location must release first), then confirmed or discarded.
 */
export function EditOrder({ order, onChanged }: { order: Order; onChanged: () => void }) {
  const { api } = useSession();
  const action = useAction();
  const picked = useLineQuantity(order.lines, { label: 'New quantity', min: 0, initial: live });
  const { lineId, quantity } = picked;
  const [reason, setReason] = useState('');
  const [draft, setDraft] = useState<ChangeDraft>();
  const path = `/v1/orders/${encodeURIComponent(order.id)}/changes`;
  const preview = (event: FormEvent) => {
    event.preventDefault();
    const act =
      quantity === 0
        ? { type: 'remove_line', line_id: lineId }
        : { type: 'change_quantity', line_id: lineId, quantity };
    void action.run(async () =>
      setDraft(
        await api.post<ChangeDraft>(
          path,
          { reason: reason.trim() || 'Requested by customer service', actions: [act] },
          { idempotent: true },
        ),
      ),
    );
  };
  const decide = (verb: 'confirm' | 'cancel') =>
    void action.run(
      () => api.post(`${path}/${encodeURIComponent(draft!.id)}/${verb}`, {}, { idempotent: true }),
      () => {
        setDraft(undefined);
        onChanged();
      },
    );
  const p = draft?.preview;
  return (
    <Card title="Edit order" id="edit-order">
      <ErrorNotice error={action.error} />
      <form className="inline" onSubmit={preview} aria-label="Edit order">
        {picked.fields}
        <label>
          Why
          <input value={reason} onChange={(e) => setReason(e.target.value)} placeholder="Kept on the timeline" />
        </label>
        <button type="submit" disabled={action.busy}>
          Preview
        </button>
      </form>
      {draft && !p ? <p role="alert">{draft.preview_problem?.detail ?? 'This change cannot apply.'}</p> : null}
      {draft && p ? (
        <div data-testid="change-preview">
          <dl className="facts">
            <div>
              <dt>New total</dt>
              <dd data-testid="change-total">{formatMoney(p.after.total)}</dd>
            </div>
            <div>
              <dt>Payment delta</dt>
              <dd data-testid="change-delta">{formatMoney(p.delta)}</dd>
            </div>
            <div>
              <dt>Settles by</dt>
              <dd>
                {p.settlement.authorize.amount > 0 ? `authorizing ${formatMoney(p.settlement.authorize)}` : null}
                {p.settlement.void.amount > 0 ? `voiding ${formatMoney(p.settlement.void)} ` : null}
                {p.settlement.refund.amount > 0 ? `refunding ${formatMoney(p.settlement.refund)}` : null}
                {p.delta.amount === 0 ? 'nothing' : null}
              </dd>
            </div>
            {p.release_needed.length > 0 ? (
              <div>
                <dt>Waits for</dt>
                <dd>{p.release_needed.length} location release(s)</dd>
              </div>
            ) : null}
          </dl>
          <div className="inline">
            <button type="button" disabled={action.busy} onClick={() => decide('confirm')}>
              Confirm change
            </button>
            <button type="button" disabled={action.busy} onClick={() => decide('cancel')}>
              Discard
            </button>
          </div>
        </div>
      ) : null}
    </Card>
  );
}
