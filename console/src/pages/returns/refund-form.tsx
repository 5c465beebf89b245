import { useState, type FormEvent } from 'react';
import {
  returnsApi,
  type RefundInput,
  type RefundPreview,
  type RefundResult,
  type ReturnRecord,
} from '../../api/returns.ts';
import { useSession } from '../../session.tsx';
import { ErrorNotice, Table } from '../../ui/common.tsx';
import { formatMoney } from '../../ui/format.ts';
import { useAction } from '../../ui/load.ts';

type Shipping = 'policy' | 'refund' | 'keep';
const shippingChoices: [Shipping, string][] = [
  ['policy', 'As the return policy says'],
  ['refund', 'Refund shipping'],
  ['keep', 'Keep shipping'],
];
const PREVIEW_COLUMNS = ['unit_price', 'subtotal', 'discount', 'tax', 'restocking_fee', 'total'] as const;

/**
 * Refunds received units in two steps: the agent picks the units (all that arrived by default)
 * and whether shipping goes back, the server previews the refund (lines, tax, restocking fee,
 * shipping, total) with the refund's own computation, and only the confirmation refunds it.
 */
export function RefundForm({ record, onRefunded }: { record: ReturnRecord; onRefunded: (r: RefundResult) => void }) {
  const { api } = useSession();
  const action = useAction();
  const open = record.lines.filter((l) => l.received > l.refunded);
  const [units, setUnits] = useState<Record<string, number>>(
    Object.fromEntries(open.map((l) => [l.line_id, l.received - l.refunded])),
  );
  const [shipping, setShipping] = useState<Shipping>('policy');
  const [preview, setPreview] = useState<RefundPreview>();
  const input = (): RefundInput => ({
    lines: open.map((l) => ({ line_id: l.line_id, quantity: units[l.line_id] ?? 0 })).filter((l) => l.quantity > 0),
    ...(shipping === 'policy' ? {} : { refund_shipping: shipping === 'refund' }),
  });
  // Any change of what is asked makes the preview stale: it has to be previewed again.
  const change = (apply: () => void) => {
    apply();
    setPreview(undefined);
  };
  const calls = returnsApi(api);
  const previewIt = (event: FormEvent) => {
    event.preventDefault();
    void action.run(async () => setPreview(await calls.previewRefund(record.id, input())));
  };
  const confirm = () => void action.run(async () => onRefunded(await calls.refund(record.id, input())));
  return (
    <form className="headed-form" onSubmit={previewIt} aria-labelledby={`refund-${record.id}-title`}>
      <h3 id={`refund-${record.id}-title`}>Refund</h3>
      <ErrorNotice error={action.error} />
      <div className="inline">
        {open.map((l) => (
          <label key={l.line_id}>
            Refund units of {l.line_id} · {l.sku}
            <input
              type="number"
              min={0}
              max={l.received - l.refunded}
              value={units[l.line_id] ?? 0}
              onChange={(e) => change(() => setUnits({ ...units, [l.line_id]: Number(e.target.value) }))}
            />
          </label>
        ))}
        <label>
          Shipping
          <select value={shipping} onChange={(e) => change(() => setShipping(e.target.value as Shipping))}>
            {shippingChoices.map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={action.busy}>
          Preview refund
        </button>
      </div>
      {preview ? (
        <PreviewView preview={preview} busy={action.busy} onConfirm={confirm} onBack={() => setPreview(undefined)} />
      ) : null}
    </form>
  );
}

function PreviewView({
  preview: p,
  busy,
  onConfirm,
  onBack,
}: {
  preview: RefundPreview;
  busy: boolean;
  onConfirm: () => void;
  onBack: () => void;
}) {
  const fee = p.policy.restocking_fee_bps;
  return (
    <section className="refund-preview" aria-label="Refund preview">
      <Table label="Refunded lines">
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col">Item</th>
            <th scope="col" className="num">
              Units
            </th>
            {PREVIEW_COLUMNS.map((c) => (
              <th key={c} scope="col" className="num">
                {c.replace('_', ' ')}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {p.lines.map((l) => (
            <tr key={l.line_id} data-preview-line={l.line_id}>
              <td>{l.line_id}</td>
              <td>{l.name}</td>
              <td className="num">{l.quantity}</td>
              {PREVIEW_COLUMNS.map((c) => (
                <td key={c} className="num">
                  {formatMoney(l[c])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </Table>
      <dl className="facts">
        <div>
          <dt>Shipping</dt>
          <dd data-testid="preview-shipping">{formatMoney(p.shipping)}</dd>
        </div>
        <div>
          <dt>Restocking fee</dt>
          <dd data-testid="preview-restocking-fee">
            {formatMoney(p.restocking_fee)}
            {fee > 0 ? ` (${fee / 100} % where the reason is not the merchant's fault)` : ''}
          </dd>
        </div>
        <div>
          <dt>Tax</dt>
          <dd data-testid="preview-tax">{formatMoney(p.tax)}</dd>
        </div>
        <div>
          <dt>Total</dt>
          <dd data-testid="preview-total">{formatMoney(p.total)}</dd>
        </div>
      </dl>
      <div className="inline">
        <button type="button" disabled={busy} onClick={onConfirm}>
          Confirm refund of {formatMoney(p.total)}
        </button>
        <button type="button" disabled={busy} onClick={onBack}>
          Change
        </button>
      </div>
    </section>
  );
}
