import { useState, type FormEvent } from 'react';
import type { Availability, Page } from '../../api/types.ts';
import { useDirectory } from '../../directory.tsx';
import { useSession } from '../../session.tsx';
import { Card, Empty, ErrorNotice, Table } from '../../ui/common.tsx';
import { useLoad } from '../../ui/load.ts';

interface Product {
  sku: string;
  name: string;
  active: boolean;
}

/** Finds products by name or SKU (the catalogue's search) and picks one to show its availability. */
function ProductSearch({ onPick }: { onPick: (sku: string) => void }) {
  const { api } = useSession();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const found = useLoad(
    async () => (q ? api.get<Page<Product>>('/v1/products', { q, limit: 20 }) : undefined),
    [api, q],
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setQ(text.trim());
  };
  return (
    <>
      <form className="filters" onSubmit={submit} role="search" aria-label="Find a product">
        <label>
          Product name or SKU
          <input value={text} onChange={(e) => setText(e.target.value)} placeholder="blue mug" />
        </label>
        <button type="submit">Find</button>
      </form>
      <ErrorNotice error={found.error} />
      {found.data?.data.length === 0 ? <Empty>No product matches “{q}”.</Empty> : null}
      {found.data?.data.length ? (
        <Table label="Products found">
          <thead>
            <tr>
              <th scope="col">SKU</th>
              <th scope="col">Name</th>
              <th scope="col">
                <span className="sr-only">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {found.data.data.map((p) => (
              <tr key={p.sku} data-sku={p.sku}>
                <td>{p.sku}</td>
                <td>
                  {p.name}
                  {p.active ? '' : ' (inactive)'}
                </td>
                <td>
                  <button type="button" onClick={() => onPick(p.sku)}>
                    Show availability
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
      {found.data?.next_cursor ? <p className="muted">More products match: narrow the search.</p> : null}
    </>
  );
}

/** Available-to-promise per SKU across locations, for the whole network or one location group. */
export function AvailabilityView({ initialSkus }: { initialSkus: string }) {
  const { api } = useSession();
  const { groups, locationName } = useDirectory();
  const [skus, setSkus] = useState(initialSkus);
  const [group, setGroup] = useState('');
  const [asked, setAsked] = useState({ skus: initialSkus, group: '' });
  const result = useLoad(
    async () =>
      asked.skus.trim()
        ? api.get<{ data: Availability[]; unknown_skus: string[] }>('/v1/availability', {
            skus: asked.skus.replace(/\s+/g, ''),
            location_group: asked.group,
          })
        : undefined,
    [api, asked],
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setAsked({ skus, group });
  };
  const pick = (sku: string) => {
    setSkus(sku);
    setAsked({ skus: sku, group });
  };
  return (
    <>
      <ProductSearch onPick={pick} />
      <form className="filters" onSubmit={submit} aria-label="Availability by SKU">
        <label>
          SKUs
          <input value={skus} onChange={(e) => setSkus(e.target.value)} placeholder="SKU-1, SKU-2" required />
        </label>
        <label>
          Location group
          <select value={group} onChange={(e) => setGroup(e.target.value)}>
            <option value="">Whole network</option>
            {groups.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Show availability</button>
      </form>
      <ErrorNotice error={result.error} />
      {result.data?.unknown_skus.length ? (
        <p className="muted">Unknown SKUs: {result.data.unknown_skus.join(', ')}</p>
      ) : null}
      {result.data?.data.map((a) => (
        <Card key={a.sku} title={a.sku}>
          <p data-sku={a.sku}>
            Available <strong data-testid={`available-${a.sku}`}>{a.available}</strong> · on hand {a.on_hand} · reserved{' '}
            {a.reserved}
          </p>
          <Table label={`Availability of ${a.sku} per location`}>
            <thead>
              <tr>
                <th scope="col">Location</th>
                <th scope="col" className="num">
                  Available
                </th>
                <th scope="col" className="num">
                  On hand
                </th>
                <th scope="col" className="num">
                  Reserved
                </th>
                <th scope="col" className="num">
                  Safety stock
                </th>
              </tr>
            </thead>
            <tbody>
              {a.locations.map((l) => (
                <tr key={l.location_id}>
                  <td>{locationName(l.location_id)}</td>
                  <td className="num">{l.available}</td>
                  <td className="num">{l.on_hand}</td>
                  <td className="num">{l.reserved}</td>
                  <td className="num">{l.safety_stock}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        </Card>
      ))}
    </>
  );
}
