import { sql } from 'drizzle-orm';
import { query, type Executor } from '../db/index.ts';
import { problem, type Problem } from '../shared/problem.ts';

/**
 * Whether the order's waiting units of SKUs on pre-order keep every such SKU within its cap: the
 * units waiting over all open orders. The pre-order rows are locked first (in SKU order), so two
 * orders racing for the last units under a cap are counted one after the other: the second one's
 * count, a new statement, sees the first one's units once it has committed.
 */
export async function checkPreorderCaps(executor: Executor, orderId: string): Promise<Problem | undefined> {
  const locked = await query<{ sku: string; cap: number }>(
    executor,
    sql`select sku, cap from product_preorders
        where enabled and sku in (select sku from order_lines where order_id = ${orderId} and backordered > 0)
        order by sku
        for no key update`,
  );
  if (locked.length === 0) return undefined;
  const counts = await query<{ sku: string; cap: number; waiting: number }>(
    executor,
    sql`select pp.sku, pp.cap, coalesce(sum(l.backordered), 0)::int as waiting
        from product_preorders pp
        join order_lines l on l.sku = pp.sku and l.backordered > 0
        join orders o on o.id = l.order_id and o.status <> 'cancelled'
        where pp.sku = any(${sql.param(locked.map((r) => r.sku))}::text[])
        group by pp.sku, pp.cap
        having coalesce(sum(l.backordered), 0) > pp.cap
        order by pp.sku`,
  );
  if (counts.length === 0) return undefined;
  return problem(
    'preorder_cap_exceeded',
    counts
      .map((c) => `${c.sku} may have ${c.cap} units on pre-order; this order would make it ${c.waiting}.`)
      .join(' '),
    { skus: counts.map((c) => ({ sku: c.sku, cap: c.cap, waiting: c.waiting })) },
  );
}
