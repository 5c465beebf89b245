import type { Order, RoutingDecision } from '../api/types.ts';
import { useDirectory } from '../directory.tsx';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { Badge, ErrorNotice, Loading, Page } from '../ui/common.tsx';
import { useConfirm } from '../ui/confirm.tsx';
import { formatDateTime, formatMoney } from '../ui/format.ts';
import { useLoad } from '../ui/load.ts';
import { useStatus } from '../ui/status.tsx';
import { OrderActions } from './order/actions.tsx';
import { EditOrder } from './order/edit-order.tsx';
import { NotesAndTags } from './order/notes-tags.tsx';
import { ReturnsSection } from './order/returns-section.tsx';
import { VersionsCard } from './order/versions-card.tsx';
import {
  FulfillmentSection,
  HoldsSection,
  LinesSection,
  PaymentsSection,
  RoutingSection,
  TimelineSection,
} from './order/sections.tsx';

/** The delivery address as it is written on a parcel, one part a line. */
function addressLines(address: Record<string, unknown> | null): string[] {
  if (!address) return [];
  const part = (key: string) => (typeof address[key] === 'string' ? (address[key] as string) : '');
  const town = [part('postal_code'), part('city'), part('region')].filter(Boolean).join(' ');
  return [part('name'), part('line1'), part('line2'), town, part('country')].filter(Boolean);
}

/** Where the order goes: the shipping address, or the store it is picked up at. */
function Destination({ order }: { order: Order }) {
  const { locationName } = useDirectory();
  if (order.delivery_method !== 'ship' && order.pickup_location_id)
    return (
      <div>
        <dt>{order.delivery_method === 'curbside' ? 'Curbside at' : 'Pickup at'}</dt>
        <dd data-testid="order-destination">{locationName(order.pickup_location_id)}</dd>
      </div>
    );
  const lines = addressLines(order.shipping_address);
  return (
    <div>
      <dt>Ship to</dt>
      <dd data-testid="order-destination">
        {lines.length ? (
          <address>
            {lines.map((l, i) => (
              <span key={i} className="address-line">
                {l}
              </span>
            ))}
          </address>
        ) : (
          '—'
        )}
      </dd>
    </div>
  );
}

/** The order 360: everything about one order on one screen, and what a user may do to it. */
export default function Order360({ params }: { params: Record<string, string> }) {
  const { api, can } = useSession();
  const { channelName } = useDirectory();
  const id = params.id ?? '';
  const order = useLoad(() => api.get<Order>(`/v1/orders/${encodeURIComponent(id)}`), [api, id]);
  const status = useStatus();
  const confirm = useConfirm();
  const done = (message: string) => {
    order.reload();
    status.say(message);
  };
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
          <dt>Channel</dt>
          <dd data-testid="order-channel">{channelName(o.channel_id)}</dd>
        </div>
        <div>
          <dt>Delivery</dt>
          <dd>{o.delivery_method}</dd>
        </div>
        <Destination order={o} />
        <div>
          <dt>Current total</dt>
          <dd data-testid="order-total">{formatMoney(o.current_total)}</dd>
          {o.current_total.amount !== o.total.amount ? (
            <dd className="muted" data-testid="order-total-before">
              {formatMoney(o.total)} before cancellations
            </dd>
          ) : null}
        </div>
      </dl>
      {o.warnings.length > 0 ? (
        <section className="warning" aria-label="Warnings">
          {o.warnings.map((w) => (
            <p key={w.code}>{w.detail}</p>
          ))}
        </section>
      ) : null}
      {status.region}
      {confirm.dialog}
      {can('orders:manage') ? <OrderActions order={o} onDone={done} confirm={confirm.ask} /> : null}
      <HoldsSection order={o} />
      {can('orders:manage') && !['shipped', 'partially_delivered', 'delivered', 'cancelled'].includes(o.status) ? (
        <EditOrder key={o.id} order={o} onChanged={(message) => (message ? done(message) : order.reload())} />
      ) : null}
      <LinesSection order={o} />
      <NotesAndTags order={o} onDone={done} />
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
