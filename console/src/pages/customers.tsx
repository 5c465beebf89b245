import { useState, type FormEvent } from 'react';
import type { CustomerSummary } from '../api/reports.ts';
import type { Page as ApiPage } from '../api/types.ts';
import { useDirectory } from '../directory.tsx';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { Empty, ErrorNotice, Page, Pager, Table } from '../ui/common.tsx';
import { formatDateTime } from '../ui/format.ts';
import { useCursors, useLoad } from '../ui/load.ts';

/** Customers across every channel, identified by e-mail. */
export default function CustomersPage() {
  const { api } = useSession();
  const { channelName } = useDirectory();
  const [q, setQ] = useState('');
  const [asked, setAsked] = useState('');
  const pages = useCursors();
  const customers = useLoad(
    () => api.get<ApiPage<CustomerSummary>>('/v1/customers', { q: asked, limit: 25, cursor: pages.cursor }),
    [api, asked, pages.cursor],
  );
  const search = (event: FormEvent) => {
    event.preventDefault();
    pages.reset();
    setAsked(q.trim());
  };
  return (
    <Page title="Customers">
      <form className="filters" onSubmit={search} role="search" aria-label="Find customers">
        <label>
          Name or e-mail
          <input type="search" value={q} onChange={(e) => setQ(e.target.value)} />
        </label>
        <button type="submit">Search</button>
      </form>
      <ErrorNotice error={customers.error} />
      {customers.data?.data.length === 0 ? <Empty>No customers match.</Empty> : null}
      {customers.data?.data.length ? (
        <Table label="Customers">
          <thead>
            <tr>
              <th scope="col">Customer</th>
              <th scope="col" className="num">
                Orders
              </th>
              <th scope="col">Channels</th>
              <th scope="col">First order</th>
              <th scope="col">Last order</th>
            </tr>
          </thead>
          <tbody>
            {customers.data.data.map((c) => (
              <tr key={c.email}>
                <td>
                  <Link href={`/customers/${encodeURIComponent(c.email)}`}>{c.name ?? c.email}</Link>{' '}
                  <span className="muted">{c.email}</span>
                </td>
                <td className="num">{c.orders}</td>
                <td>{c.channels.map(channelName).join(', ')}</td>
                <td>{formatDateTime(c.first_order_at)}</td>
                <td>{formatDateTime(c.last_order_at)}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
      <Pager {...pages.pager(customers.data?.next_cursor)} />
    </Page>
  );
}
