import { useSession } from '../../session.tsx';
import { Card, Empty, ErrorNotice, Table } from '../../ui/common.tsx';
import { formatDateTime, formatMoney, type Money } from '../../ui/format.ts';
import { useLoad } from '../../ui/load.ts';

/** What `GET /v1/orders/{id}/changes` answers, as far as the versions card reads it. */
interface OrderChanges {
  data: { id: string; reason: string }[];
  versions: {
    version: number;
    change_id: string | null;
    total: Money;
    delta: Money;
    created_by: string | null;
    created_at: string;
  }[];
}

/** Every version of the order: its total, who made it, why, and what it moved. */
export function VersionsCard({ orderId, reloadKey }: { orderId: string; reloadKey: string }) {
  const { api } = useSession();
  const changes = useLoad(
    () => api.get<OrderChanges>(`/v1/orders/${encodeURIComponent(orderId)}/changes`),
    [api, orderId, reloadKey],
  );
  const why = (changeId: string | null) =>
    changeId ? (changes.data?.data.find((c) => c.id === changeId)?.reason ?? changeId) : 'placed';
  return (
    <Card title="Versions" id="versions">
      <ErrorNotice error={changes.error} />
      {changes.data?.versions.length === 0 ? <Empty>No versions recorded.</Empty> : null}
      {changes.data?.versions.length ? (
        <Table label="Order versions">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col" className="num">
                Total
              </th>
              <th scope="col" className="num">
                Delta
              </th>
              <th scope="col">Who</th>
              <th scope="col">Why</th>
              <th scope="col">When</th>
            </tr>
          </thead>
          <tbody>
            {changes.data.versions.map((v) => (
              <tr key={v.version} data-version={v.version}>
                <td>{v.version}</td>
                <td className="num">{formatMoney(v.total)}</td>
                <td className="num">{formatMoney(v.delta)}</td>
                <td>{v.created_by ?? ''}</td>
                <td>{why(v.change_id)}</td>
                <td>{formatDateTime(v.created_at)}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
    </Card>
  );
}
