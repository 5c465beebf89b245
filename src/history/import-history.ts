import { sql } from 'drizzle-orm';
import { addMissingProducts } from '../catalog/index.ts';
import { inTransaction, query, queryOne, type Db } from '../db/index.ts';
import { insertImportedShipments } from '../fulfillment/index.ts';
import { insertImportedOrders } from '../orders/index.ts';
import { insertImportedPayments } from '../payments/index.ts';
import { insertImportedReturns } from '../returns/index.ts';
import { ok, type Result } from '../shared/result.ts';
import { checkRecord, type CheckContext, type ReportEntry } from './check.ts';
import { placeManagedOpen } from './managed-open.ts';
import { isOpenStatus, prepareOrder, recordHash, type PreparedOrder } from './prepare.ts';
import type { HistoryOrder, HistoryRow } from './record.ts';

export interface HistoryImportResult {
  rows: number;
  /** Written as they were, unmanaged (or open orders left unmanaged). */
  imported: number;
  /** Open orders placed as managed orders that Consign routed (`managed_open`). */
  placed: number;
  /** Already imported by an earlier run: nothing written for them. */
  duplicates: number;
  rejected: number;
  report: ReportEntry[];
}

interface HistoryImportOptions {
  channelId: string;
  rows: HistoryRow[];
  /** Place open orders (nothing shipped yet) as managed orders that Consign routes. */
  managedOpen?: boolean | undefined;
  /** Records per transaction; 1,000 unless said. */
  batchSize?: number | undefined;
  actor: string;
  /** Products the file names that the catalogue may lack (an Olist product ID is a SKU): added first. */
  products?: { sku: string; name: string }[] | undefined;
  onProgress?: ((done: number, total: number) => void) | undefined;
}

const DEFAULT_BATCH = 1000;
/** Batches written at once, each in a transaction of its own. */
const WRITERS = 2;

/** The catalogue SKUs and locations the records name, and the channel's currency. */
async function loadContext(db: Db, channelId: string, rows: HistoryRow[]): Promise<CheckContext> {
  const named = new Set<string>();
  for (const r of rows) {
    const lines = 'value' in r ? (r.value as { lines?: unknown })?.lines : undefined;
    if (Array.isArray(lines)) for (const l of lines) if (typeof l?.sku === 'string') named.add(l.sku);
  }
  const skus = await query<{ sku: string }>(
    db,
    sql`select sku from products where sku = any(${sql.param([...named])}::text[])`,
  );
  const locations = await query<{ id: string; code: string | null }>(db, sql`select id, code from locations`);
  const channel = await queryOne<{ currency: string }>(db, sql`select currency from channels where id = ${channelId}`);
  const byName = new Map<string, string>();
  for (const l of locations) {
    byName.set(l.id, l.id);
    if (l.code) byName.set(l.code, l.id);
  }
  return { currency: channel?.currency ?? 'USD', skus: new Set(skus.map((s) => s.sku)), locations: byName };
}

/** The request hash of each external ID of `ids` already stored for the channel. */
async function storedHashes(db: Db, channelId: string, ids: string[]): Promise<Map<string, string>> {
  const rows = await query<{ external_id: string; request_hash: string }>(
    db,
    sql`select external_id, request_hash from orders
        where channel_id = ${channelId} and external_id = any(${sql.param(ids)}::text[])`,
  );
  return new Map(rows.map((r) => [r.external_id, r.request_hash]));
}

/** Writes prepared orders with their payments, shipments and returns in one transaction; the orders written. */
async function writeBatch(db: Db, batch: PreparedOrder[]): Promise<Set<string>> {
  const written = await inTransaction(db, async (tx) => {
    const ids = await insertImportedOrders(
      tx,
      batch.map((p) => p.order),
    );
    const kept = batch.filter((p) => ids.has(p.order.id));
    await insertImportedPayments(
      tx,
      kept.flatMap((p) => p.payments),
    );
    await insertImportedShipments(
      tx,
      kept.flatMap((p) => p.shipments),
    );
    await insertImportedReturns(
      tx,
      kept.flatMap((p) => p.returns),
    );
    return ok(ids);
  });
  return written.ok ? written.value : new Set();
}

/**
 * Writes a batch; should the database refuse it (a row the checks let through), each order is
 * written on its own so that only the refused ones are reported and left out.
 */
async function writeOrReport(db: Db, accepted: Accepted[], result: HistoryImportResult): Promise<void> {
  try {
    const written = await writeBatch(
      db,
      accepted.map((a) => a.prepared),
    );
    result.imported += written.size;
    result.duplicates += accepted.length - written.size;
  } catch (error) {
    if (accepted.length > 1) {
      for (const a of accepted) await writeOrReport(db, [a], result);
      return;
    }
    result.rejected++;
    result.report.push({ row: accepted[0]!.row, field: '(order)', problem: (error as Error).message });
  }
}

interface Accepted {
  row: number;
  record: HistoryOrder;
  prepared: PreparedOrder;
}

/** Checks and prepares one batch's rows; the report gets every problem of the rows refused. */
async function sortBatch(
  db: Db,
  rows: HistoryRow[],
  context: CheckContext,
  options: HistoryImportOptions,
  result: HistoryImportResult,
  seen: Set<string>,
): Promise<Accepted[]> {
  const refuse = (row: number, problems: { field: string; problem: string }[]) => {
    result.rejected++;
    for (const p of problems) result.report.push({ row, ...p });
  };
  const checked: { row: number; record: HistoryOrder }[] = [];
  for (const r of rows) {
    if ('error' in r) refuse(r.row, [{ field: '(order)', problem: r.error }]);
    else {
      const outcome = checkRecord(r.value, context);
      if (!outcome.ok) refuse(r.row, outcome.problems);
      else if (seen.has(outcome.order.id))
        refuse(r.row, [{ field: 'id', problem: `repeats order ${outcome.order.id} of an earlier row` }]);
      else {
        seen.add(outcome.order.id);
        checked.push({ row: r.row, record: outcome.order });
      }
    }
  }
  const stored = await storedHashes(
    db,
    options.channelId,
    checked.map((c) => c.record.id),
  );
  const accepted: Accepted[] = [];
  for (const { row, record } of checked) {
    const hash = stored.get(record.id);
    const digest = recordHash(record);
    if (hash === digest) result.duplicates++;
    else if (hash !== undefined)
      refuse(row, [{ field: 'id', problem: `order ${record.id} was already imported with other content` }]);
    else {
      const managed = !!options.managedOpen && isOpenStatus(record.status) && !record.shipments?.length;
      const prepared = prepareOrder(record, { ...context, channelId: options.channelId, managed, requestHash: digest });
      if (!prepared.ok) refuse(row, prepared.problems);
      else accepted.push({ row, record, prepared: prepared.value });
    }
  }
  return accepted;
}

/** Writes a batch's unmanaged orders together and places its managed open orders one by one. */
async function writeAccepted(
  db: Db,
  accepted: Accepted[],
  currency: string,
  options: HistoryImportOptions,
  result: HistoryImportResult,
): Promise<void> {
  const unmanaged = accepted.filter((a) => !a.prepared.order.managed);
  if (unmanaged.length > 0) await writeOrReport(db, unmanaged, result);
  for (const a of accepted.filter((x) => x.prepared.order.managed)) {
    const placed = await placeManagedOpen(db, options.channelId, a.record, currency, options.actor);
    if (placed.ok) result[placed.value.replayed ? 'duplicates' : 'placed']++;
    else {
      result.rejected++;
      for (const p of placed.problems) result.report.push({ row: a.row, ...p });
    }
  }
}

/**
 * Imports a previous system's orders for a channel, as they were: every row checked (a refused
 * row writes nothing and is reported as row, field, problem), the rest written a batch per
 * transaction, unmanaged (ADR 0047). Orders already imported with the same content are counted
 * and skipped, so a run can be repeated. With `managedOpen`, open orders with nothing shipped
 * are placed through order placement instead, and Consign routes them.
 */
export async function importHistory(db: Db, options: HistoryImportOptions): Promise<Result<HistoryImportResult>> {
  const result: HistoryImportResult = {
    rows: options.rows.length,
    imported: 0,
    placed: 0,
    duplicates: 0,
    rejected: 0,
    report: [],
  };
  if (options.products) await addMissingProducts(db, options.products);
  const context = await loadContext(db, options.channelId, options.rows);
  const size = Math.max(1, Math.min(options.batchSize ?? DEFAULT_BATCH, 10_000));
  const seen = new Set<string>();
  // Batches are written WRITERS at a time while the next is checked: the checks' CPU and the database's overlap.
  const writing: Promise<void>[] = [];
  let done = 0;
  for (let start = 0; start < options.rows.length; start += size) {
    const rows = options.rows.slice(start, start + size);
    const accepted = await sortBatch(db, rows, context, options, result, seen);
    if (writing.length >= WRITERS) await writing.shift();
    const written = writeAccepted(db, accepted, context.currency, options, result).then(() => {
      done += rows.length;
      options.onProgress?.(done, options.rows.length);
    });
    written.catch(() => {}); // awaited (and thrown) in turn
    writing.push(written);
  }
  for (const written of writing) await written;
  result.report.sort((a, b) => a.row - b.row);
  return ok(result);
}
