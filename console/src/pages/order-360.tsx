import type { Order, RoutingDecision } from '../api/types.ts';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { Badge, ErrorNotice, Loading, Page } from '../ui/common.tsx';
import { formatDateTime, formatMoney } from '../ui/format.ts';
import { useLoad } from '../ui/load.ts';
import { OrderActions } from './order/actions.tsx';
import { EditOrder } from './order/edit-order.tsx';
import { ReturnsSection } from './order/returns-section.tsx';
import { VersionsCard } from './order/versions-card.tsx';
import {
  FulfillmentSection,
  LinesSection,
  PaymentsSection,
  RoutingSection,
  TimelineSection,
} from './order/sections.tsx';

/** The order 360: everything about one order on one screen, and what a user may do to it. */
export default function Order360({ params }: { params: Record<string, string> }) {
  const { api, can } = useSession();
  const id = params.id ?? '';
  const order = useLoad(() => api.get<Order>(`/v1/orders/${encodeURIComponent(id)}`), [api, id]);
  const routing = useLoad(
    () =>
      api.get<{ latest: RoutingDecision | null; decisions?: RoutingDecision[] }>(
        `/v1/orders/${encodeURIComponent(id)}/routing`,
      ),
    [api, id, order.data?.status],
  );
  if (order.error) return <ErrorNotice error={order.error} />;
  if (!order.data) return <Loading what="Loading the order" />;
  const o = order.data;
  return (
    <Page
      title={
        <>
          Order {o.external_id} <Badge status={o.status} />{' '}
          {o.on_hold ? <Badge status="on_hold" label="on hold" /> : null}
          {o.managed === false ? <Badge status="imported" label="imported (unmanaged)" /> : null}
        </>
      }
    >
      <dl className="facts">
        <div>
          <dt>Consign ID</dt>
          <dd>
            <code>{o.id}</code>
          </dd>
        </div>
        <div>
          <dt>Customer</dt>
          <dd>
            {o.customer.name ?? ''}{' '}
            {can('orders:manage') ? (
              <Link href={`/customers/${encodeURIComponent(o.customer.email)}`}>{o.customer.email}</Link>
            ) : (
              o.customer.email
            )}
          </dd>
        </div>
        <div>
          <dt>Placed</dt>
          <dd>{formatDateTime(o.placed_at)}</dd>
        </div>
        <div>
          <dt>Delivery</dt>
          <dd>{o.delivery_method}</dd>
        </div>
        <div>
          <dt>Total</dt>
          <dd data-testid="order-total">{formatMoney(o.total)}</dd>
        </div>
      </dl>
      {o.warnings.length > 0 ? (
        <section className="warning" aria-label="Warnings">
          {o.warnings.map((w) => (
            <p key={w.code}>{w.detail}</p>
          ))}
        </section>
      ) : null}
      {can('orders:manage') ? <OrderActions order={o} onChanged={order.reload} /> : null}
      {can('orders:manage') && !['shipped', 'partially_delivered', 'delivered', 'cancelled'].includes(o.status) ? (
        <EditOrder key={o.id} order={o} onChanged={order.reload} />
      ) : null}
      <LinesSection order={o} />
      {can('orders:manage') ? (
        <VersionsCard orderId={o.id} reloadKey={`${o.status}:${o.version}:${o.total.amount}`} />
      ) : null}
      <RoutingSection routing={routing.data?.latest ?? null} error={routing.error} />
      <FulfillmentSection order={o} />
      <PaymentsSection order={o} />
      <ReturnsSection order={o} onChanged={order.reload} />
      <TimelineSection order={o} />
    </Page>
  );
}
