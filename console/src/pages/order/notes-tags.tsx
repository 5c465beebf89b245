import { useState, type FormEvent } from 'react';
import type { Order } from '../../api/types.ts';
import { useSession } from '../../session.tsx';
import { Card, Empty, ErrorNotice } from '../../ui/common.tsx';
import { formatDateTime } from '../../ui/format.ts';
import { useAction } from '../../ui/load.ts';

/** The order's tags and notes; agents add a note, add a tag and remove one. */
export function NotesAndTags({ order, onDone }: { order: Order; onDone: (message: string) => void }) {
  const { api, can } = useSession();
  const action = useAction();
  const [tag, setTag] = useState('');
  const [note, setNote] = useState('');
  const path = `/v1/orders/${encodeURIComponent(order.id)}`;
  const manage = can('orders:manage');
  const addTag = (event: FormEvent) => {
    event.preventDefault();
    const wanted = tag.trim().toLowerCase();
    if (!wanted) return;
    void action.run(
      () => api.post(`${path}/tags`, { tags: [wanted] }),
      () => {
        setTag('');
        onDone(`Tagged ${wanted}.`);
      },
    );
  };
  const removeTag = (gone: string) =>
    void action.run(
      () => api.delete(`${path}/tags/${encodeURIComponent(gone)}`),
      () => onDone(`Tag ${gone} removed.`),
    );
  const addNote = (event: FormEvent) => {
    event.preventDefault();
    void action.run(
      () => api.post(`${path}/notes`, { text: note }),
      () => {
        setNote('');
        onDone('Note added.');
      },
    );
  };
  return (
    <Card title="Notes and tags" id="notes">
      <ErrorNotice error={action.error} />
      <ul className="tags" aria-label="Tags">
        {order.tags.map((t) => (
          <li key={t} data-tag={t}>
            {t}
            {manage ? (
              <button
                type="button"
                className="link"
                aria-label={`Remove tag ${t}`}
                disabled={action.busy}
                onClick={() => removeTag(t)}
              >
                ×
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {order.tags.length === 0 ? <Empty>No tags.</Empty> : null}
      {manage ? (
        <form className="inline" onSubmit={addTag} aria-label="Add a tag">
          <label>
            Tag
            <input
              value={tag}
              onChange={(e) => setTag(e.target.value)}
              maxLength={64}
              placeholder="vip, gift:wrap, …"
              required
            />
          </label>
          <button type="submit" disabled={action.busy}>
            Add tag
          </button>
        </form>
      ) : null}
      {order.notes.length === 0 ? <Empty>No notes.</Empty> : null}
      <ul className="plain" aria-label="Notes">
        {order.notes.map((n) => (
          <li key={n.id}>
            <p className="note">{n.text}</p>
            <span className="muted">
              {n.author ?? 'Consign'} · {formatDateTime(n.created_at)}
            </span>
          </li>
        ))}
      </ul>
      {manage ? (
        <form onSubmit={addNote} aria-label="Add a note">
          <label className="wide">
            Note
            <textarea value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} rows={3} required />
          </label>
          <button type="submit" disabled={action.busy}>
            Add note
          </button>
        </form>
      ) : null}
    </Card>
  );
}
