import { useState, type FormEvent } from 'react';
import type { Page, StockLevel } from '../../api/types.ts';
import { useDirectory, useWorkLocations } from '../../directory.tsx';
import { useSession } from '../../session.tsx';
import { Card, Empty, ErrorNotice, Pager, Table } from '../../ui/common.tsx';
import { useAction, useCursors, useLoad } from '../../ui/load.ts';
import { LedgerCard } from './ledger.tsx';

/** One location's stock (found by SKU or product name), the ledger of one SKU there, and a stock adjustment with a reason. */
export function LocationStock() {
  const { api, can } = useSession();
  const mine = useWorkLocations();
  const [locationId, setLocationId] = useState('');
  const [sku, setSku] = useState('');
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const pages = useCursors();
  const chosen = locationId || mine[0]?.id || '';
  const levels = useLoad(
    async () =>
      chosen
        ? api.get<Page<StockLevel>>('/v1/inventory/levels', {
            location_id: chosen,
            q: q || undefined,
            limit: 50,
            cursor: pages.cursor,
          })
        : undefined,
    [api, chosen, q, pages.cursor],
  );
  const search = (event: FormEvent) => {
    event.preventDefault();
    pages.reset();
    setQ(text.trim());
  };
  return (
    <>
      <form className="filters" onSubmit={search} role="search" aria-label="Stock at a location">
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
        <label>
          SKU or product name
          <input value={text} onChange={(e) => setText(e.target.value)} placeholder="SKU-1, mug" />
        </label>
        <button type="submit">Find</button>
      </form>
      <ErrorNotice error={levels.error} />
      {levels.data && levels.data.data.length === 0 ? (
        <Empty>{q ? `No stock here matches “${q}”.` : 'No stock recorded at this location.'}</Empty>
      ) : null}
      {levels.data?.data.length ? <LevelsTable levels={levels.data.data} selected={sku} onSelect={setSku} /> : null}
      <Pager {...pages.pager(levels.data?.next_cursor)} />
      {can('inventory:write') && chosen ? <AdjustForm locationId={chosen} sku={sku} onDone={levels.reload} /> : null}
      {sku && chosen ? <LedgerCard sku={sku} locationId={chosen} version={levels.data} /> : null}
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
          <th scope="col">Product</th>
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
          <tr key={l.sku} data-sku={l.sku} aria-selected={l.sku === selected}>
            <td>
              <button type="button" className="link" onClick={() => onSelect(l.sku)}>
                {l.sku}
              </button>
            </td>
            <td>{l.product_name ?? ''}</td>
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

function AdjustForm({ locationId, sku, onDone }: { locationId: string; sku: string; onDone: () => void }) {
  const { api } = useSession();
  const { locationName } = useDirectory();
  const action = useAction();
  const [form, setForm] = useState({ sku: '', quantity: 0, reason: '' });
  const [done, setDone] = useState('');
  const target = form.sku || sku;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setDone('');
    const { quantity, reason } = form;
    void action.run(
      () =>
        api.post(
          '/v1/inventory/adjustments',
          { reason, movements: [{ kind: 'adjustment', sku: target, location_id: locationId, quantity }] },
          { idempotent: true },
        ),
      () => {
        const change = quantity > 0 ? `+${quantity}` : String(quantity);
        setDone(`Adjusted ${target} at ${locationName(locationId)} by ${change} (${reason}).`);
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
      {done ? (
        <p role="status" className="notice">
          {done}
        </p>
      ) : null}
      <ErrorNotice error={action.error} />
    </Card>
  );
}
