import { useState, type FormEvent } from 'react';
import { decideChange, draftChange, type ChangeDraft } from '../../api/changes.ts';
import type { Order } from '../../api/types.ts';
import { useSession } from '../../session.tsx';
import { Card } from '../../ui/common.tsx';
import { useAction } from '../../ui/load.ts';
import { AddressFields } from './address-fields.tsx';
import { actionsOf, emptyForm, type ChangeForm } from './change-form.ts';
import { ChangeDecision } from './change-decision.tsx';
import { ChangeProblem, isVersionConflict } from './change-problem.tsx';
import { DeliveryFields } from './delivery-fields.tsx';
import { DiscountEdits } from './discount-edits.tsx';
import { LineEdits } from './line-edits.tsx';
import { NewLines } from './new-lines.tsx';
import { ShippingField } from './shipping-field.tsx';

/**
 * Edit order: every change action in one form (lines, new lines, address, delivery, discounts,
 * shipping), previewed (new totals, payment delta and how it settles, routing, locked lines),
 * then confirmed or discarded. The form keeps what the user typed across a reload of the order.
 */
export function EditOrder({ order, onChanged }: { order: Order; onChanged: (message?: string) => void }) {
  const { api } = useSession();
  const action = useAction();
  const [form, setForm] = useState<ChangeForm>(emptyForm);
  const [reason, setReason] = useState('');
  const [draft, setDraft] = useState<ChangeDraft>();
  const [note, setNote] = useState('');
  const cancelQuietly = (d: ChangeDraft | undefined) => {
    if (d?.status === 'open') void decideChange(api, order.id, d.id, 'cancel').catch(() => undefined);
  };
  const edit = (next: ChangeForm) => {
    setForm(next);
    setNote('');
    if (draft) cancelQuietly(draft);
    setDraft(undefined);
  };
  const preview = (event: FormEvent) => {
    event.preventDefault();
    const actions = actionsOf(order, form);
    if (actions.length === 0) return setNote('Nothing to change yet: edit a field first.');
    setNote('');
    void action.run(async () => {
      cancelQuietly(draft);
      setDraft(undefined);
      setDraft(await draftChange(api, order.id, reason.trim() || 'Requested by customer service', actions));
    });
  };
  const decided = (d: ChangeDraft) => {
    setDraft(undefined);
    if (d.status === 'declined')
      return setNote('The additional authorization was declined: the order keeps its lines and is on a payment hold.');
    setForm(emptyForm());
    setReason('');
    const waiting = d.status === 'awaiting_release';
    setNote(waiting ? 'Confirmed: it applies once the locations release their work.' : '');
    onChanged(waiting ? undefined : 'Order change confirmed.');
  };
  const reload = () => {
    cancelQuietly(draft);
    setDraft(undefined);
    action.clear();
    setNote('Reloaded the order: your edits are kept, preview them again.');
    onChanged();
  };
  const set =
    <K extends keyof ChangeForm>(key: K) =>
    (value: ChangeForm[K]) =>
      edit({ ...form, [key]: value });
  const currency = order.total.currency;
  return (
    <Card title="Edit order" id="edit-order">
      <form onSubmit={preview} aria-label="Edit order" data-version={order.version}>
        <LineEdits
          order={order}
          edits={form.lines}
          onEdit={(id, patch) => edit({ ...form, lines: { ...form.lines, [id]: { ...form.lines[id], ...patch } } })}
        />
        <NewLines lines={form.added} currency={currency} onChange={set('added')} />
        <AddressFields order={order} address={form.address} onChange={set('address')} />
        <DeliveryFields order={order} delivery={form.delivery} onChange={set('delivery')} />
        <DiscountEdits discounts={form.discounts} currency={currency} onChange={set('discounts')} />
        <div className="inline">
          <ShippingField order={order} shipping={form.shipping} onChange={set('shipping')} />
          <label>
            Why
            <input
              value={reason}
              maxLength={500}
              onChange={(e) => setReason(e.target.value)}
              placeholder="Kept on the timeline"
            />
          </label>
          <button type="submit" disabled={action.busy}>
            Preview
          </button>
        </div>
      </form>
      <ChangeProblem error={action.error} onReload={reload} />
      {note ? (
        <p className="notice" role="status">
          {note}
        </p>
      ) : null}
      {draft && !isVersionConflict(action.error) ? (
        <ChangeDecision
          draft={draft}
          busy={action.busy}
          onConfirm={() => void action.run(async () => decided(await decideChange(api, order.id, draft.id, 'confirm')))}
          onDiscard={() =>
            void action.run(async () => {
              await decideChange(api, order.id, draft.id, 'cancel');
              setDraft(undefined);
            })
          }
        />
      ) : null}
    </Card>
  );
}
