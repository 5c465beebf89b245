import { sql } from 'drizzle-orm';
import { query, type Executor } from '../db/index.ts';
import { listOrders } from '../orders/index.ts';
import { listReturns } from '../orders/index.ts';
import { customerOrders, listCustomers } from './list-customers.ts';

/** The customer 360 lists at most this many orders (and returns), newest first; the totals count them all. */
const CUSTOMER_ORDER_LIMIT = 500;

interface CustomerTotal {
  currency: string;
  orders: number;
  spent_minor: number;
  refunded_minor: number;
}

/**
 * Money per currency: every order counts in `orders`; `spent_minor` is the totals of the orders
 * not cancelled as a whole; `refunded_minor` is what succeeded refunds gave back.
 */
async function customerTotals(executor: Executor, email: string, channelId: string | null): Promise<CustomerTotal[]> {
  return query<CustomerTotal>(
    executor,
    // The refunds are summed per order of this customer (by the payments' order index), not over
    // every order's payments: the 360's cost follows the customer's orders, not the database's.
    sql`select o.currency, count(*)::int as orders,
               coalesce(sum(o.total_minor) filter (where o.status <> 'cancelled'), 0)::bigint as spent_minor,
               coalesce(sum(r.refunded), 0)::bigint as refunded_minor
        from orders o
        left join lateral (select sum(p.amount_minor) as refunded from payments p
                           where p.order_id = o.id and p.kind = 'refund' and p.status = 'succeeded') r on true
        where o.customer_email = ${email} and ${customerOrders(channelId)}
        group by o.currency
        order by o.currency`,
  );
}

/** One customer across every channel (or the key's channel): orders, returns and totals. */
export async function getCustomer(executor: Executor, rawEmail: string, channelId: string | null) {
  const email = rawEmail.trim().toLowerCase();
  const [summary] = await listCustomers(executor, { email, channelId, limit: 1 });
  if (!summary) return undefined;
  const orders = await listOrders(executor, { email, channelId: channelId ?? undefined, limit: CUSTOMER_ORDER_LIMIT });
  return {
    email,
    name: summary.name,
    first_order_at: summary.first_order_at,
    last_order_at: summary.last_order_at,
    orders,
    returns: await listReturns(executor, {
      customerEmail: email,
      channelId: channelId ?? undefined,
      limit: CUSTOMER_ORDER_LIMIT,
    }),
    totals: await customerTotals(executor, email, channelId),
    channels: summary.channels,
  };
}
