import type { Customer360 } from '../api/reports.ts';
import { useDirectory } from '../directory.tsx';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { Badge, Card, Empty, ErrorNotice, Loading, Page, Table } from '../ui/common.tsx';
import { formatMinor, formatMoney } from '../ui/format.ts';
import { useLoad } from '../ui/load.ts';
import { OrderTable } from './order-table.tsx';

/** Customer 360: every order and return of one customer across all channels, with totals. */
export default function CustomerPage({ params }: { params: Record<string, string> }) {
  const { api } = useSession();
  const { channelName } = useDirectory();
  const email = params.email ?? '';
  const customer = useLoad(() => api.get<Customer360>(`/v1/customers/${encodeURIComponent(email)}`), [api, email]);
  if (customer.error) return <ErrorNotice error={customer.error} />;
  if (!customer.data) return <Loading />;
  const c = customer.data;
  return (
    <Page title={c.name ?? c.email}>
      <p>
        {c.email} · channels: {c.channels.map(channelName).join(', ')}
      </p>
      <Card title="Totals" id="totals">
        <Table label="Totals per currency">
          <thead>
            <tr>
              <th scope="col">Currency</th>
              <th scope="col" className="num">
                Orders
              </th>
              <th scope="col" className="num">
                Spent
              </th>
              <th scope="col" className="num">
                Refunded
              </th>
            </tr>
          </thead>
          <tbody>
            {c.totals.map((t) => (
              <tr key={t.currency} data-currency={t.currency}>
                <td>{t.currency}</td>
                <td className="num">{t.orders}</td>
                <td className="num">{formatMinor(t.spent_minor, t.currency)}</td>
                <td className="num">{formatMinor(t.refunded_minor, t.currency)}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      </Card>
      <Card title={`Orders (${c.orders.length})`} id="orders">
        <OrderTable orders={c.orders} label="Orders of this customer" />
      </Card>
      <Card title={`Returns (${c.returns.length})`} id="returns">
        {c.returns.length === 0 ? <Empty>No returns.</Empty> : null}
        <ul className="plain">
          {c.returns.map((r) => (
            <li key={r.id} data-return={r.id}>
              <Link href={`/returns?rma=${encodeURIComponent(r.id)}`}>{r.id}</Link> <Badge status={r.status} /> for{' '}
              <Link href={`/orders/${r.order_id}`}>{r.order_id}</Link> · refunded{' '}
              <span className="refunded">{formatMoney(r.refunded)}</span>
            </li>
          ))}
        </ul>
      </Card>
    </Page>
  );
}
