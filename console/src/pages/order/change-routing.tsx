import type { ChangePreview, RoutingMove } from '../../api/changes.ts';
import { useDirectory } from '../../directory.tsx';
import { Empty, Table } from '../../ui/common.tsx';

type Routing = NonNullable<ChangePreview['routing']>;

interface Row {
  location_id: string;
  line_id: string;
  sku: string;
  placed: number;
  released: number;
}

/** Placed and released units per location and line, in one row each. */
function rowsOf(routing: Routing): Row[] {
  const rows = new Map<string, Row>();
  const add = (move: RoutingMove, field: 'placed' | 'released') => {
    const key = `${move.location_id}\u0000${move.line_id}`;
    const row = rows.get(key) ?? { ...move, placed: 0, released: 0 };
    row[field] += move.quantity;
    rows.set(key, row);
  };
  routing.placed.forEach((m) => add(m, 'placed'));
  routing.released.forEach((m) => add(m, 'released'));
  return [...rows.values()].sort(
    (a, b) => a.location_id.localeCompare(b.location_id) || a.line_id.localeCompare(b.line_id),
  );
}

/** The routing the change would cause: units placed at and released from each location, and what would wait. */
export function ChangeRouting({ routing }: { routing: Routing }) {
  const { locationName } = useDirectory();
  const rows = rowsOf(routing);
  return (
    <>
      {rows.length === 0 ? <Empty>No units move between locations.</Empty> : null}
      {rows.length > 0 ? (
        <Table label="Routing the change causes">
          <thead>
            <tr>
              <th scope="col">Location</th>
              <th scope="col">Line</th>
              <th scope="col" className="num">
                Units placed
              </th>
              <th scope="col" className="num">
                Units released
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.location_id}:${r.line_id}`} data-routing={`${r.location_id}:${r.line_id}`}>
                <td>{locationName(r.location_id)}</td>
                <td>
                  {r.line_id} · {r.sku}
                </td>
                <td className="num" data-move="placed">
                  {r.placed}
                </td>
                <td className="num" data-move="released">
                  {r.released}
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
      {routing.waiting.length > 0 ? (
        <p>Still waiting for stock: {routing.waiting.map((w) => `${w.quantity} of ${w.line_id}`).join(', ')}</p>
      ) : null}
    </>
  );
}
