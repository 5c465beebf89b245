import type { OrderSummary } from '../api/types.ts';
import { useDirectory } from '../directory.tsx';
import { Link } from '../router.tsx';
import { Badge, Table } from '../ui/common.tsx';
import { formatDateTime, formatMoney, humanize } from '../ui/format.ts';

/** Order summaries (as `GET /v1/orders` lists them) in a table linking to each order 360. */
export function OrderTable({ orders, label }: { orders: OrderSummary[]; label: string }) {
  const { channelName } = useDirectory();
  return (
    <Table label={label}>
      <thead>
        <tr>
          <th scope="col">Order</th>
          <th scope="col">Status</th>
          <th scope="col">Customer</th>
          <th scope="col">Channel</th>
          <th scope="col" className="num">
            Units
          </th>
          <th scope="col" className="num">
            Total
          </th>
          <th scope="col">Placed</th>
        </tr>
      </thead>
      <tbody>
        {orders.map((o) => (
          <tr key={o.id} data-order={o.id}>
            <td>
              <Link href={`/orders/${o.id}`}>{o.external_id}</Link>
            </td>
            <td>
              <Badge status={o.status} /> {o.on_hold ? <Badge status="on_hold" label="on hold" /> : null}
              {o.attention
                ?.filter((a) => a !== 'on_hold')
                .map((a) => (
                  <Badge key={a} status={a === 'late' ? 'failed' : 'backordered'} label={humanize(a)} />
                ))}
            </td>
            <td>
              {o.customer.name ?? ''} <span className="muted">{o.customer.email}</span>
            </td>
            <td>{channelName(o.channel_id)}</td>
            <td className="num">{o.units}</td>
            <td className="num">{formatMoney(o.total)}</td>
            <td>{formatDateTime(o.placed_at)}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
