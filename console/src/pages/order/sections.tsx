import type { Order, RoutingDecision } from '../../api/types.ts';
import { useDirectory } from '../../directory.tsx';
import { useSession } from '../../session.tsx';
import { Badge, Card, Empty, ErrorNotice, Table } from '../../ui/common.tsx';
import { formatDateTime, formatMinor, formatMoney, humanize } from '../../ui/format.ts';
import { useAction } from '../../ui/load.ts';
import { saveFile } from '../../ui/save-file.ts';
import { TrackingNumber } from '../../ui/tracking-link.tsx';

const BUCKETS = [
  'ordered',
  'allocated',
  'backordered',
  'cancelled',
  'shipped',
  'delivered',
  'returned',
  'refunded',
] as const;

export function LinesSection({ order }: { order: Order }) {
  return (
    <Card title="Lines" id="lines">
      <Table label="Order lines and their quantities">
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col">SKU</th>
            <th scope="col" className="num">
              Unit price
            </th>
            {BUCKETS.map((b) => (
              <th scope="col" className="num" key={b}>
                {b}
              </th>
            ))}
            <th scope="col">Promised</th>
          </tr>
        </thead>
        <tbody>
          {order.lines.map((line) => (
            <tr key={line.line_id} data-line={line.line_id}>
              <td>{line.line_id}</td>
              <td>
                {line.sku} <span className="muted">{line.name ?? ''}</span>
              </td>
              <td className="num">{formatMoney(line.unit_price)}</td>
              {BUCKETS.map((b) => (
                <td className="num" key={b} data-bucket={b}>
                  {line.quantities[b]}
                </td>
              ))}
              <td data-promised={line.promised_on ?? ''}>
                {line.promised_on ?? (line.quantities.backordered > 0 ? <span className="muted">no supply</span> : '')}
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
    </Card>
  );
}

export function RoutingSection({ routing, error }: { routing: RoutingDecision | null; error: Error | undefined }) {
  const inner = routing?.explanation.explanation;
  return (
    <Card title="Routing decision" id="routing">
      <ErrorNotice error={error} />
      {!routing ? <Empty>No routing decision yet.</Empty> : null}
      {routing ? (
        <>
          {routing.explanation_text ? (
            <p className="lead" data-testid="routing-sentence">
              {routing.explanation_text}
            </p>
          ) : null}
          <p>
            <Badge status={routing.outcome} /> {inner?.summary ?? ''}{' '}
            <span className="muted">
              ({humanize(routing.cause)}, rules {routing.rules_version ?? 'default'})
            </span>
          </p>
          {inner ? <CandidateTable explanation={inner} currency={routing.explanation.currency} /> : null}
        </>
      ) : null}
    </Card>
  );
}

type Explanation = NonNullable<RoutingDecision['explanation']['explanation']>;

/** Every candidate location of a routing explanation: its verdict, distance, freight and why. */
export function CandidateTable({
  explanation,
  currency,
  label = 'Candidate locations',
}: {
  explanation: Explanation;
  currency: string | undefined;
  label?: string;
}) {
  const { locationName } = useDirectory();
  return (
    <>
      {explanation.candidates?.length ? (
        <Table label={label}>
          <thead>
            <tr>
              <th scope="col">Location</th>
              <th scope="col">Verdict</th>
              <th scope="col" className="num">
                Distance
              </th>
              <th scope="col" className="num">
                Cost
              </th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {explanation.candidates.map((c) => (
              <tr key={c.locationId}>
                <td>{locationName(c.locationId)}</td>
                <td>
                  {c.chosen ? (
                    <Badge status="active" label="chosen" />
                  ) : c.eligible ? (
                    'eligible'
                  ) : (
                    <Badge status="rejected" label="excluded" />
                  )}
                </td>
                <td className="num">{c.scores.distanceKm == null ? '—' : `${c.scores.distanceKm.toFixed(0)} km`}</td>
                <td className="num">
                  {c.scores.costMinor == null ? '—' : formatMinor(c.scores.costMinor, currency ?? 'USD')}
                </td>
                <td>{c.excludedBy.map((e) => e.reason).join(' ') || (c.chosen ? 'Best plan' : '')}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
      {explanation.omitted && explanation.omitted.count > 0 ? (
        <p className="muted">{explanation.omitted.summary}.</p>
      ) : null}
    </>
  );
}

export function FulfillmentSection({ order }: { order: Order }) {
  const { locationName } = useDirectory();
  return (
    <Card title="Fulfillment and shipments" id="fulfillment">
      {order.fulfillment_orders.length === 0 ? <Empty>No fulfillment orders.</Empty> : null}
      <ul className="plain">
        {order.fulfillment_orders.map((fo) => (
          <li key={fo.id} className="fo" data-fo={fo.id}>
            <strong>{locationName(fo.location_id)}</strong> <Badge status={fo.status} />{' '}
            <span className="muted">{fo.delivery_method}</span>
            <span className="muted"> · {fo.lines.map((l) => `${l.quantity} × ${l.sku}`).join(', ')}</span>
            {order.shipments
              .filter((s) => s.fulfillment_order_id === fo.id)
              .map((s) => (
                <div key={s.id} className="shipment" data-shipment={s.id}>
                  Shipment {s.carrier} <TrackingNumber carrier={s.carrier} number={s.tracking_number} />{' '}
                  <Badge status={s.status} /> shipped {formatDateTime(s.shipped_at)}
                  {s.tracking.length ? (
                    <ol className="timeline" aria-label={`Tracking of ${s.tracking_number ?? s.id}`}>
                      {s.tracking.map((t, i) => (
                        <li key={i}>
                          <Badge status={t.status} /> {formatDateTime(t.occurred_at ?? t.at ?? null)}{' '}
                          {t.description ?? ''} {t.location ?? ''}
                        </li>
                      ))}
                    </ol>
                  ) : (
                    <span className="muted"> · no tracking events yet</span>
                  )}
                </div>
              ))}
          </li>
        ))}
      </ul>
    </Card>
  );
}

export function PaymentsSection({ order }: { order: Order }) {
  const { api } = useSession();
  const download = useAction();
  const downloadPdf = (id: string, number: string) =>
    download.run(() => saveFile(api.blob(`/v1/invoices/${encodeURIComponent(id)}.pdf`), `${number}.pdf`));
  return (
    <Card title="Payments and invoices" id="payments">
      <Table label="Payments">
        <thead>
          <tr>
            <th scope="col">Kind</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Amount
            </th>
            <th scope="col">Reference</th>
            <th scope="col">At</th>
          </tr>
        </thead>
        <tbody>
          {order.payments.map((p) => (
            <tr key={p.id} data-payment={p.kind}>
              <td>{p.kind}</td>
              <td>
                <Badge status={p.status} />
              </td>
              <td className="num">{formatMoney(p.amount)}</td>
              <td>
                <code>{p.reference ?? ''}</code>
              </td>
              <td>{formatDateTime(p.created_at)}</td>
            </tr>
          ))}
        </tbody>
      </Table>
      <ErrorNotice error={download.error} />
      {order.invoices.length ? (
        <ul className="plain">
          {order.invoices.map((inv) => (
            <li key={inv.id}>
              {inv.kind === 'credit_memo' ? 'Credit memo' : 'Invoice'} {inv.number} · {formatMoney(inv.total)} ·{' '}
              {formatDateTime(inv.issued_at)}{' '}
              <button type="button" onClick={() => void downloadPdf(inv.id, inv.number)} disabled={download.busy}>
                Download PDF
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <Empty>No invoices yet (issued when money is captured).</Empty>
      )}
    </Card>
  );
}

/** What a timeline entry says beyond its type: the reason, note, tag or hold kind it carries. */
function timelineDetail({ type, data }: { type: string; data: Record<string, unknown> }): string {
  const parts: string[] = [];
  const text = (key: string) => (typeof data[key] === 'string' && data[key] ? String(data[key]) : undefined);
  // Payments and invoices have kinds too (capture, credit memo); only a hold's is shown.
  const kinds = Array.isArray(data.kinds) ? data.kinds.join(', ') : text('kind');
  if (kinds && (type === 'order.held' || type === 'order.hold_released')) parts.push(`${kinds} hold`);
  const tag = text('tag');
  if (tag) parts.push(tag);
  const why = text('reason') ?? text('note');
  if (why) parts.push(`“${why}”`);
  return parts.join(' · ');
}

export function TimelineSection({ order }: { order: Order }) {
  return (
    <Card title="Timeline" id="timeline">
      <ol className="timeline">
        {order.timeline.map((entry) => {
          const detail = timelineDetail(entry);
          return (
            <li key={entry.id} data-event={entry.type}>
              <time dateTime={entry.at}>{formatDateTime(entry.at)}</time> <strong>{humanize(entry.type)}</strong>
              {detail ? <span data-detail> {detail}</span> : null}{' '}
              <span className="muted" data-actor>
                {entry.actor ? `by ${entry.actor}` : ''}
              </span>
            </li>
          );
        })}
      </ol>
    </Card>
  );
}

/** Every hold the order had: kind, reason, who placed it and when, and who released it. */
export function HoldsSection({ order }: { order: Order }) {
  if (order.holds.length === 0) return null;
  return (
    <Card title="Holds" id="holds">
      <Table label="Holds">
        <thead>
          <tr>
            <th scope="col">Kind</th>
            <th scope="col">Reason</th>
            <th scope="col">Placed by</th>
            <th scope="col">Placed</th>
            <th scope="col">Released</th>
          </tr>
        </thead>
        <tbody>
          {order.holds.map((h) => (
            <tr key={h.id} data-hold={h.kind}>
              <td>
                {h.kind} {h.released_at ? null : <Badge status="on_hold" label="active" />}
              </td>
              <td>{h.reason ?? ''}</td>
              <td>{h.created_by ?? 'Consign'}</td>
              <td>{formatDateTime(h.created_at)}</td>
              <td>{h.released_at ? `${formatDateTime(h.released_at)} by ${h.released_by ?? 'Consign'}` : '—'}</td>
            </tr>
          ))}
        </tbody>
      </Table>
    </Card>
  );
}
