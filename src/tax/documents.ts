import { sql } from 'drizzle-orm';
import { query, queryOne, type Executor } from '../db/index.ts';
import { newId } from '../shared/ids.ts';
import type { TaxQuote } from './adapter.ts';
import type { PriceMode } from './compute.ts';

interface TaxDocumentRow {
  id: string;
  order_id: string;
  kind: 'sale' | 'refund' | 'adjustment';
  engine: 'table' | 'avatax';
  status: 'uncommitted' | 'committed';
  external_code: string | null;
  price_mode: PriceMode;
  currency: string;
  tax_minor: number;
  payment_id: string | null;
  note: string | null;
}

interface NewDocument {
  orderId: string;
  kind: 'sale' | 'refund';
  engine: 'table' | 'avatax';
  committed: boolean;
  mode: PriceMode;
  currency: string;
  paymentId: string | null;
  note: string | null;
  /** Each line's amount as sent, by line ID. */
  amounts: Map<string, number>;
  quote: TaxQuote;
}

/** Writes a tax document and its lines in one statement. */
export async function recordDocument(executor: Executor, doc: NewDocument): Promise<string> {
  const id = newId('txd');
  const lines = doc.quote.lines.map((l) => ({
    line_id: l.lineId,
    amount_minor: doc.amounts.get(l.lineId) ?? 0,
    taxable_minor: l.taxableMinor,
    tax_minor: l.taxMinor,
    details: l.details.map((d) => ({
      jurisdiction: d.jurisdiction,
      name: d.name,
      rate_ppm: d.ratePpm,
      tax_minor: d.taxMinor,
    })),
  }));
  const taxMinor = doc.quote.lines.reduce((n, l) => n + l.taxMinor, 0);
  await executor.execute(sql`
    with document as (
      insert into tax_documents (id, order_id, kind, engine, status, external_code, price_mode, currency, tax_minor,
        payment_id, note, committed_at)
      values (${id}, ${doc.orderId}, ${doc.kind}, ${doc.engine}, ${doc.committed ? 'committed' : 'uncommitted'},
        ${doc.quote.externalCode}, ${doc.mode}, ${doc.currency}, ${taxMinor}, ${doc.paymentId}, ${doc.note},
        ${doc.committed ? sql`now()` : null})
      returning id)
    insert into tax_lines (document_id, line_id, amount_minor, taxable_minor, tax_minor, details)
    select document.id, t.line_id, t.amount_minor, t.taxable_minor, t.tax_minor, t.details
    from document, jsonb_to_recordset(${JSON.stringify(lines)}::jsonb)
      as t(line_id text, amount_minor bigint, taxable_minor bigint, tax_minor bigint, details jsonb)`);
  return id;
}

/**
 * The order's sale document, quoted at capture: its engine, price mode and commit status stand
 * for the order's. Its changes are recorded after it as further `sale` documents (adjustments).
 */
export function saleDocument(executor: Executor, orderId: string): Promise<TaxDocumentRow | undefined> {
  return queryOne<TaxDocumentRow>(
    executor,
    sql`select id, order_id, kind, engine, status, external_code, price_mode, currency, tax_minor, payment_id, note
        from tax_documents where order_id = ${orderId} and kind = 'sale' order by created_at, id limit 1`,
  );
}

/** What the order's sale and its adjustments hold per line: the line's amount, taxable amount, tax and details. */
export async function soldLines(executor: Executor, orderId: string) {
  const rows = await query<Omit<TaxLineRow, 'document_id'>>(
    executor,
    sql`select l.line_id, l.amount_minor, l.taxable_minor, l.tax_minor, l.details
        from tax_lines l join tax_documents d on d.id = l.document_id
        where d.order_id = ${orderId} and d.kind = 'sale' order by d.created_at, d.id, l.line_id`,
  );
  const byLine = new Map<
    string,
    { amountMinor: number; taxableMinor: number; taxMinor: number; details: TaxLineRow['details'] }
  >();
  for (const row of rows) {
    const held = byLine.get(row.line_id) ?? { amountMinor: 0, taxableMinor: 0, taxMinor: 0, details: [] };
    held.amountMinor += Number(row.amount_minor);
    held.taxableMinor += Number(row.taxable_minor);
    held.taxMinor += Number(row.tax_minor);
    held.details = [...held.details, ...row.details];
    byLine.set(row.line_id, held);
  }
  return byLine;
}

/** Marks every uncommitted sale document of the order committed: the sale and its adjustments. */
export async function markSalesCommitted(executor: Executor, orderId: string): Promise<void> {
  await executor.execute(
    sql`update tax_documents set status = 'committed', committed_at = now(), note = null
        where order_id = ${orderId} and kind = 'sale' and status = 'uncommitted'`,
  );
}

export async function noteOn(executor: Executor, documentId: string, note: string): Promise<void> {
  await executor.execute(sql`update tax_documents set note = ${note} where id = ${documentId}`);
}

interface TaxLineRow {
  document_id: string;
  line_id: string;
  amount_minor: number;
  taxable_minor: number;
  tax_minor: number;
  details: { jurisdiction: string; name: string; rate_ppm: number; tax_minor: number }[];
}

export function documentsOf(executor: Executor, orderId: string) {
  return Promise.all([
    query<TaxDocumentRow & { created_at: string; committed_at: string | null }>(
      executor,
      // Every sale document after the first is an adjustment of it (a change or an exchange).
      sql`select id, order_id,
                 case when kind = 'sale' and row_number() over (partition by kind order by created_at, id) > 1
                      then 'adjustment' else kind end as kind,
                 engine, status, external_code, price_mode, currency, tax_minor, payment_id, note, created_at, committed_at
          from tax_documents where order_id = ${orderId} order by created_at, id`,
    ),
    query<TaxLineRow>(
      executor,
      sql`select l.document_id, l.line_id, l.amount_minor, l.taxable_minor, l.tax_minor, l.details
          from tax_lines l join tax_documents d on d.id = l.document_id
          where d.order_id = ${orderId} order by l.document_id, l.line_id`,
    ),
  ]);
}
