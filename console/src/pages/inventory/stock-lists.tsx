import { useState } from 'react';
import type { StockRow } from '../../api/reports.ts';
import type { CountedPage } from '../../api/types.ts';
import { useDirectory } from '../../directory.tsx';
import { useSession } from '../../session.tsx';
import { Card, Empty, ErrorNotice, Pager, Table } from '../../ui/common.tsx';
import { useCursors, useLoad, type Loaded } from '../../ui/load.ts';

const PAGE_SIZE = 25;

type OverstockRow = StockRow & { units_sold: number; days_of_cover: number | null };

/** Low stock (at most a threshold available) and overstock, each counted, paged and narrowed to a location on the server. */
export function StockLists() {
  const { me } = useSession();
  const staff = me.role === 'admin' || me.role === 'agent';
  return (
    <>
      <LowStock />
      {staff ? <Overstock /> : null}
    </>
  );
}

function LocationFilter({ value, onChange }: { value: string; onChange: (locationId: string) => void }) {
  const { locations } = useDirectory();
  return (
    <label>
      Location
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">All locations</option>
        {locations.map((l) => (
          <option key={l.id} value={l.id}>
            {l.name}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Cursor pages that also know which page they are on (for "showing 26–50"). */
function useNumberedPages() {
  const pages = useCursors();
  const [page, setPage] = useState(0);
  return {
    cursor: pages.cursor,
    page,
    reset: () => (pages.reset(), setPage(0)),
    pager: (next: string | null | undefined) => {
      const pager = pages.pager(next);
      return {
        ...pager,
        onNext: () => (pager.onNext(), setPage(page + 1)),
        onPrevious: () => (pager.onPrevious(), setPage(page - 1)),
      };
    },
  };
}

/** "12 levels" and the page's place in them. */
function Count({ list, page }: { list: Loaded<CountedPage<unknown> | undefined>; page: number }) {
  if (!list.data) return null;
  const { total, data } = list.data;
  const first = page * PAGE_SIZE + 1;
  return (
    <p className="muted" data-testid="count">
      {total === 1 ? '1 level' : `${total} levels`}
      {data.length ? ` · showing ${first}–${first + data.length - 1}` : ''}
    </p>
  );
}

function LowStock() {
  const { api } = useSession();
  const [threshold, setThreshold] = useState(2);
  const [locationId, setLocationId] = useState('');
  const pages = useNumberedPages();
  const low = useLoad(
    () =>
      api.get<CountedPage<StockRow>>('/v1/inventory/low-stock', {
        threshold,
        location_id: locationId || undefined,
        limit: PAGE_SIZE,
        cursor: pages.cursor,
      }),
    [api, threshold, locationId, pages.cursor],
  );
  return (
    <Card title="Low stock" id="low-stock">
      <div className="filters">
        <label>
          Available at most
          <input
            type="number"
            min={0}
            value={threshold}
            onChange={(e) => (setThreshold(Math.max(0, Number(e.target.value))), pages.reset())}
          />
        </label>
        <LocationFilter value={locationId} onChange={(id) => (setLocationId(id), pages.reset())} />
      </div>
      <ErrorNotice error={low.error} />
      <Count list={low} page={pages.page} />
      {low.data?.data.length === 0 ? <Empty>Nothing is that low.</Empty> : null}
      {low.data?.data.length ? (
        <Table label="Low stock">
          <thead>
            <tr>
              <th scope="col">SKU</th>
              <th scope="col">Product</th>
              <th scope="col">Location</th>
              <th scope="col" className="num">
                Available
              </th>
              <th scope="col" className="num">
                On hand
              </th>
              <th scope="col" className="num">
                Safety stock
              </th>
            </tr>
          </thead>
          <tbody>
            {low.data.data.map((l) => (
              <tr key={`${l.location_id}/${l.sku}`} data-level={`${l.location_id}/${l.sku}`}>
                <td>{l.sku}</td>
                <td>{l.product_name}</td>
                <td>{l.location_name}</td>
                <td className="num">{l.available}</td>
                <td className="num">{l.on_hand}</td>
                <td className="num">{l.safety_stock}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
      <Pager {...pages.pager(low.data?.next_cursor)} />
    </Card>
  );
}

/** Overstock over the last 30 days of sales: unsold stock first, then the most days of cover. */
function Overstock() {
  const { api } = useSession();
  const [locationId, setLocationId] = useState('');
  const pages = useNumberedPages();
  const over = useLoad(
    () =>
      api.get<CountedPage<OverstockRow>>('/v1/inventory/overstock', {
        location_id: locationId || undefined,
        limit: PAGE_SIZE,
        cursor: pages.cursor,
      }),
    [api, locationId, pages.cursor],
  );
  return (
    <Card title="Overstock (last 30 days of sales)" id="overstock">
      <p className="muted">
        Free stock that did not sell in the last 30 days, or would last more than 90 days at their rate of sale.
      </p>
      <div className="filters">
        <LocationFilter value={locationId} onChange={(id) => (setLocationId(id), pages.reset())} />
      </div>
      <ErrorNotice error={over.error} />
      <Count list={over} page={pages.page} />
      {over.data?.data.length === 0 ? <Empty>No overstock.</Empty> : null}
      {over.data?.data.length ? (
        <Table label="Overstock">
          <thead>
            <tr>
              <th scope="col">SKU</th>
              <th scope="col">Product</th>
              <th scope="col">Location</th>
              <th scope="col" className="num">
                Available
              </th>
              <th scope="col" className="num">
                Sold
              </th>
              <th scope="col" className="num">
                Days of cover
              </th>
            </tr>
          </thead>
          <tbody>
            {over.data.data.map((r) => (
              <tr key={`${r.location_id}/${r.sku}`}>
                <td>{r.sku}</td>
                <td>{r.product_name}</td>
                <td>{r.location_name}</td>
                <td className="num">{r.available}</td>
                <td className="num">{r.units_sold}</td>
                <td className="num">{r.days_of_cover == null ? 'no sales' : r.days_of_cover.toFixed(0)}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
      <Pager {...pages.pager(over.data?.next_cursor)} />
    </Card>
  );
}
