import { useState, type FormEvent } from 'react';
import { platformIdLabels, type CatalogMapping, type ConnectorHealth, type MappingUpsert } from '../api/connectors.ts';
import type { Page as ApiPage } from '../api/types.ts';
import { useDirectory } from '../directory.tsx';
import { useSession } from '../session.tsx';
import { Badge, Card, Empty, ErrorNotice, Page, Pager, Table } from '../ui/common.tsx';
import { formatDateTime } from '../ui/format.ts';
import { useAction, useCursors, useLoad } from '../ui/load.ts';
import { LastError } from './connectors.tsx';

/** One channel's connector: its health, and its catalog mapping from platform items to SKUs. */
export default function ConnectorPage({ params }: { params: Record<string, string> }) {
  const channelId = params.channel ?? '';
  const { api, me } = useSession();
  const { channelName } = useDirectory();
  const base = `/v1/channels/${encodeURIComponent(channelId)}`;
  const health = useLoad(() => api.get<ConnectorHealth>(`${base}/connector/health`), [api, base]);
  const [filter, setFilter] = useState('');
  const cursors = useCursors();
  const mappings = useLoad(
    () => api.get<ApiPage<CatalogMapping>>(`${base}/catalog-mappings`, { sku: filter, cursor: cursors.cursor }),
    [api, base, filter, cursors.cursor],
  );
  const labels = platformIdLabels[health.data?.platform ?? ''] ?? { product: 'Product ID', variant: 'Variant ID' };
  const canWrite = me.permissions.includes('catalog:write');
  const action = useAction();
  const [notice, setNotice] = useState<string>();
  const afterUpsert = (result: MappingUpsert) =>
    setNotice(`${result.upserted} mapping(s) saved; ${result.released.length} held order(s) placed.`);
  const refresh = () => {
    mappings.reload();
    health.reload();
  };
  const remove = (m: CatalogMapping) =>
    action.run(
      () =>
        api.delete(
          `${base}/catalog-mappings/${encodeURIComponent(m.product_id)}${m.variant_id ? `?variant_id=${encodeURIComponent(m.variant_id)}` : ''}`,
        ),
      refresh,
    );
  const h = health.data;
  return (
    <Page title={`Connector: ${channelName(channelId)}`}>
      <Card title="Health">
        <ErrorNotice error={health.error} />
        {h ? (
          <dl className="facts">
            <dt>Platform</dt>
            <dd>{h.platform}</dd>
            <dt>Last order received</dt>
            <dd data-field="last_order">{h.last_order_received_at ? formatDateTime(h.last_order_received_at) : '—'}</dd>
            <dt>Last error</dt>
            <dd data-field="last_error">{h.last_error ? <LastError error={h.last_error} /> : 'none'}</dd>
            <dt>Orders held for review</dt>
            <dd data-field="review_queue">{h.review_queue}</dd>
            <dt>Outbound backlog</dt>
            <dd data-field="backlog">{h.outbound ? h.outbound.backlog : 'no outbound endpoint'}</dd>
            <dt>Oldest undelivered message</dt>
            <dd data-field="oldest">
              {h.outbound?.oldest_undelivered_at ? formatDateTime(h.outbound.oldest_undelivered_at) : '—'}
            </dd>
          </dl>
        ) : null}
      </Card>
      <Card title="Catalog mapping">
        <p className="muted">
          Order lines are matched to SKUs by the platform&apos;s {labels.product.toLowerCase()}
          {labels.variant ? ` and ${labels.variant.toLowerCase()}` : ''}. Orders held because a line had no SKU are
          placed as soon as its mapping is saved.
        </p>
        <ErrorNotice error={action.error ?? mappings.error} />
        {notice ? (
          <p role="status" className="notice">
            {notice}
          </p>
        ) : null}
        {canWrite ? (
          <MappingForms
            base={base}
            labels={labels}
            run={action.run}
            busy={action.busy}
            onSaved={(r) => {
              afterUpsert(r);
              refresh();
            }}
          />
        ) : null}
        <label>
          Filter by SKU{' '}
          <input
            value={filter}
            onChange={(e) => {
              cursors.reset();
              setFilter(e.target.value.trim());
            }}
          />
        </label>
        {mappings.data?.data.length === 0 ? <Empty>No mappings.</Empty> : null}
        {mappings.data?.data.length ? (
          <Table label="Catalog mappings">
            <thead>
              <tr>
                <th scope="col">{labels.product}</th>
                {labels.variant ? <th scope="col">{labels.variant}</th> : null}
                <th scope="col">SKU</th>
                <th scope="col">Inventory item</th>
                <th scope="col">Source</th>
                <th scope="col">Updated</th>
                {canWrite ? <th scope="col">Actions</th> : null}
              </tr>
            </thead>
            <tbody>
              {mappings.data.data.map((m) => (
                <tr key={`${m.product_id}/${m.variant_id}`}>
                  <td>
                    <code>{m.product_id}</code>
                  </td>
                  {labels.variant ? <td>{m.variant_id ? <code>{m.variant_id}</code> : 'all'}</td> : null}
                  <td>{m.sku}</td>
                  <td>{m.inventory_item_id ?? '—'}</td>
                  <td>
                    <Badge
                      status={m.source === 'api' ? 'active' : 'created'}
                      label={m.source === 'api' ? 'set' : 'seen'}
                    />
                  </td>
                  <td>{formatDateTime(m.updated_at)}</td>
                  {canWrite ? (
                    <td>
                      <button
                        type="button"
                        disabled={action.busy}
                        onClick={() => void remove(m)}
                        aria-label={`Delete mapping ${m.product_id}${m.variant_id ? `/${m.variant_id}` : ''}`}
                      >
                        Delete
                      </button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </Table>
        ) : null}
        <Pager {...cursors.pager(mappings.data?.next_cursor)} />
      </Card>
    </Page>
  );
}

interface FormsProps {
  base: string;
  labels: { product: string; variant?: string };
  run: ReturnType<typeof useAction>['run'];
  busy: boolean;
  onSaved: (result: MappingUpsert) => void;
}

/** One mapping by hand, or many as CSV (product_id,variant_id,sku,inventory_item_id). */
function MappingForms({ base, labels, run, busy, onSaved }: FormsProps) {
  const { api } = useSession();
  const [one, setOne] = useState({ product_id: '', variant_id: '', sku: '', inventory_item_id: '' });
  const [csv, setCsv] = useState('');
  const saveOne = (event: FormEvent) => {
    event.preventDefault();
    const mapping = {
      product_id: one.product_id.trim(),
      sku: one.sku.trim(),
      ...(one.variant_id.trim() ? { variant_id: one.variant_id.trim() } : {}),
      ...(one.inventory_item_id.trim() ? { inventory_item_id: one.inventory_item_id.trim() } : {}),
    };
    let result: MappingUpsert | undefined;
    void run(
      async () => (result = await api.post<MappingUpsert>(`${base}/catalog-mappings`, { mappings: [mapping] })),
      () => {
        setOne({ product_id: '', variant_id: '', sku: '', inventory_item_id: '' });
        onSaved(result!);
      },
    );
  };
  const upload = (event: FormEvent) => {
    event.preventDefault();
    let result: MappingUpsert | undefined;
    void run(
      async () => (result = await api.postText<MappingUpsert>(`${base}/catalog-mappings`, csv, 'text/csv')),
      () => {
        setCsv('');
        onSaved(result!);
      },
    );
  };
  const field = (key: keyof typeof one, label: string, required = false) => (
    <label>
      {label} <input required={required} value={one[key]} onChange={(e) => setOne({ ...one, [key]: e.target.value })} />
    </label>
  );
  return (
    <div className="forms">
      <form onSubmit={saveOne} aria-label="Add a mapping">
        {field('product_id', labels.product, true)}
        {labels.variant ? field('variant_id', labels.variant) : null}
        {field('sku', 'SKU', true)}
        {field('inventory_item_id', 'Inventory item ID')}
        <button type="submit" disabled={busy}>
          Save mapping
        </button>
      </form>
      <form onSubmit={upload} aria-label="Upload mappings as CSV">
        <label>
          CSV (product_id,variant_id,sku,inventory_item_id){' '}
          <textarea rows={4} cols={60} value={csv} onChange={(e) => setCsv(e.target.value)} required />
        </label>
        <button type="submit" disabled={busy}>
          Upload CSV
        </button>
      </form>
    </div>
  );
}
