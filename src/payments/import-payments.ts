import { sql } from 'drizzle-orm';
import type { Executor } from '../db/index.ts';

/** A payment of an imported order, as the previous system recorded it. */
export interface ImportedPayment {
  id: string;
  order_id: string;
  kind: 'authorization' | 'capture' | 'void' | 'refund';
  status: 'succeeded' | 'failed' | 'pending';
  amount_minor: number;
  currency: string;
  gateway: string;
  reference: string | null;
  /** The previous system's ID of the payment: the record's key on its order, so it is written once. */
  idempotency_key: string;
  created_at: string;
}

/** Writes imported orders' payments (authorizations, captures, voids, refunds) as they were, in one statement. */
export async function insertImportedPayments(executor: Executor, payments: ImportedPayment[]): Promise<void> {
  if (payments.length === 0) return;
  await executor.execute(sql`
    insert into payments (id, order_id, kind, status, amount_minor, currency, gateway, reference, idempotency_key, created_at)
    select id, order_id, kind, status, amount_minor, currency, gateway, reference, idempotency_key, created_at
    from jsonb_to_recordset(${JSON.stringify(payments)}::jsonb) as t(id text, order_id text, kind text, status text,
      amount_minor bigint, currency text, gateway text, reference text, idempotency_key text, created_at timestamptz)
    on conflict (order_id, idempotency_key) do nothing`);
}
