import { sql } from 'drizzle-orm';
import type { Executor } from '../db/index.ts';
import type { ReturnReason } from './policy.ts';

/** A return of an imported order, as the previous system recorded it. */
export interface ImportedReturn {
  id: string;
  order_id: string;
  channel_id: string;
  status: 'initiated' | 'authorized' | 'received' | 'restocked' | 'written_off' | 'refunded' | 'rejected' | 'cancelled';
  currency: string;
  customer_email: string | null;
  refunded_minor: number;
  created_at: string;
  lines: {
    line_id: string;
    line_no: number;
    sku: string;
    quantity: number;
    reason: ReturnReason;
    received: number;
    refunded: number;
  }[];
}

/**
 * Writes imported orders' returns and their lines as they were, in one statement. Received
 * units count as restocked: the previous system settled them and Consign moves no stock for them.
 */
export async function insertImportedReturns(executor: Executor, returns: ImportedReturn[]): Promise<void> {
  if (returns.length === 0) return;
  const heads = returns.map(({ lines: _lines, ...head }) => head);
  const lines = returns.flatMap((r) => r.lines.map((l) => ({ return_id: r.id, order_id: r.order_id, ...l })));
  await executor.execute(sql`
    with written as (
      insert into returns (id, order_id, channel_id, status, method, source, customer_email, currency, refunded_minor,
        created_by, created_at, updated_at)
      select id, order_id, channel_id, status, 'mail_in', 'channel', customer_email, currency, refunded_minor, 'import',
        created_at, created_at
      from jsonb_to_recordset(${JSON.stringify(heads)}::jsonb) as t(id text, order_id text, channel_id text, status text,
        customer_email text, currency text, refunded_minor bigint, created_at timestamptz)
      returning id)
    insert into return_lines (return_id, order_id, line_id, line_no, sku, quantity, reason, received, restocked, refunded)
    select return_id, order_id, line_id, line_no, sku, quantity, reason, received, received, refunded
    from jsonb_to_recordset(${JSON.stringify(lines)}::jsonb) as t(return_id text, order_id text, line_id text,
      line_no int, sku text, quantity int, reason text, received int, refunded int)
    where return_id in (select id from written)`);
}
