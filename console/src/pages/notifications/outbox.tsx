import { useState, type FormEvent } from 'react';
import { messageStatuses, notifications, type Message } from '../../api/notifications.ts';
import { Link, navigate, useLocation } from '../../router.tsx';
import { useSession } from '../../session.tsx';
import { Badge, Card, Empty, ErrorNotice, Loading, Pager, Table } from '../../ui/common.tsx';
import { formatDateTime, humanize } from '../../ui/format.ts';
import { useAction, useLoad } from '../../ui/load.ts';

const PAGE_SIZE = 25;

/** The page's address: the filters, and the cursors walked so far (the last one is this page's). */
function outboxUrl(status: string, orderId: string, cursors: string[]) {
  const params = new URLSearchParams();
  if (status) params.set('status', status);
  if (orderId) params.set('order_id', orderId);
  for (const cursor of cursors) params.append('cursor', cursor);
  return `/notifications${params.size ? `?${params}` : ''}`;
}

/**
 * Messages to customers, newest first: status, kind, recipient, order, attempts and the last
 * error. The filter and the page are in the URL, so a view can be shared or reloaded. A sent or
 * dead message can be sent again after a confirmation.
 */
export function Outbox() {
  const { api, can } = useSession();
  const { search } = useLocation();
  const status = search.get('status') ?? '';
  const orderId = search.get('order_id') ?? '';
  const cursors = search.getAll('cursor');
  const [draft, setDraft] = useState({ status, orderId });
  const [done, setDone] = useState<string>();
  const action = useAction();
  const messages = useLoad(
    () => notifications(api).list({ status, order_id: orderId, cursor: cursors.at(-1), limit: PAGE_SIZE }),
    [api, search.toString()],
  );
  const apply = (event: FormEvent) => {
    event.preventDefault();
    setDone(undefined);
    navigate(outboxUrl(draft.status, draft.orderId.trim(), []));
  };
  const resend = (message: Message) => {
    if (!window.confirm(`Send the ${humanize(message.kind)} ${message.channel} to ${message.recipient} again?`)) return;
    setDone(undefined);
    void action.run(
      () => notifications(api).resend(message.id),
      () => {
        setDone(`${humanize(message.kind)} to ${message.recipient} is queued to be sent again.`);
        messages.reload();
      },
    );
  };
  return (
    <Card title="Outbox" id="outbox">
      <form className="filters" onSubmit={apply} role="search" aria-label="Filter messages">
        <label>
          Status
          <select value={draft.status} onChange={(e) => setDraft({ ...draft, status: e.target.value })}>
            <option value="">Any</option>
            {messageStatuses.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Order ID
          <input value={draft.orderId} onChange={(e) => setDraft({ ...draft, orderId: e.target.value })} />
        </label>
        <button type="submit">Show</button>
        <button type="button" onClick={messages.reload}>
          Refresh
        </button>
      </form>
      {done ? (
        <p role="status" className="notice">
          {done}
        </p>
      ) : null}
      <ErrorNotice error={action.error ?? messages.error} />
      {!messages.data ? (
        messages.error ? null : (
          <Loading />
        )
      ) : messages.data.data.length === 0 ? (
        <Empty>No messages{status ? ` that are ${status}` : ''}.</Empty>
      ) : (
        <Table label="Messages">
          <thead>
            <tr>
              <th scope="col">Queued</th>
              <th scope="col">Status</th>
              <th scope="col">Kind</th>
              <th scope="col">Recipient</th>
              <th scope="col">Order</th>
              <th scope="col">Attempts</th>
              <th scope="col">Last error</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {messages.data.data.map((m) => (
              <tr key={m.id} data-message={m.id}>
                <td>{formatDateTime(m.created_at)}</td>
                <td>
                  <Badge status={m.status} />
                </td>
                <td>
                  {humanize(m.kind)}{' '}
                  <span className="muted">
                    ({m.channel}, {m.locale})
                  </span>
                </td>
                <td>{m.recipient}</td>
                <td>
                  <Link href={`/orders/${encodeURIComponent(m.order_id)}`}>{m.order_id}</Link>
                </td>
                <td>{m.attempts}</td>
                <td className="muted">{m.last_error ?? ''}</td>
                <td>
                  {can('notifications:write') && (m.status === 'dead' || m.status === 'sent') ? (
                    <button
                      type="button"
                      disabled={action.busy}
                      aria-label={`Resend ${humanize(m.kind)} to ${m.recipient}`}
                      onClick={() => resend(m)}
                    >
                      Resend
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <Pager
        hasPrevious={cursors.length > 0}
        next={messages.data?.next_cursor}
        onPrevious={() => navigate(outboxUrl(status, orderId, cursors.slice(0, -1)))}
        onNext={() => {
          const next = messages.data?.next_cursor;
          if (next) navigate(outboxUrl(status, orderId, [...cursors, next]));
        }}
      />
    </Card>
  );
}
