import { sql } from 'drizzle-orm';
import { queryOne, toIso, type Executor } from '../db/index.ts';
import { recordEvents } from '../events/index.ts';
import { checkReferences } from '../inventory/index.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import type { PreorderBody } from './schemas.ts';

interface PreorderRow {
  sku: string;
  enabled: boolean;
  cap: number;
  waiting: number;
  updated_at: string | null;
}

/** A SKU's pre-order policy with the units now waiting for it over all open orders. */
export async function getPreorder(executor: Executor, sku: string): Promise<PreorderRow | undefined> {
  const row = await queryOne<PreorderRow>(
    executor,
    sql`select p.sku, coalesce(pp.enabled, false) as enabled, coalesce(pp.cap, 0) as cap, pp.updated_at,
               (select coalesce(sum(l.backordered), 0)::int from order_lines l join orders o on o.id = l.order_id
                where l.sku = p.sku and l.backordered > 0 and o.status <> 'cancelled') as waiting
        from products p left join product_preorders pp on pp.sku = p.sku
        where p.sku = ${sku}`,
  );
  return row && { ...row, updated_at: toIso(row.updated_at) };
}

/**
 * Turns pre-orders of a SKU on or off and sets its cap (`product.preorder_changed`). A lower cap
 * than what already waits is allowed: the orders placed stay, new ones wait until units are served.
 */
export async function setPreorder(
  executor: Executor,
  sku: string,
  input: PreorderBody,
  actor: string | null,
): Promise<Result<PreorderRow>> {
  const unknown = await checkReferences(executor, [sku], []);
  if (unknown) return fail(unknown);
  await executor.execute(sql`
    insert into product_preorders (sku, enabled, cap) values (${sku}, ${input.enabled}, ${input.cap})
    on conflict (sku) do update set enabled = excluded.enabled, cap = excluded.cap, updated_at = now()`);
  const row = (await getPreorder(executor, sku))!;
  await recordEvents(executor, [
    {
      type: 'product.preorder_changed',
      subjectType: 'product',
      subjectId: sku,
      payload: { sku, enabled: row.enabled, cap: row.cap, waiting: row.waiting, actor },
    },
  ]);
  return ok(row);
}
