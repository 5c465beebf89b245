import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client.ts';
import {
  returnConditions,
  returnDispositions,
  returnsApi,
  type ReceiveInput,
  type ReceiveLine,
  type ReturnRecord,
} from '../api/returns.ts';
import { useDirectory, useWorkLocations } from '../directory.tsx';
import { Link, navigate, useLocation } from '../router.tsx';
import { useSession } from '../session.tsx';
import { Badge, Card, Empty, ErrorNotice, Page, Table } from '../ui/common.tsx';
import { formatMoney } from '../ui/format.ts';
import { useAction, useLoad } from '../ui/load.ts';

/** The returns desk: find an RMA (or an order's returns), receive its lines with condition and disposition, refund. */
export default function ReturnsDesk() {
  const { api } = useSession();
  const { search } = useLocation();
  const rma = search.get('rma') ?? '';
  const orderId = search.get('order') ?? '';
  const [form, setForm] = useState({ rma, order: orderId });
  const found = useLoad(async () => {
    if (rma) return [await returnsApi(api).get(rma)];
    if (orderId) return (await returnsApi(api).forOrder(orderId)).data;
    return undefined;
  }, [api, rma, orderId]);
  const find = (event: FormEvent) => {
    event.preventDefault();
    const params = new URLSearchParams(Object.entries(form).filter(([, v]) => v.trim() !== ''));
    navigate(`/returns?${params}`);
  };
  const missing = found.error instanceof ApiError && found.error.status === 404;
  return (
    <Page title="Returns desk">
      <form className="filters" onSubmit={find} role="search" aria-label="Find a return">
        <label>
          RMA
          <input value={form.rma} onChange={(e) => setForm({ rma: e.target.value, order: '' })} placeholder="rma_…" />
        </label>
        <label>
          Order ID
          <input value={form.order} onChange={(e) => setForm({ order: e.target.value, rma: '' })} placeholder="ord_…" />
        </label>
        <button type="submit">Find</button>
      </form>
      {missing ? <Empty>No such return.</Empty> : <ErrorNotice error={found.error} />}
      {found.data?.length === 0 ? <Empty>This order has no returns.</Empty> : null}
      {found.data?.map((r) => (
        <ReturnCard key={r.id} initial={r} />
      ))}
    </Page>
  );
}

function ReturnCard({ initial }: { initial: ReturnRecord }) {
  const { api } = useSession();
  const { locationName } = useDirectory();
  const action = useAction();
  const [record, setRecord] = useState(initial);
  const calls = returnsApi(api);
  const act = (call: () => Promise<ReturnRecord>) => void action.run(async () => setRecord(await call()));
  const receiving = record.status === 'authorized' || record.status === 'received';
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
      <LinesTable record={record} />
      {receiving ? (
        <ReceiveForm
          record={record}
          busy={action.busy}
          onReceive={(input) => act(() => calls.receive(record.id, input))}
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
        {record.status === 'restocked' || record.status === 'written_off' ? (
          <button
            type="button"
            disabled={action.busy}
            onClick={() => act(async () => (await calls.refund(record.id)).return)}
          >
            Refund
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
