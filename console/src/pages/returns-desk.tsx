import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client.ts';
import {
  returnConditions,
  returnDispositions,
  returnsApi,
  type ReceiveLine,
  type ReturnRecord,
} from '../api/returns.ts';
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
      {missing ? (
        <Empty>No such return (or returns are not available on this server).</Empty>
      ) : (
        <ErrorNotice error={found.error} />
      )}
      {found.data?.length === 0 ? <Empty>This order has no returns.</Empty> : null}
      {found.data?.map((r) => (
        <ReturnCard key={r.id} initial={r} />
      ))}
    </Page>
  );
}

function ReturnCard({ initial }: { initial: ReturnRecord }) {
  const { api } = useSession();
  const action = useAction();
  const [record, setRecord] = useState(initial);
  const calls = returnsApi(api);
  const act = (call: () => Promise<ReturnRecord>) => void action.run(async () => setRecord(await call()));
  return (
    <Card
      title={
        <>
          Return {record.id} <Badge status={record.status} />
        </>
      }
    >
      <p>
        Order <Link href={`/orders/${record.order_id}`}>{record.order_id}</Link>{' '}
        {record.reason ? `· ${record.reason}` : ''}
        {record.refund_total ? ` · refunded ${formatMoney(record.refund_total)}` : ''}
      </p>
      <ErrorNotice error={action.error} />
      {record.status === 'authorized' ? (
        <ReceiveForm
          record={record}
          busy={action.busy}
          onReceive={(lines) => act(() => calls.receive(record.id, lines))}
        />
      ) : (
        <LinesTable record={record} />
      )}
      <div className="inline">
        {record.status === 'initiated' ? (
          <button type="button" disabled={action.busy} onClick={() => act(() => calls.authorize(record.id))}>
            Authorize
          </button>
        ) : null}
        {['received', 'restocked', 'written_off'].includes(record.status) ? (
          <button type="button" disabled={action.busy} onClick={() => act(() => calls.refund(record.id))}>
            Refund
          </button>
        ) : null}
        {['initiated', 'authorized'].includes(record.status) ? (
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

function LinesTable({ record }: { record: ReturnRecord }) {
  return (
    <Table label={`Lines of ${record.id}`}>
      <thead>
        <tr>
          <th scope="col">Line</th>
          <th scope="col">SKU</th>
          <th scope="col" className="num">
            Quantity
          </th>
          <th scope="col">Condition</th>
          <th scope="col">Disposition</th>
        </tr>
      </thead>
      <tbody>
        {record.lines.map((l) => (
          <tr key={l.line_id}>
            <td>{l.line_id}</td>
            <td>{l.sku}</td>
            <td className="num">{l.quantity}</td>
            <td>{l.condition ?? '—'}</td>
            <td>{l.disposition ?? '—'}</td>
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
  onReceive: (lines: ReceiveLine[]) => void;
}) {
  const [lines, setLines] = useState<ReceiveLine[]>(
    record.lines.map((l) => ({ line_id: l.line_id, quantity: l.quantity, condition: 'new', disposition: 'restock' })),
  );
  const update = (index: number, change: Partial<ReceiveLine>) =>
    setLines(lines.map((l, i) => (i === index ? { ...l, ...change } : l)));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onReceive(lines.filter((l) => l.quantity > 0));
  };
  return (
    <form onSubmit={submit} aria-label="Receive the return">
      {lines.map((line, i) => (
        <fieldset key={line.line_id} className="inline">
          <legend>
            Line {line.line_id} · {record.lines[i]?.sku}
          </legend>
          <label>
            Received
            <input
              type="number"
              min={0}
              max={record.lines[i]?.quantity}
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
      <button type="submit" disabled={busy}>
        Receive
      </button>
    </form>
  );
}
