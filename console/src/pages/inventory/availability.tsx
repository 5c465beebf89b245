import { useState, type FormEvent } from 'react';
import type { Availability } from '../../api/types.ts';
import { useDirectory } from '../../directory.tsx';
import { useSession } from '../../session.tsx';
import { Card, ErrorNotice, Table } from '../../ui/common.tsx';
import { useLoad } from '../../ui/load.ts';

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
  return (
    <>
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
