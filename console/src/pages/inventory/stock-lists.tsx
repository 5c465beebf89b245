import { useState } from 'react';
import type { StockHealthReport } from '../../api/reports.ts';
import type { Page, StockLevel } from '../../api/types.ts';
import { useDirectory } from '../../directory.tsx';
import { useSession } from '../../session.tsx';
import { Card, Empty, ErrorNotice, Table } from '../../ui/common.tsx';
import { useLoad } from '../../ui/load.ts';

/** Low stock (available at or under a threshold, from the levels API) and overstock (from the stock-health report). */
export function StockLists() {
  const { api, me } = useSession();
  const { locationName } = useDirectory();
  const [threshold, setThreshold] = useState(2);
  const low = useLoad(
    () => api.get<Page<StockLevel>>('/v1/inventory/levels', { max_available: threshold, limit: 100 }),
    [api, threshold],
  );
  const staff = me.role === 'admin' || me.role === 'agent';
  return (
    <>
      <Card title="Low stock">
        <label>
          Available at most
          <input
            type="number"
            min={0}
            value={threshold}
            onChange={(e) => setThreshold(Math.max(0, Number(e.target.value)))}
          />
        </label>
        <ErrorNotice error={low.error} />
        {low.data?.data.length === 0 ? <Empty>Nothing is that low.</Empty> : null}
        {low.data?.data.length ? (
          <Table label="Low stock">
            <thead>
              <tr>
                <th scope="col">SKU</th>
                <th scope="col">Location</th>
                <th scope="col" className="num">
                  Available
                </th>
                <th scope="col" className="num">
                  On hand
                </th>
              </tr>
            </thead>
            <tbody>
              {low.data.data.map((l) => (
                <tr key={`${l.location_id}/${l.sku}`}>
                  <td>{l.sku}</td>
                  <td>{locationName(l.location_id)}</td>
                  <td className="num">{l.available}</td>
                  <td className="num">{l.on_hand}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        ) : null}
      </Card>
      {staff ? <Overstock /> : null}
    </>
  );
}

/** Overstock from the stock-health report (days of cover over its threshold, or stock with no sales). */
function Overstock() {
  const { api } = useSession();
  const health = useLoad(() => api.get<StockHealthReport>('/v1/reports/stock-health'), [api]);
  return (
    <Card title="Overstock (last 30 days of sales)">
      <ErrorNotice error={health.error} />
      {health.data?.overstock.length === 0 ? <Empty>No overstock.</Empty> : null}
      {health.data?.overstock.length ? (
        <Table label="Overstock">
          <thead>
            <tr>
              <th scope="col">SKU</th>
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
            {health.data.overstock.map((r) => (
              <tr key={`${r.location_id}/${r.sku}`}>
                <td>{r.sku}</td>
                <td>{r.location_name}</td>
                <td className="num">{r.available}</td>
                <td className="num">{r.units_sold}</td>
                <td className="num">{r.days_of_cover == null ? 'no sales' : r.days_of_cover.toFixed(0)}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
    </Card>
  );
}
