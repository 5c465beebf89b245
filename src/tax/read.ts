import type { Executor } from '../db/index.ts';
import { documentsOf } from './documents.ts';

const money = (amount: number, currency: string) => ({ amount: Number(amount), currency });

/** The order's tax documents with their lines; `tax` is what is owed: sales less refunds. */
export async function orderTax(executor: Executor, orderId: string) {
  const [documents, lines] = await documentsOf(executor, orderId);
  const currency = documents[0]?.currency ?? null;
  return {
    order_id: orderId,
    tax: currency
      ? money(
          documents.reduce((n, d) => n + Number(d.tax_minor), 0),
          currency,
        )
      : null,
    documents: documents.map((d) => ({
      id: d.id,
      kind: d.kind,
      engine: d.engine,
      status: d.status,
      external_code: d.external_code,
      price_mode: d.price_mode,
      payment_id: d.payment_id,
      tax: money(d.tax_minor, d.currency),
      note: d.note,
      created_at: new Date(d.created_at).toISOString(),
      committed_at: d.committed_at ? new Date(d.committed_at).toISOString() : null,
      lines: lines
        .filter((l) => l.document_id === d.id)
        .map((l) => ({
          line_id: l.line_id,
          amount: money(l.amount_minor, d.currency),
          taxable: money(l.taxable_minor, d.currency),
          tax: money(l.tax_minor, d.currency),
          details: l.details,
        })),
    })),
  };
}
