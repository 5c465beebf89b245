import type { ConnectorHealth } from '../api/connectors.ts';
import type { Page as ApiPage } from '../api/types.ts';
import { useDirectory } from '../directory.tsx';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { Badge, Card, Empty, ErrorNotice, Loading, Page, Table } from '../ui/common.tsx';
import { formatDateTime } from '../ui/format.ts';
import { useLoad } from '../ui/load.ts';

/** Every channel connector's health: is it receiving, what went wrong last, what is waiting. */
export default function ConnectorsPage() {
  const { api } = useSession();
  const { channelName } = useDirectory();
  const health = useLoad(() => api.get<ApiPage<ConnectorHealth>>('/v1/connectors/health'), [api]);
  return (
    <Page title="Connectors" actions={<button onClick={health.reload}>Refresh</button>}>
      <Card title="Connector health">
        <ErrorNotice error={health.error} />
        {health.loading && !health.data ? <Loading /> : null}
        {health.data?.data.length === 0 ? <Empty>No channel has a connector.</Empty> : null}
        {health.data?.data.length ? (
          <Table label="Connector health">
            <thead>
              <tr>
                <th scope="col">Channel</th>
                <th scope="col">Platform</th>
                <th scope="col">Last order</th>
                <th scope="col">Last error</th>
                <th scope="col">Review queue</th>
                <th scope="col">Outbound backlog</th>
                <th scope="col">Oldest undelivered</th>
              </tr>
            </thead>
            <tbody>
              {health.data.data.map((h) => (
                <tr key={h.channel_id} data-channel={h.channel_id}>
                  <td>
                    <Link href={`/connectors/${encodeURIComponent(h.channel_id)}`}>{channelName(h.channel_id)}</Link>
                  </td>
                  <td>{h.platform}</td>
                  <td data-field="last_order">
                    {h.last_order_received_at ? formatDateTime(h.last_order_received_at) : '—'}
                  </td>
                  <td data-field="last_error">
                    {h.last_error ? <LastError error={h.last_error} /> : <Badge status="active" label="none" />}
                  </td>
                  <td data-field="review_queue">{h.review_queue}</td>
                  <td data-field="backlog">{h.outbound ? h.outbound.backlog : 'no endpoint'}</td>
                  <td data-field="oldest">
                    {h.outbound?.oldest_undelivered_at ? formatDateTime(h.outbound.oldest_undelivered_at) : '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
        ) : null}
      </Card>
    </Page>
  );
}

export function LastError({ error }: { error: NonNullable<ConnectorHealth['last_error']> }) {
  return (
    <span>
      <Badge status="failed" label={`${error.source}: ${error.code}`} /> {formatDateTime(error.at)}
      <div className="muted">{error.detail}</div>
    </span>
  );
}
