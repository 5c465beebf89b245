import { sql } from 'drizzle-orm';
import { query, queryOne, toIso, type Executor } from '../db/index.ts';
import type { DocumentKind, InvoiceDocument } from './document.ts';
import { formatNumber } from './settings.ts';

export interface InvoiceRow {
  id: string;
  kind: DocumentKind;
  series: string;
  number: number;
  order_id: string;
  payment_id: string | null;
  currency: string;
  total_minor: number;
  document: InvoiceDocument;
  issued_at: string;
}

const columns = sql`id, kind, series, number, order_id, payment_id, currency, total_minor, document, issued_at`;

/** An invoice or credit memo as the API lists it (the full document is on `GET /v1/invoices/{id}`). */
export function presentInvoice(row: InvoiceRow) {
  return {
    id: row.id,
    kind: row.kind,
    number: formatNumber(row.series, row.number),
    series: row.series,
    sequence: row.number,
    order_id: row.order_id,
    payment_id: row.payment_id,
    total: { amount: row.total_minor, currency: row.currency },
    issued_at: toIso(row.issued_at),
    pdf_url: `/v1/invoices/${row.id}.pdf`,
  };
}
export type InvoiceView = ReturnType<typeof presentInvoice>;

export async function getInvoice(
  executor: Executor,
  id: string,
): Promise<(InvoiceView & { document: InvoiceDocument }) | undefined> {
  const row = await queryOne<InvoiceRow>(executor, sql`select ${columns} from invoices where id = ${id}`);
  return row ? { ...presentInvoice(row), document: row.document } : undefined;
}

/** The order's invoices and credit memos, in the order they were issued. */
export async function invoicesOfOrder(executor: Executor, orderId: string): Promise<InvoiceView[]> {
  const rows = await query<InvoiceRow>(
    executor,
    sql`select ${columns} from invoices where order_id = ${orderId} order by issued_at, series, number`,
  );
  return rows.map(presentInvoice);
}
