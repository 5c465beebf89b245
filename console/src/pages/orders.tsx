import { useEffect, useState, type FormEvent } from 'react';
import type { OrderSummary, Page as ApiPage } from '../api/types.ts';
import { ChannelOptions, useDirectory } from '../directory.tsx';
import { Link, navigate, useLocation } from '../router.tsx';
import { useSession } from '../session.tsx';
import { Empty, ErrorNotice, Loading, Page, Pager } from '../ui/common.tsx';
import { humanize } from '../ui/format.ts';
import { useLoad } from '../ui/load.ts';
import { listUrl, useUrlPages } from '../ui/url-pages.ts';
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
const FILTERS = ['q', 'email', 'sku', 'status', 'channel', 'location_id', 'from', 'to', 'needs_attention'] as const;
const PAGE_SIZE = 25;
type Filters = Record<(typeof FILTERS)[number], string>;

/** Dates are days in the form; the API takes instants (`to` exclusive), so the end day is included. */
function apiQuery(filters: Filters, cursor: string | undefined) {
  const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString();
  return {
    ...filters,
    from: filters.from ? `${filters.from}T00:00:00Z` : undefined,
    to: filters.to ? nextDay(filters.to) : undefined,
    needs_attention: filters.needs_attention === 'true' ? 'true' : undefined,
    limit: PAGE_SIZE,
    cursor,
  };
}

export default function OrdersPage() {
  const { api } = useSession();
  const { locations } = useDirectory();
  const { search } = useLocation();
  const filters = Object.fromEntries(FILTERS.map((name) => [name, search.get(name) ?? ''])) as Filters;
  const [draft, setDraft] = useState<Filters>(filters);
  const pages = useUrlPages(PAGE_SIZE);
  const key = search.toString();
  // A saved view or Back changes the filters: the form shows them.
  useEffect(() => setDraft(filters), [key]);
  const orders = useLoad(
    () => api.get<ApiPage<OrderSummary>>('/v1/orders', apiQuery(filters, pages.cursor)),
    [api, key],
  );
  const apply = (event: FormEvent) => {
    event.preventDefault();
    navigate(listUrl('/orders', draft));
  };
  const set = (name: keyof Filters) => (event: { target: { value: string } }) =>
    setDraft({ ...draft, [name]: event.target.value });
  return (
    <Page title="Orders">
      <SavedViews current={key} />
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
      <Pager {...pages.pager(orders.data)} />
    </Page>
  );
}

/**
 * Saved views: links to the list with their filters (the server does the filtering), so a view can
 * be bookmarked and Back returns to it. The views of a channel key's one channel are left out.
 */
function SavedViews({ current }: { current: string }) {
  const { channels } = useDirectory();
  const views: { label: string; params: Record<string, string> }[] = [
    { label: 'All', params: {} },
    { label: 'Needs attention', params: { needs_attention: 'true' } },
    { label: 'Open', params: { status: 'created,confirmed,in_process,partially_shipped' } },
    ...['shipped', 'delivered', 'cancelled'].map((s) => ({ label: humanize(s), params: { status: s } })),
    ...(channels.length > 1 ? channels.map((c) => ({ label: c.name, params: { channel: c.id } })) : []),
  ];
  return (
    <nav aria-label="Saved views" className="tabs">
      {views.map((view) => {
        const href = listUrl('/orders', view.params);
        const here = new URLSearchParams(view.params).toString() === current;
        return (
          <Link key={view.label} href={href} className="tab" aria-current={here ? 'page' : undefined}>
            {view.label}
          </Link>
        );
      })}
    </nav>
  );
}
