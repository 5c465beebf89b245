import { useState, type FormEvent } from 'react';
import type { LedgerEntry, Page, StockLevel } from '../../api/types.ts';
import { useWorkLocations } from '../../directory.tsx';
import { useSession } from '../../session.tsx';
import { Card, Empty, ErrorNotice, Pager, Table } from '../../ui/common.tsx';
import { formatDateTime } from '../../ui/format.ts';
import { useAction, useCursors, useLoad, type Loaded } from '../../ui/load.ts';

/** One location's stock, the ledger of one SKU there, and a stock adjustment with a reason. */
export function LocationStock() {
  const { api, can } = useSession();
  const mine = useWorkLocations();
  const [locationId, setLocationId] = useState('');
  const [sku, setSku] = useState('');
  const pages = useCursors();
  const chosen = locationId || mine[0]?.id || '';
  const levels = useLoad(
    async () =>
      chosen
        ? api.get<Page<StockLevel>>('/v1/inventory/levels', { location_id: chosen, limit: 50, cursor: pages.cursor })
        : undefined,
    [api, chosen, pages.cursor],
  );
  const ledger = useLoad(
    async () =>
      chosen && sku
        ? api.get<Page<LedgerEntry>>('/v1/inventory/ledger', { location_id: chosen, sku, limit: 50 })
        : undefined,
    [api, chosen, sku, levels.data],
  );
  return (
    <>
      <label>
        Location
        <select value={chosen} onChange={(e) => (setLocationId(e.target.value), pages.reset(), setSku(''))}>
          {mine.map((l) => (
            <option key={l.id} value={l.id}>
              {l.name} ({l.code})
            </option>
          ))}
        </select>
      </label>
      <ErrorNotice error={levels.error} />
      {levels.data && levels.data.data.length === 0 ? <Empty>No stock recorded at this location.</Empty> : null}
      {levels.data?.data.length ? <LevelsTable levels={levels.data.data} selected={sku} onSelect={setSku} /> : null}
      <Pager {...pages.pager(levels.data?.next_cursor)} />
      {can('inventory:write') && chosen ? <AdjustForm locationId={chosen} sku={sku} onDone={levels.reload} /> : null}
      {sku ? <LedgerCard sku={sku} ledger={ledger} /> : null}
    </>
  );
}

function LevelsTable({
  levels,
  selected,
  onSelect,
}: {
  levels: StockLevel[];
  selected: string;
  onSelect: (sku: string) => void;
}) {
  return (
    <Table label="Stock at this location">
      <thead>
        <tr>
          <th scope="col">SKU</th>
          <th scope="col" className="num">
            On hand
          </th>
          <th scope="col" className="num">
            Reserved
          </th>
          <th scope="col" className="num">
            Safety
          </th>
          <th scope="col" className="num">
            Available
          </th>
        </tr>
      </thead>
      <tbody>
        {levels.map((l) => (
          <tr key={l.sku} aria-selected={l.sku === selected}>
            <td>
              <button type="button" className="link" onClick={() => onSelect(l.sku)}>
                {l.sku}
              </button>
            </td>
            <td className="num">{l.on_hand}</td>
            <td className="num">{l.reserved}</td>
            <td className="num">{l.safety_stock}</td>
            <td className="num">{l.available}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

function LedgerCard({ sku, ledger }: { sku: string; ledger: Loaded<Page<LedgerEntry> | undefined> }) {
  return (
    <Card title={`Ledger of ${sku}`}>
      <ErrorNotice error={ledger.error} />
      <Table label={`Ledger of ${sku}`}>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Movement</th>
            <th scope="col" className="num">
              On hand Δ
            </th>
            <th scope="col" className="num">
              Reserved Δ
            </th>
            <th scope="col" className="num">
              On hand after
            </th>
            <th scope="col">Reason / reference</th>
          </tr>
        </thead>
        <tbody>
          {ledger.data?.data.map((e) => (
            <tr key={e.id}>
              <td>{formatDateTime(e.occurred_at)}</td>
              <td>{e.kind}</td>
              <td className="num">{e.on_hand_delta}</td>
              <td className="num">{e.reserved_delta}</td>
              <td className="num">{e.on_hand_after}</td>
              <td>
                {e.reason ?? ''} <span className="muted">{e.reference_id ?? ''}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
    </Card>
  );
}

function AdjustForm({ locationId, sku, onDone }: { locationId: string; sku: string; onDone: () => void }) {
  const { api } = useSession();
  const action = useAction();
  const [form, setForm] = useState({ sku: '', quantity: 0, reason: '' });
  const target = form.sku || sku;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.run(
      () =>
        api.post(
          '/v1/inventory/adjustments',
          {
            reason: form.reason,
            movements: [{ kind: 'adjustment', sku: target, location_id: locationId, quantity: form.quantity }],
          },
          { idempotent: true },
        ),
      () => {
        setForm({ sku: '', quantity: 0, reason: '' });
        onDone();
      },
    );
  };
  return (
    <Card title="Adjust stock">
      <form className="inline" onSubmit={submit} aria-label="Adjust stock">
        <label>
          SKU
          <input value={target} onChange={(e) => setForm({ ...form, sku: e.target.value })} required />
        </label>
        <label>
          Change (±)
          <input
            type="number"
            value={form.quantity}
            onChange={(e) => setForm({ ...form, quantity: Number(e.target.value) })}
            required
          />
        </label>
        <label>
          Reason
          <input
            value={form.reason}
            onChange={(e) => setForm({ ...form, reason: e.target.value })}
            required
            placeholder="e.g. damaged in store"
          />
        </label>
        <button type="submit" disabled={action.busy || form.quantity === 0}>
          Adjust
        </button>
      </form>
      <ErrorNotice error={action.error} />
    </Card>
  );
}
