import { useState, type FormEvent } from 'react';
import type { OrderSummary, Page as ApiPage } from '../api/types.ts';
import { ChannelOptions, useDirectory } from '../directory.tsx';
import { navigate, useLocation } from '../router.tsx';
import { useSession } from '../session.tsx';
import { Empty, ErrorNotice, Loading, Page, Pager } from '../ui/common.tsx';
import { useCursors, useLoad } from '../ui/load.ts';
import { OrderTable } from './order-table.tsx';

export const orderStatuses = [
  'created',
  'confirmed',
  'in_process',
  'partially_shipped',
  'shipped',
  'partially_delivered',
  'delivered',
  'cancelled',
];
const FILTERS = ['q', 'email', 'sku', 'status', 'channel', 'location_id', 'from', 'to'] as const;
type Filters = Record<(typeof FILTERS)[number], string>;

/** Dates are days in the form; the API takes instants (`to` exclusive), so the end day is included. */
function apiQuery(filters: Filters, cursor: string | undefined) {
  const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString();
  return {
    ...filters,
    from: filters.from ? `${filters.from}T00:00:00Z` : undefined,
    to: filters.to ? nextDay(filters.to) : undefined,
    limit: 25,
    cursor,
  };
}

export default function OrdersPage() {
  const { api } = useSession();
  const { locations } = useDirectory();
  const { search } = useLocation();
  const filters = Object.fromEntries(FILTERS.map((name) => [name, search.get(name) ?? ''])) as Filters;
  const [draft, setDraft] = useState<Filters>(filters);
  const pages = useCursors();
  const key = search.toString();
  const orders = useLoad(
    () => api.get<ApiPage<OrderSummary>>('/v1/orders', apiQuery(filters, pages.cursor)),
    [api, key, pages.cursor],
  );
  const apply = (event: FormEvent) => {
    event.preventDefault();
    const params = new URLSearchParams(Object.entries(draft).filter(([, v]) => v !== ''));
    pages.reset();
    navigate(`/orders${params.size ? `?${params}` : ''}`);
  };
  const set = (name: keyof Filters) => (event: { target: { value: string } }) =>
    setDraft({ ...draft, [name]: event.target.value });
  return (
    <Page title="Orders">
      <form className="filters" onSubmit={apply} role="search" aria-label="Find orders">
        <label>
          Search
          <input
            type="search"
            name="q"
            value={draft.q}
            onChange={set('q')}
            placeholder="External ID, customer, e-mail"
          />
        </label>
        <label>
          E-mail
          <input type="email" value={draft.email} onChange={set('email')} />
        </label>
        <label>
          SKU
          <input value={draft.sku} onChange={set('sku')} />
        </label>
        <label>
          Status
          <select value={draft.status} onChange={set('status')}>
            <option value="">Any</option>
            {orderStatuses.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Channel
          <select value={draft.channel} onChange={set('channel')}>
            <ChannelOptions none="Any" />
          </select>
        </label>
        <label>
          Location
          <select value={draft.location_id} onChange={set('location_id')}>
            <option value="">Any</option>
            {locations.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Placed from
          <input type="date" value={draft.from} onChange={set('from')} />
        </label>
        <label>
          to
          <input type="date" value={draft.to} onChange={set('to')} />
        </label>
        <button type="submit">Search</button>
      </form>
      <ErrorNotice error={orders.error} />
      {orders.loading && !orders.data ? <Loading /> : null}
      {orders.data && orders.data.data.length === 0 ? <Empty>No orders match.</Empty> : null}
      {orders.data && orders.data.data.length > 0 ? <OrderTable orders={orders.data.data} label="Orders" /> : null}
      <Pager {...pages.pager(orders.data?.next_cursor)} />
    </Page>
  );
}
