import { sql } from 'drizzle-orm';
import { query, queryOne, toIso, type Executor } from '../db/index.ts';
import { presentReturn, returnLinesOf, type ReturnRow } from '../orders/index.ts';
import { presentPayment, refundsOfReturn } from '../payments/index.ts';

const money = (amount: number, currency: string) => ({ amount, currency });

/** A return with its lines, receipts, refunds and credit memos. */
export async function getReturn(executor: Executor, id: string) {
  const row = await queryOne<ReturnRow>(executor, sql`select * from returns where id = ${id}`);
  if (!row) return undefined;
  const receipts = await query<{ created_at: string }>(
    executor,
    sql`select id, line_id, quantity, condition, disposition, location_id, note, actor, created_at
        from return_receipts where return_id = ${id} order by id`,
  );
  // A replacement's return also refunds its credits from the orders that paid them.
  const payers = await query<{ order_id: string }>(
    executor,
    sql`select distinct source_order_id as order_id from exchange_credits where order_id = ${row.order_id}`,
  );
  const refunds = await refundsOfReturn(executor, [row.order_id, ...payers.map((p) => p.order_id)], id);
  const memos = await query<{ id: string; series: string; number: number; total_minor: number }>(
    executor,
    sql`select id, series, number, total_minor from invoices
        where kind = 'credit_memo' and document -> 'references' ->> 'return_id' = ${id} order by issued_at, id`,
  );
  return {
    ...presentReturn(row),
    lines: (await returnLinesOf(executor, id)).map(({ exchange_unit_price_minor: price, ...l }) => ({
      ...l,
      exchange_unit_price: price === null ? null : money(price, row.currency),
    })),
    receipts: receipts.map((r) => ({ ...r, created_at: toIso(r.created_at) })),
    refunds: refunds.map((r) => ({ ...presentPayment(r), order_id: r.order_id })),
    credit_memos: memos.map((m) => ({
      id: m.id,
      total: money(m.total_minor, row.currency),
      pdf: `/v1/invoices/${m.id}.pdf`,
    })),
  };
}
