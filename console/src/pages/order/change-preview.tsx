import type { ChangePreview } from '../../api/changes.ts';
import { Table } from '../../ui/common.tsx';
import { formatMoney, type Money } from '../../ui/format.ts';
import { ChangeRouting } from './change-routing.tsx';

const TOTALS = ['subtotal', 'discount', 'shipping', 'tax', 'total'] as const;

/** How the payment delta settles: authorize more, or void and refund what the order no longer needs. */
function settles(p: ChangePreview): string {
  const parts: [string, Money][] = [
    ['authorizing', p.settlement.authorize],
    ['voiding', p.settlement.void],
    ['refunding', p.settlement.refund],
  ];
  const said = parts.filter(([, m]) => m.amount > 0).map(([verb, m]) => `${verb} ${formatMoney(m)}`);
  if (p.settlement.uncovered.amount > 0)
    said.push(`${formatMoney(p.settlement.uncovered)} not covered by anything collected`);
  return said.length > 0 ? said.join(', ') : 'nothing to settle';
}

/** What confirming would do: new totals, the payment delta and how it settles, routing, locks. */
export function ChangePreviewView({ preview: p }: { preview: ChangePreview }) {
  const locked = p.lines.filter((l) => l.shipped > 0);
  const added = p.lines.filter((l) => l.added);
  return (
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
          <dd data-testid="change-settlement">{settles(p)}</dd>
        </div>
        <div>
          <dt>On version</dt>
          <dd>{p.base_version}</dd>
        </div>
      </dl>
      <Table label="Totals before and after">
        <thead>
          <tr>
            <th scope="col" />
            {TOTALS.map((t) => (
              <th scope="col" className="num" key={t}>
                {t}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {(['before', 'after'] as const).map((when) => (
            <tr key={when}>
              <th scope="row">{when}</th>
              {TOTALS.map((t) => (
                <td className="num" key={t} data-total={`${when}-${t}`}>
                  {formatMoney(p[when][t])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </Table>
      {p.routing ? <ChangeRouting routing={p.routing} /> : null}
      {p.release_needed.length > 0 ? (
        <p data-testid="change-release">
          Waits for {p.release_needed.length} fulfillment order(s) to be released by their location first; routing is
          found then.
        </p>
      ) : null}
      {locked.length > 0 ? (
        <ul className="plain" aria-label="Locked because shipped">
          {locked.map((l) => (
            <li key={l.line_id} data-locked-line={l.line_id}>
              {l.line_id} · {l.sku}: {l.shipped} unit(s) shipped, locked
            </li>
          ))}
        </ul>
      ) : null}
      {added.length > 0 ? (
        <ul className="plain" aria-label="Lines added">
          {added.map((l) => (
            <li key={l.line_id} data-added-line={l.line_id}>
              {l.line_id} · {l.sku}: {l.quantity} at {formatMoney(l.unit_price)}, added
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
