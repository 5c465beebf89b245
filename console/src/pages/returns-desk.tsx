import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client.ts';
import {
  returnConditions,
  returnDispositions,
  returnsApi,
  type ReceiveInput,
  type ReceiveLine,
  type RefundResult,
  type ReturnRecord,
} from '../api/returns.ts';
import { useDirectory, useWorkLocations } from '../directory.tsx';
import { Link, navigate, useLocation } from '../router.tsx';
import { useSession } from '../session.tsx';
import { Badge, Card, Empty, ErrorNotice, Page, Table } from '../ui/common.tsx';
import { formatDateTime, formatMoney } from '../ui/format.ts';
import { useAction, useLoad } from '../ui/load.ts';
import { RefundForm } from './returns/refund-form.tsx';

/** The returns desk: find returns by order number, e-mail or RMA, receive their lines with condition and disposition, refund. */
export default function ReturnsDesk() {
  const { api } = useSession();
  const { search } = useLocation();
  // `rma` and `order` are the links of the order and customer 360; `q` is the desk's own field.
  const q = (search.get('q') ?? search.get('rma') ?? search.get('order') ?? '').trim();
  const [text, setText] = useState(q);
  const found = useLoad(async () => (q ? findReturns(returnsApi(api), q) : undefined), [api, q]);
  const find = (event: FormEvent) => {
    event.preventDefault();
    navigate(text.trim() ? `/returns?${new URLSearchParams({ q: text.trim() })}` : '/returns');
  };
  return (
    <Page title="Returns desk">
      <form className="filters" onSubmit={find} role="search" aria-label="Find a return">
        <label>
          Order number, e-mail or RMA
          <input value={text} onChange={(e) => setText(e.target.value)} placeholder="#1001, pat@example.com, rma_…" />
        </label>
        <button type="submit">Find</button>
      </form>
      <ErrorNotice error={found.error} />
      {found.data?.length === 0 ? <Empty>No return matches {q}.</Empty> : null}
      {found.data?.map((r) => (
        <ReturnCard key={r.id} initial={r} />
      ))}
      {q ? null : <AwaitingReceipt />}
    </Page>
  );
}

/** What the field names: an RMA or order ID by its prefix, an e-mail by its @, else an order number. */
async function findReturns(calls: ReturnType<typeof returnsApi>, q: string): Promise<ReturnRecord[]> {
  if (q.startsWith('rma_')) {
    try {
      return [await calls.get(q)];
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return [];
      throw error;
    }
  }
  if (q.startsWith('ord_')) return (await calls.list({ order_id: q })).data;
  if (q.includes('@')) return (await calls.list({ customer_email: q })).data;
  return (await calls.list({ order_number: q.replace(/^#/, '') })).data;
}

/** Authorized returns not yet received, oldest first: the parcels and drop-offs the desk expects. */
function AwaitingReceipt() {
  const { api } = useSession();
  const { locationName } = useDirectory();
  const awaiting = useLoad(() => returnsApi(api).list({ status: 'authorized', limit: 200 }), [api]);
  const rows = [...(awaiting.data?.data ?? [])].reverse();
  return (
    <Card title="Awaiting receipt" id="awaiting">
      <ErrorNotice error={awaiting.error} />
      {awaiting.data && rows.length === 0 ? <Empty>No authorized return is waiting to be received.</Empty> : null}
      {rows.length > 0 ? (
        <>
          <p className="muted">
            {rows.length}
            {awaiting.data?.next_cursor ? '+' : ''} authorized, oldest first.
          </p>
          <Table label="Returns awaiting receipt">
            <thead>
              <tr>
                <th scope="col">RMA</th>
                <th scope="col">Order</th>
                <th scope="col">How</th>
                <th scope="col" className="num">
                  Units
                </th>
                <th scope="col">Started</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link href={`/returns?${new URLSearchParams({ q: r.id })}`}>{r.id}</Link>
                  </td>
                  <td>
                    <Link href={`/orders/${r.order_id}`}>{r.order_id}</Link>
                  </td>
                  <td>
                    {r.method}
                    {r.location_id ? ` at ${locationName(r.location_id)}` : ''}
                    {r.carrier ? ` · ${r.carrier} ${r.tracking_number ?? ''}` : ''}
                  </td>
                  <td className="num">{r.lines.reduce((n, l) => n + l.quantity, 0)}</td>
                  <td>{formatDateTime(r.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        </>
      ) : null}
    </Card>
  );
}

function ReturnCard({ initial }: { initial: ReturnRecord }) {
  const { api } = useSession();
  const { locationName } = useDirectory();
  const action = useAction();
  const [record, setRecord] = useState(initial);
  const calls = returnsApi(api);
  const act = (call: () => Promise<ReturnRecord>) => void action.run(async () => setRecord(await call()));
  const [refunded, setRefunded] = useState<RefundResult['refund']>();
  const receiving = record.status === 'authorized' || record.status === 'received';
  const refundable = record.status === 'restocked' || record.status === 'written_off';
  return (
    <Card
      title={
        <>
          Return {record.id} <Badge status={record.status} />
        </>
      }
    >
      <p>
        Order <Link href={`/orders/${record.order_id}`}>{record.order_id}</Link> · {record.method}
        {record.location_id ? ` at ${locationName(record.location_id)}` : ''}
        {record.carrier ? ` · ${record.carrier} ${record.tracking_number ?? ''}` : ''} · refunded{' '}
        <span data-testid="return-refunded">{formatMoney(record.refunded)}</span>
      </p>
      <ErrorNotice error={action.error} />
      {refunded ? (
        <p className="notice" role="status">
          Refunded {formatMoney(refunded.amount)}
          {refunded.capped_by_earlier_refunds.amount > 0
            ? ` (${formatMoney(refunded.capped_by_earlier_refunds)} of it had been refunded earlier)`
            : ''}
          {refunded.status === 'succeeded' ? '.' : ` — ${refunded.status.replaceAll('_', ' ')}.`}
        </p>
      ) : null}
      <LinesTable record={record} />
      {receiving ? (
        <ReceiveForm
          key={record.updated_at}
          record={record}
          busy={action.busy}
          onReceive={(input) => act(() => calls.receive(record.id, input))}
        />
      ) : null}
      {refundable ? (
        <RefundForm
          key={record.updated_at}
          record={record}
          onRefunded={(result) => {
            setRecord(result.return);
            setRefunded(result.refund);
          }}
        />
      ) : null}
      <div className="inline">
        {record.status === 'initiated' ? (
          <>
            <button type="button" disabled={action.busy} onClick={() => act(() => calls.authorize(record.id))}>
              Authorize
            </button>
            <button
              type="button"
              className="danger"
              disabled={action.busy}
              onClick={() => act(() => calls.reject(record.id, 'Rejected at the returns desk'))}
            >
              Reject
            </button>
          </>
        ) : null}
        {record.status === 'received' ? (
          <button
            type="button"
            disabled={action.busy}
            onClick={() => act(() => calls.receive(record.id, { lines: [], close: true }))}
          >
            Close with what arrived
          </button>
        ) : null}
        {record.status === 'initiated' || record.status === 'authorized' ? (
          <button
            type="button"
            className="danger"
            disabled={action.busy}
            onClick={() => act(() => calls.cancel(record.id, 'Cancelled at the returns desk'))}
          >
            Cancel return
          </button>
        ) : null}
      </div>
    </Card>
  );
}

const lineColumns = ['quantity', 'received', 'restocked', 'written_off', 'returned_to_vendor', 'refunded'] as const;

function LinesTable({ record }: { record: ReturnRecord }) {
  return (
    <Table label={`Lines of ${record.id}`}>
      <thead>
        <tr>
          <th scope="col">Line</th>
          <th scope="col">SKU</th>
          <th scope="col">Reason</th>
          {lineColumns.map((c) => (
            <th key={c} scope="col" className="num">
              {c.replaceAll('_', ' ')}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {record.lines.map((l) => (
          <tr key={l.line_id} data-line={l.line_id}>
            <td>{l.line_id}</td>
            <td>{l.sku}</td>
            <td>{l.reason}</td>
            {lineColumns.map((c) => (
              <td key={c} className="num">
                {l[c]}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

function ReceiveForm({
  record,
  busy,
  onReceive,
}: {
  record: ReturnRecord;
  busy: boolean;
  onReceive: (input: ReceiveInput) => void;
}) {
  const outstanding = record.lines.filter((l) => l.quantity > l.received);
  const [lines, setLines] = useState<ReceiveLine[]>(
    outstanding.map((l) => ({
      line_id: l.line_id,
      quantity: l.quantity - l.received,
      condition: 'new',
      disposition: 'restock',
    })),
  );
  const [close, setClose] = useState(false);
  const locations = useWorkLocations();
  // Until one is picked: the return's location, else the first listed (what the select shows).
  const [locationId, setLocationId] = useState(record.location_id ?? '');
  const update = (index: number, change: Partial<ReceiveLine>) =>
    setLines(lines.map((l, i) => (i === index ? { ...l, ...change } : l)));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const location_id = locationId || locations[0]?.id;
    onReceive({ lines: lines.filter((l) => l.quantity > 0), close, ...(location_id ? { location_id } : {}) });
  };
  return (
    <form onSubmit={submit} aria-label="Receive the return">
      <label>
        Arrived at
        <select value={locationId} onChange={(e) => setLocationId(e.target.value)}>
          {locations.map((l) => (
            <option key={l.id} value={l.id}>
              {l.name}
            </option>
          ))}
        </select>
      </label>
      {lines.map((line, i) => (
        <fieldset key={line.line_id} className="inline">
          <legend>
            Line {line.line_id} · {outstanding[i]?.sku}
          </legend>
          <label>
            Received
            <input
              type="number"
              min={0}
              max={(outstanding[i]?.quantity ?? 0) - (outstanding[i]?.received ?? 0)}
              value={line.quantity}
              onChange={(e) => update(i, { quantity: Number(e.target.value) })}
            />
          </label>
          <label>
            Condition
            <select
              value={line.condition}
              onChange={(e) => update(i, { condition: e.target.value as ReceiveLine['condition'] })}
            >
              {returnConditions.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </label>
          <label>
            Disposition
            <select
              value={line.disposition}
              onChange={(e) => update(i, { disposition: e.target.value as ReceiveLine['disposition'] })}
            >
              {returnDispositions.map((d) => (
                <option key={d}>{d}</option>
              ))}
            </select>
          </label>
        </fieldset>
      ))}
      <label>
        <input type="checkbox" checked={close} onChange={(e) => setClose(e.target.checked)} /> Nothing more is coming
      </label>
      <button type="submit" disabled={busy}>
        Receive
      </button>
    </form>
  );
}
