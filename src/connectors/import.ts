import { inTransaction, type Db } from '../db/index.ts';
import type { CreateOrder } from '../orders/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok } from '../shared/result.ts';
import { parseCsv } from '../shared/csv.ts';
import { parseExact } from './json.ts';
import { compact, Reader, text, type MapOutcome } from './mapping.ts';
import { canonicalOrder, placeForConnector } from './place.ts';
import type { ConnectorRow } from './settings.ts';

/** One problem of the validation report: the file's row, the field, what is wrong. */
export interface ReportEntry {
  row: number;
  field: string;
  problem: string;
}

export interface ImportResult {
  orders: number;
  placed: number;
  duplicates: number;
  rejected: number;
  report: ReportEntry[];
}

/** An order read from the file, with the file rows it came from (its lines' rows, in order). */
interface Candidate {
  rows: number[];
  mapped: MapOutcome;
}

/** CSV: one row per order line; rows with the same external_id are one order, whose fields come from its first row. */
function csvCandidates(textBody: string, channel: string): Candidate[] {
  const [header = [], ...rows] = parseCsv(textBody);
  const at = (row: string[], column: string) => text(row[header.indexOf(column)]);
  const groups = new Map<string, { rows: number[]; cells: string[][] }>();
  rows.forEach((cells, i) => {
    const key = at(cells, 'external_id') ?? `(row ${i + 2})`;
    const group = groups.get(key) ?? { rows: [], cells: [] };
    group.rows.push(i + 2);
    group.cells.push(cells);
    groups.set(key, group);
  });
  return [...groups.values()].map(({ rows: fileRows, cells }) => {
    const first = cells[0]!;
    const r = new Reader('/currency', at(first, 'currency'));
    const money = (column: string, row = first, optional = true) => r.money(`/${column}`, at(row, column), optional);
    const total = money('total', first, false);
    const method = at(first, 'delivery_method') ?? 'ship';
    const order = compact({
      channel,
      external_id: r.required('/external_id', at(first, 'external_id'), 'external_id'),
      placed_at: at(first, 'placed_at'),
      customer: compact({ email: at(first, 'customer_email'), name: at(first, 'customer_name') }),
      lines: cells.map((row, i) =>
        compact({
          line_id: String(i + 1),
          sku: r.required(`/lines/${i}/sku`, at(row, 'sku'), 'sku'),
          quantity: r.quantity(`/lines/${i}/quantity`, Number(at(row, 'quantity'))),
          unit_price: r.money(`/lines/${i}/unit_price`, at(row, 'unit_price')),
        }),
      ),
      delivery_method: method as CreateOrder['delivery_method'],
      pickup_location_id: at(first, 'pickup_location_id'),
      shipping_address: at(first, 'ship_line1')
        ? compact({
            name: at(first, 'ship_name'),
            line1: at(first, 'ship_line1') ?? '',
            line2: at(first, 'ship_line2'),
            city: at(first, 'ship_city') ?? '',
            region: at(first, 'ship_region'),
            postal_code: at(first, 'ship_postal_code'),
            country: at(first, 'ship_country') ?? '',
          })
        : undefined,
      shipping: money('shipping'),
      discounts: at(first, 'discount') ? [{ amount: money('discount') }] : undefined,
      taxes: at(first, 'tax') ? [{ name: 'Tax', amount: money('tax') }] : undefined,
      total,
      payments: at(first, 'payment_gateway')
        ? [
            compact({
              kind: 'authorization' as const,
              amount: total,
              gateway: at(first, 'payment_gateway')!,
              reference: at(first, 'payment_reference'),
            }),
          ]
        : undefined,
    });
    return { rows: fileRows, mapped: r.finish(order as CreateOrder) };
  });
}

/**
 * JSON: an array of orders in the `POST /v1/orders` shape (without `channel`, or naming this
 * one), or JSON lines: one such order per line.
 */
function jsonCandidates(textBody: string, channel: string): Candidate[] {
  const body = textBody.trim();
  const parsed = body.startsWith('[')
    ? parseExact(body)
    : body.split('\n').flatMap((line) => (line.trim() === '' ? [] : [parseExact(line)]));
  const list = Array.isArray(parsed) ? parsed : [];
  return list.map((value, i) => ({
    rows: [i + 1],
    mapped: { ok: true, order: { ...(value as object), channel } as CreateOrder },
  }));
}

/** The report row for a problem at `pointer` of an order: its line's row for line fields, else the order's first. */
function entry(candidate: Candidate, pointer: string, message: string): ReportEntry {
  const line = /^\/lines\/(\d+)\/?(.*)$/.exec(pointer);
  const row = line ? (candidate.rows[Number(line[1])] ?? candidate.rows[0]!) : candidate.rows[0]!;
  const field = (line ? (line[2] ?? '') : pointer.slice(1)).replace(/\//g, '.') || '(order)';
  return { row, field, problem: message };
}

/**
 * Imports orders from a file for a channel without a connector. Each order is checked and
 * placed in a transaction of its own, exactly as `POST /v1/orders` would; a rejected order
 * writes nothing and is reported (row, field, problem). `dryRun` checks and rolls back everything.
 */
export async function importOrders(
  db: Db,
  options: {
    channelId: string;
    format: 'csv' | 'json';
    text: string;
    dryRun?: boolean;
    onProgress?: (done: number, total: number) => void;
  },
): Promise<ImportResult> {
  const candidates =
    options.format === 'csv'
      ? csvCandidates(options.text, options.channelId)
      : jsonCandidates(options.text, options.channelId);
  const connector = { channel_id: options.channelId, platform: 'import' } as unknown as ConnectorRow;
  const result: ImportResult = { orders: candidates.length, placed: 0, duplicates: 0, rejected: 0, report: [] };
  for (const [i, candidate] of candidates.entries()) {
    const canonical = canonicalOrder('imported', candidate.mapped);
    const placed = canonical.ok
      ? await inTransaction(db, async (tx) => {
          const outcome = await placeForConnector(tx, connector, canonical.value);
          if (!outcome.ok || !options.dryRun) return outcome;
          return fail(problem('conflict', 'dry run', { replayed: outcome.value.replayed })); // rolls the order back
        })
      : canonical;
    if (placed.ok) result[placed.value.replayed ? 'duplicates' : 'placed']++;
    else if (options.dryRun && placed.problem.detail === 'dry run')
      result[placed.problem.replayed ? 'duplicates' : 'placed']++;
    else {
      result.rejected++;
      const errors = (placed.problem.errors as { pointer: string; message: string }[] | undefined) ?? [];
      if (errors.length === 0) result.report.push(entry(candidate, '', placed.problem.detail));
      for (const e of errors) result.report.push(entry(candidate, e.pointer, e.message));
    }
    options.onProgress?.(i + 1, candidates.length);
  }
  return ok(result).value;
}
